import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { encodeEnvelope, TOPICS } from '@fulfillment/contracts';
import type { NewEvent, OutboxMessage, PostgresEventStore, StreamAppend, Tx } from '@fulfillment/eventstore';
import {
  decide,
  evolve,
  isPlaced,
  orderStreamName,
  type IsoInstant,
  type OrderCommand,
  type OrderState,
  type PlacedOrder,
} from '@fulfillment/order-domain';
import { EVENT_STORE, RUNTIME, type ServiceRuntime } from '@fulfillment/platform';
import { orderEnvelopes, type Cause } from './order-events.mapper.js';
import { orderFold } from './order.fold.js';
import { OrderViewRepository } from './order-view.repository.js';

/** One command for one order, with when it happened and what caused it. */
export interface OrderWork {
  orderId: string;
  command: OrderCommand;
  occurredAt: IsoInstant;
  cause: Cause;
  /**
   * For a PlaceOrder whose order id was derived from the command's own envelope id: an order already there was placed
   * by this very command, delivered again after the inbox forgot it, so there is nothing left to do.
   */
  doneIfPlaced?: boolean;
}

export interface OrderOutcome {
  /** The order after every command given for it; `initial` when it does not exist. */
  state: OrderState;
  /** Events appended for the order by this call. */
  appended: number;
}

/**
 * Runs commands against orders inside the caller's transaction: the orders locked and loaded together, `decide` for
 * each command in the order given, one append for all of them carrying the published envelopes in its outbox, and
 * one write of the views. A refused command throws (`OrderDomainError`) and the caller's transaction rolls everything
 * back.
 */
@Injectable()
export class OrderCommandProcessor {
  private readonly orderEventsTopic: string;

  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    @Inject(RUNTIME) rt: ServiceRuntime,
    private readonly views: OrderViewRepository,
  ) {
    this.orderEventsTopic = rt.topics.name(TOPICS.orderEvents);
  }

  async apply(tx: Tx, work: readonly OrderWork[]): Promise<Map<string, OrderOutcome>> {
    const byOrder = new Map<string, OrderWork[]>();
    for (const item of work) {
      const items = byOrder.get(item.orderId);
      if (items) items.push(item);
      else byOrder.set(item.orderId, [item]);
    }
    // One round trip for the locks (taken in one global order, so two batches touching the same orders cannot
    // deadlock), one for every order's snapshot and events, one append for all of them: a batch of 500 orders costs
    // a handful of round trips instead of three per order.
    const orderIds = [...byOrder.keys()].sort();
    const loaded = await this.store.loadMany(orderIds.map(orderStreamName), orderFold, { tx, forUpdate: true });
    const outcomes = new Map<string, OrderOutcome>();
    const appends: StreamAppend[] = [];
    const outbox: OutboxMessage[] = [];
    const changed: PlacedOrder[] = [];
    for (const orderId of orderIds) {
      const streamId = orderStreamName(orderId);
      const { version } = loaded.get(streamId)!;
      const decided = this.decideFor(orderId, loaded.get(streamId)!.state, byOrder.get(orderId)!);
      outcomes.set(orderId, { state: decided.state, appended: decided.events.length });
      if (decided.events.length === 0) continue;
      appends.push({ streamId, expected: version, events: decided.events });
      outbox.push(...decided.outbox);
      if (isPlaced(decided.state)) changed.push(decided.state);
    }
    if (appends.length === 0) return outcomes;
    const appended = await this.store.appendMany(appends, { tx, outbox });
    await this.views.save(
      tx,
      changed.map((order) => ({ order, version: appended.get(orderStreamName(order.orderId))!.nextVersion })),
    );
    return outcomes;
  }

  /** Each command in the order given, on the state the previous one left. */
  private decideFor(orderId: string, loaded: OrderState, work: readonly OrderWork[]) {
    let state = loaded;
    const events: NewEvent[] = [];
    const outbox: OutboxMessage[] = [];
    for (const { command, occurredAt, cause, doneIfPlaced } of work) {
      if (doneIfPlaced && isPlaced(state)) continue;
      const decided = decide(command, state);
      if (decided.length === 0) continue;
      const eventIds = decided.map(() => randomUUID());
      const after = decided.reduce(evolve, state);
      if (!isPlaced(after)) throw new Error(`${command.type} left order ${orderId} unplaced`);
      decided.forEach((event, index) =>
        events.push({
          id: eventIds[index]!,
          type: event.type,
          data: event.data,
          metadata: { occurredAt, correlationId: cause.correlationId, causationId: cause.causationId },
        }),
      );
      for (const envelope of orderEnvelopes({ events: decided, eventIds, after, occurredAt, cause })) {
        outbox.push({ topic: this.orderEventsTopic, key: envelope.subject, value: encodeEnvelope(envelope) });
      }
      state = after;
    }
    return { state, events, outbox };
  }
}
