import { Inject, Injectable } from '@nestjs/common';
import type { AnyEnvelope } from '@fulfillment/contracts';
import type { PostgresEventStore, Tx } from '@fulfillment/eventstore';
import type { Notification, NotificationInput } from '@fulfillment/notification-domain';
import { EVENT_STORE, LOGGER } from '@fulfillment/platform';
import type { Logger } from 'pino';
import { CustomerPipeline, type CustomerWork } from '../customer/customer.pipeline.js';
import { CustomersRepository } from '../customer/customers.repository.js';
import { isOrderLineInput, toNotificationInput } from './notification-input.mapper.js';
import { ParkedEventsRepository } from './parked-events.repository.js';

export const NOTIFICATIONS_RECORDED = Symbol('NOTIFICATIONS_RECORDED');

export interface NotificationCounter {
  inc(labels: { kind: string; channel: string }): void;
}

// Why parking: OrderPlaced (order.events, keyed by order) carries the customer's email address, while the backorder and
// stock events of the same order travel on inventory.events, keyed by SKU. The two topics are not ordered with respect
// to each other, so a BackorderQueued can be read before its OrderPlaced. Deciding it at once would tell the customer
// in-app only and lose the email for good (a notification is told once). So an inventory event of an order whose
// OrderPlaced has not been read yet is parked (in the consumer's transaction, like any other effect) and decided right
// after that OrderPlaced, in the order the events arrived. An OrderPlaced may also never come (it was dead-lettered, or
// the order service's history was trimmed), so a periodic sweep releases parked events after a timeout and decides
// them without the address: late is better than never. Order events need no parking: OrderStatusChanged and
// OrderCancelled share the OrderPlaced's partition and so always come after it.
@Injectable()
export class NotifyCustomerHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    private readonly pipeline: CustomerPipeline,
    private readonly customers: CustomersRepository,
    private readonly parked: ParkedEventsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(NOTIFICATIONS_RECORDED) private readonly counter: NotificationCounter,
  ) {}

  /**
   * The fresh envelopes of a consumed batch, inside its transaction: parked or decided, in order. Returns the
   * notifications decided, to be counted once the transaction committed.
   */
  async apply(tx: Tx, envelopes: readonly AnyEnvelope[]): Promise<Notification[]> {
    const gate = await this.openGate(tx, envelopes);
    const decisions = new CustomerDecisions(tx, this.pipeline, this.customers);
    for (const envelope of envelopes) await this.route(tx, gate, decisions, envelope);
    // Read by other transactions only once this one commits (they wait for the orders' locks), so written once here.
    await this.parked.markPlaced(tx, gate.placed);
    await decisions.flush();
    return decisions.notifications;
  }

  count(notifications: readonly { kind: string; channel: string }[]): void {
    for (const { kind, channel } of notifications) this.counter.inc({ kind, channel });
  }

  /**
   * Decides the parked events of an order: one whose OrderPlaced never came, without its address, or one whose
   * OrderPlaced was read while a copy was parked behind it. Returns how many events were released (0 when the
   * OrderPlaced came in the meantime and released them itself).
   */
  async releaseOverdue(orderId: string): Promise<number> {
    const outcome = await this.store.transaction(async (tx) => {
      await this.parked.lockOrder(tx, orderId);
      const known = (await this.parked.statusOf(tx, [orderId])).known.has(orderId);
      const events = await this.parked.takeAll(tx, orderId);
      const customerId = events.map((e) => customerIdOf(e.envelope)).find((id) => id !== undefined);
      if (customerId !== undefined && !known) await this.parked.markTimedOut(tx, orderId, customerId);
      const decisions = new CustomerDecisions(tx, this.pipeline, this.customers);
      for (const { envelope } of events) await decisions.add(envelope);
      await decisions.flush();
      return { released: events.length, known, notifications: decisions.notifications };
    });
    this.count(outcome.notifications);
    if (outcome.released > 0 && outcome.known) {
      this.logger.info({ orderId, released: outcome.released }, 'events parked while the order was released decided');
    } else if (outcome.released > 0) {
      this.logger.warn({ orderId, released: outcome.released }, 'OrderPlaced not seen in time; parked events decided without it');
    }
    return outcome.released;
  }

  /**
   * Locks every order the batch may park for or release, once and in sorted order, and reads which of them are known
   * and which have parked events: two round trips per batch instead of two per event.
   */
  private async openGate(tx: Tx, envelopes: readonly AnyEnvelope[]): Promise<OrderGate> {
    const orderIds = envelopes.flatMap((envelope) => {
      const input = toNotificationInput(envelope);
      return input !== undefined && (input.type === 'OrderPlaced' || isOrderLineInput(input)) ? [input.data.orderId] : [];
    });
    await this.parked.lockOrders(tx, orderIds);
    return { ...(await this.parked.statusOf(tx, orderIds)), placed: new Map() };
  }

  private async route(tx: Tx, gate: OrderGate, decisions: CustomerDecisions, envelope: AnyEnvelope): Promise<void> {
    const input = toNotificationInput(envelope);
    if (input === undefined) return;
    if (input.type === 'OrderPlaced') {
      const { orderId, customerId } = input.data;
      gate.placed.set(orderId, customerId);
      gate.known.add(orderId);
      await decisions.add(envelope);
      if (gate.withParked.delete(orderId)) {
        const waiting = await this.parked.takeAll(tx, orderId);
        for (const event of waiting) await decisions.add(event.envelope);
        this.logger.info({ orderId, released: waiting.length }, 'parked events decided after OrderPlaced');
      }
      return;
    }
    if (isOrderLineInput(input) && !gate.known.has(input.data.orderId)) {
      const { orderId, sku } = input.data;
      await this.parked.park(tx, orderId, sku, envelope);
      gate.withParked.add(orderId);
      this.logger.info({ orderId, eventId: envelope.id, type: envelope.type }, 'parked until its OrderPlaced is read');
      return;
    }
    // Copies first, then the decision: see parkBehindWaitingLines.
    if (input.type === 'BackInStock') await this.parked.parkBehindWaitingLines(tx, input.data.sku, envelope);
    await decisions.add(envelope);
  }
}

/**
 * The decisions of one transaction, gathered into as few pipeline calls as the inputs allow: a BackInStock concerns
 * the customers waiting for the SKU, read from restock_waits, which must first reflect everything decided before it,
 * so the work gathered so far is handled first. A batch without one costs one lock-and-load of its customers.
 */
class CustomerDecisions {
  private pending: CustomerWork[] = [];
  readonly notifications: Notification[] = [];

  constructor(
    private readonly tx: Tx,
    private readonly pipeline: CustomerPipeline,
    private readonly customers: CustomersRepository,
  ) {}

  async add(envelope: AnyEnvelope): Promise<void> {
    const input = toNotificationInput(envelope);
    if (input === undefined) return;
    const cause = { correlationId: envelope.correlationid, causationId: envelope.id };
    let customerIds: readonly string[];
    if (input.type === 'BackInStock') {
      await this.flush();
      customerIds = await this.customers.waitingForRestock(this.tx, input.data.sku);
    } else {
      customerIds = [input.data.customerId];
    }
    for (const customerId of customerIds) this.pending.push(work(customerId, input, cause));
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const work = this.pending;
    this.pending = [];
    const { results } = await this.pipeline.handle(this.tx, work);
    for (const result of results) if (result.ok && result.decision) this.notifications.push(...result.decision.output);
  }
}

const work = (customerId: string, input: NotificationInput, cause: CustomerWork['cause']): CustomerWork => ({
  id: customerId,
  command: { customerId, input },
  cause,
});

/** Orders of one batch, locked: which are known, which have parked events. Kept up to date as the batch goes. */
interface OrderGate {
  readonly known: Set<string>;
  readonly withParked: Set<string>;
  /** The orders whose OrderPlaced this batch read (id to customer), recorded in one statement at its end. */
  readonly placed: Map<string, string>;
}

function customerIdOf(envelope: AnyEnvelope): string | undefined {
  const data = envelope.data as { customerId?: unknown };
  return typeof data.customerId === 'string' ? data.customerId : undefined;
}
