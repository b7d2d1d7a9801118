import type { AnyEnvelope } from '@fulfillment/contracts';
import { Inbox, type PostgresEventStore, type Tx } from '@fulfillment/eventstore';
import type { ConsumedMessage } from '@fulfillment/messaging';
import { isNotificationInputType } from '@fulfillment/notification-domain';
import type { Logger } from 'pino';
import { CustomerChanges, type ChangeDependencies } from './customer-changes.js';
import type { Cause } from './customer-notified.mapper.js';
import { isOrderLineInput, toNotificationInput } from './notification-input.mapper.js';
import type { ParkedEventsRepository } from './parked-events.repository.js';

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
export class NotifyCustomerHandler {
  private readonly inbox = new Inbox('notification');

  constructor(
    private readonly store: PostgresEventStore,
    private readonly parked: ParkedEventsRepository,
    private readonly deps: ChangeDependencies,
    private readonly logger: Logger,
    private readonly counter?: NotificationCounter,
  ) {}

  /** One partition's batch, all-or-nothing in one transaction; an envelope already claimed has no effect again. */
  async handleBatch(messages: readonly ConsumedMessage[]): Promise<void> {
    // Types the domain ignores have no effect to de-duplicate: they cost neither a transaction nor an inbox row.
    const relevant = messages.filter((m) => isNotificationInputType(m.envelope.type));
    if (relevant.length === 0) return;
    const started = performance.now();
    const ms = { claimAndGate: 0, load: 0, decide: 0, write: 0 };
    const lap = (phase: keyof typeof ms, since: number): number => {
      const now = performance.now();
      ms[phase] = Math.round(now - since);
      return now;
    };
    const outcome = await this.store.transaction(async (tx) => {
      let mark = performance.now();
      const fresh = await this.inbox.claim(tx, [...new Set(relevant.map((m) => m.envelope.id))]);
      // delete(): an id that occurs twice in one batch is handled once.
      const envelopes = relevant.map((m) => m.envelope).filter((envelope) => fresh.delete(envelope.id));
      const gate = await this.openGate(tx, envelopes);
      mark = lap('claimAndGate', mark);
      const changes = new CustomerChanges(tx, this.deps);
      // The customers the batch names, locked and loaded together (in a fixed order) rather than one by one.
      await changes.load(envelopes.flatMap((envelope) => customerIdOf(envelope) ?? []));
      mark = lap('load', mark);
      let parked = 0;
      for (const envelope of envelopes) {
        if (await this.route(tx, gate, changes, envelope)) parked++;
      }
      mark = lap('decide', mark);
      await changes.flush();
      lap('write', mark);
      return { parked, notifications: changes.notifications };
    });
    this.count(outcome.notifications);
    // Phase timings, to see where a slow batch spends its time (decide includes parking and on-demand loads).
    this.logger.debug(
      {
        topic: messages[0]?.topic,
        messages: messages.length,
        parked: outcome.parked,
        notifications: outcome.notifications.length,
        ms: { ...ms, total: Math.round(performance.now() - started) },
      },
      'batch handled',
    );
  }

  /**
   * Decides the parked events of an order whose OrderPlaced never came, without its address. Returns how many events
   * were released (0 when the OrderPlaced came in the meantime and released them itself).
   */
  async releaseOverdue(orderId: string): Promise<number> {
    const outcome = await this.store.transaction(async (tx) => {
      await this.parked.lockOrder(tx, orderId);
      const events = await this.parked.takeAll(tx, orderId);
      const customerId = events.map((e) => customerIdOf(e.envelope)).find((id) => id !== undefined);
      if (customerId !== undefined) await this.parked.markTimedOut(tx, orderId, customerId);
      const changes = new CustomerChanges(tx, this.deps);
      for (const { envelope } of events) await this.decide(changes, envelope);
      await changes.flush();
      return { released: events.length, notifications: changes.notifications };
    });
    this.count(outcome.notifications);
    if (outcome.released > 0) {
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
    return this.parked.statusOf(tx, orderIds);
  }

  /** Returns true when the event was parked. */
  private async route(tx: Tx, gate: OrderGate, changes: CustomerChanges, envelope: AnyEnvelope): Promise<boolean> {
    const input = toNotificationInput(envelope);
    if (input === undefined) return false;
    const cause = causeOf(envelope);

    if (input.type === 'OrderPlaced') {
      const { orderId, customerId } = input.data;
      await this.parked.markPlaced(tx, orderId, customerId);
      gate.known.add(orderId);
      await changes.apply(input, cause);
      if (gate.withParked.delete(orderId)) {
        const waiting = await this.parked.takeAll(tx, orderId);
        for (const event of waiting) await this.decide(changes, event.envelope);
        this.logger.info({ orderId, released: waiting.length }, 'parked events decided after OrderPlaced');
      }
      return false;
    }
    if (isOrderLineInput(input) && !gate.known.has(input.data.orderId)) {
      const { orderId, sku } = input.data;
      await this.parked.park(tx, orderId, sku, envelope);
      gate.withParked.add(orderId);
      this.logger.info({ orderId, eventId: envelope.id, type: envelope.type }, 'parked until its OrderPlaced is read');
      return true;
    }
    await changes.apply(input, cause);
    if (input.type === 'BackInStock') await this.parked.parkBehindWaitingLines(tx, input.data.sku, envelope);
    return false;
  }

  private async decide(changes: CustomerChanges, envelope: AnyEnvelope): Promise<void> {
    const input = toNotificationInput(envelope);
    if (input !== undefined) await changes.apply(input, causeOf(envelope));
  }

  private count(notifications: readonly { kind: string; channel: string }[]): void {
    for (const { kind, channel } of notifications) this.counter?.inc({ kind, channel });
  }
}

/** Orders of one batch, locked: which are known, which have parked events. Kept up to date as the batch goes. */
interface OrderGate {
  readonly known: Set<string>;
  readonly withParked: Set<string>;
}

function causeOf(envelope: AnyEnvelope): Cause {
  return { eventId: envelope.id, correlationId: envelope.correlationid };
}

function customerIdOf(envelope: AnyEnvelope): string | undefined {
  const data = envelope.data as { customerId?: unknown };
  return typeof data.customerId === 'string' ? data.customerId : undefined;
}
