import { Inject, Injectable } from '@nestjs/common';
import { ContractViolationError, type AnyEnvelope } from '@fulfillment/contracts';
import type { Inbox, PostgresEventStore } from '@fulfillment/eventstore';
import { NonRetryableError, type ConsumedMessage } from '@fulfillment/messaging';
import { isOrderDomainError, type IsoInstant } from '@fulfillment/order-domain';
import { EVENT_STORE, LOGGER } from '@fulfillment/platform';
import type { Logger } from 'pino';
import { OrderCommandProcessor, type OrderWork } from './order-command.processor.js';

/** What a message asks of an order, or null when it is none of the order's business. */
export type WorkOf = (envelope: AnyEnvelope, now: IsoInstant) => OrderWork | null;

export interface BatchSummary {
  handled: number;
  duplicates: number;
  ignored: number;
  orders: number;
}

/**
 * A Kafka batch in one transaction: claim every relevant envelope id in the inbox, skip those seen before (and
 * repeats inside the batch), then run the rest through the order processor, which loads each order once. A domain
 * refusal or a message that cannot be published is the message's fault and will never succeed: it becomes a
 * `NonRetryableError`, the batch rolls back, and the consumer retries the messages one by one so that only the
 * culprit is dead-lettered. Anything else (a lost connection, a concurrent append) is rethrown as it is.
 */
@Injectable()
export class OrderBatchHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    private readonly orders: OrderCommandProcessor,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async handle(inbox: Inbox, messages: readonly ConsumedMessage[], workOf: WorkOf): Promise<BatchSummary> {
    const now = new Date().toISOString();
    const relevant: { id: string; work: OrderWork }[] = [];
    for (const { envelope } of messages) {
      const work = workOf(envelope, now);
      if (work) relevant.push({ id: envelope.id, work });
    }
    const ignored = messages.length - relevant.length;
    if (relevant.length === 0) return { handled: 0, duplicates: 0, ignored, orders: 0 };
    const summary = await this.store.transaction(async (tx) => {
      const fresh = await inbox.claim(tx, relevant.map(({ id }) => id));
      // `delete` keeps a message repeated inside this batch from running twice.
      const work = relevant.filter(({ id }) => fresh.delete(id)).map(({ work: item }) => item);
      const outcomes = await this.orders.apply(tx, work).catch((error: unknown) => {
        throw refusalOf(error);
      });
      return { handled: work.length, duplicates: relevant.length - work.length, ignored, orders: outcomes.size };
    });
    const { topic, partition } = messages[0]!;
    this.logger.info({ topic, partition, messages: messages.length, ...summary }, 'batch handled');
    return summary;
  }
}

/** A refusal by the domain, or an event the contract will not carry, can never succeed: dead-letter it. */
export function refusalOf(error: unknown): unknown {
  if (isOrderDomainError(error)) return new NonRetryableError(`${error.code}: ${error.message}`, { cause: error });
  if (error instanceof ContractViolationError) return new NonRetryableError(error.message, { cause: error });
  return error;
}
