import { randomUUID } from 'node:crypto';
import type { Fold, NewEvent, OutboxMessage, PostgresEventStore, Tx } from '@fulfillment/eventstore';
import {
  decide,
  evolve,
  initialState,
  purchaseOrderStreamName,
  purchaseOrderView,
  type PurchaseOrderCommand,
  type PurchaseOrderEvent,
  type PurchaseOrderPlaced,
  type PurchaseOrderState,
  type PurchaseOrderView,
} from '@fulfillment/supplier-domain';
import { derivedId } from './derived-id.js';
import type { PurchaseOrdersRepository } from './purchase-orders.repository.js';
import { toOutboxMessage, toSupplierEnvelope, type RecordedEvent } from './supplier-events.mapper.js';
import { receiveUnplanned, skuReceiptsStreamName, type UnplannedRestockReceived } from './unplanned-receipt.js';

/** What the events of one request or message carry: the flow they belong to, their cause and their ids. */
export interface Causation {
  correlationId: string;
  causationId: string | null;
  /** Id of the `n`-th event (from 0) this cause produces on `streamId`. */
  eventId(streamId: string, n: number): string;
}

/** An HTTP request starts a flow (or continues the caller's correlation id); nothing caused it on Kafka. */
export const requestCausation = (correlationId: string): Causation => ({
  correlationId,
  causationId: null,
  eventId: () => randomUUID(),
});

/** Events caused by a message get ids derived from its id: a redelivery that got through would repeat them. */
export const messageCausation = (envelope: { id: string; correlationid: string }): Causation => ({
  correlationId: envelope.correlationid,
  causationId: envelope.id,
  eventId: (streamId, n) => derivedId(`${envelope.id}/${streamId}/${n}`),
});

export const purchaseOrderFold: Fold<PurchaseOrderState> = {
  initialState,
  evolve: (state, stored) => evolve(state, { type: stored.type, data: stored.data } as PurchaseOrderEvent),
};

interface OpenPurchaseOrder {
  state: PurchaseOrderState;
  version: number;
  pending: RecordedEvent[];
}

export interface UnitOfWorkContext {
  store: PostgresEventStore;
  tx: Tx;
  repository: PurchaseOrdersRepository;
  /** This deployment's name of supplier.events. */
  eventsTopic: string;
}

/**
 * Everything one transaction decides, written at the end: each purchase order is loaded once (locked until the
 * transaction ends) and appended to once however many commands hit it, and the published messages keep the order
 * in which they were decided, across purchase orders too.
 */
export class SupplierUnitOfWork {
  private readonly purchaseOrders = new Map<string, OpenPurchaseOrder>();
  private readonly unplannedReceipts = new Map<string, RecordedEvent[]>();
  private readonly outbox: OutboxMessage[] = [];
  private committed = false;

  constructor(private readonly ctx: UnitOfWorkContext) {}

  /** The purchase order as this transaction sees it, including what it decided so far. */
  async purchaseOrder(purchaseOrderId: string): Promise<PurchaseOrderState> {
    return (await this.open(purchaseOrderId)).state;
  }

  /** Decides `command` on the purchase order; throws `SupplierDomainError` (and records nothing) when refused. */
  async execute(
    purchaseOrderId: string,
    command: PurchaseOrderCommand,
    cause: Causation,
  ): Promise<{ events: RecordedEvent[]; view: PurchaseOrderView | null }> {
    const order = await this.open(purchaseOrderId);
    const streamId = purchaseOrderStreamName(purchaseOrderId);
    const events = decide(command, order.state).map((event, n) => this.record(event, streamId, n, cause));
    for (const recorded of events) order.state = evolve(order.state, recorded.event as PurchaseOrderEvent);
    order.pending.push(...events);
    return { events, view: purchaseOrderView(order.state) };
  }

  receiveUnplanned(sku: string, quantity: number, now: string, cause: Causation): RecordedEvent {
    const event: UnplannedRestockReceived = receiveUnplanned(sku, quantity, now);
    const streamId = skuReceiptsStreamName(sku);
    const pending = this.unplannedReceipts.get(streamId) ?? [];
    const recorded = this.record(event, streamId, pending.filter((r) => r.causationId === cause.causationId).length, cause);
    this.unplannedReceipts.set(streamId, [...pending, recorded]);
    return recorded;
  }

  async commit(): Promise<void> {
    if (this.committed) throw new Error('unit of work already committed');
    this.committed = true;
    const { store, tx, repository } = this.ctx;
    for (const [purchaseOrderId, order] of this.purchaseOrders) {
      if (order.pending.length === 0) continue;
      const { nextVersion } = await store.append(
        purchaseOrderStreamName(purchaseOrderId),
        order.version,
        order.pending.map(toNewEvent),
        { tx },
      );
      const placed = order.pending.find((r) => r.event.type === 'PurchaseOrderPlaced')?.event as
        | PurchaseOrderPlaced
        | undefined;
      await repository.save(tx, purchaseOrderView(order.state)!, nextVersion, placed);
    }
    // Receipts outside purchase orders guard no invariant, so they append at whatever version the stream is.
    for (const [streamId, pending] of this.unplannedReceipts) {
      await store.append(streamId, 'any', pending.map(toNewEvent), { tx });
    }
    // One outbox write after the appends rather than one per append: messages of different purchase orders of one
    // SKU share a partition, and this keeps them in the order they were decided in.
    await store.enqueueOutbox(tx, this.outbox);
  }

  private async open(purchaseOrderId: string): Promise<OpenPurchaseOrder> {
    const cached = this.purchaseOrders.get(purchaseOrderId);
    if (cached) return cached;
    const { state, version } = await this.ctx.store.load(purchaseOrderStreamName(purchaseOrderId), purchaseOrderFold, {
      tx: this.ctx.tx,
      forUpdate: true,
    });
    const order: OpenPurchaseOrder = { state, version, pending: [] };
    this.purchaseOrders.set(purchaseOrderId, order);
    return order;
  }

  private record(event: RecordedEvent['event'], streamId: string, n: number, cause: Causation): RecordedEvent {
    const recorded: RecordedEvent = {
      id: cause.eventId(streamId, n),
      event,
      correlationId: cause.correlationId,
      causationId: cause.causationId,
    };
    // Mapped now, not at commit: a contract violation then fails the command that caused it.
    this.outbox.push(toOutboxMessage(toSupplierEnvelope(recorded), this.ctx.eventsTopic));
    return recorded;
  }
}

const toNewEvent = ({ id, event, correlationId, causationId }: RecordedEvent): NewEvent => ({
  id,
  type: event.type,
  data: event.data,
  metadata: { correlationId, causationId },
});
