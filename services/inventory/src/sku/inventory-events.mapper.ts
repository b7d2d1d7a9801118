import { createEnvelope, type AnyEnvelope } from '@fulfillment/contracts';
import type { Decision, OutboxMessage } from '@fulfillment/eventstore';
import type { SkuCommand, SkuEvent, SkuState } from '@fulfillment/inventory-domain';
import { envelopeMetaOf, toOutbox } from '@fulfillment/platform';

export const SOURCE = 'inventory';

export type SkuDecision = Decision<SkuCommand, SkuEvent, SkuState>;

/** The pipeline's mapper: the published messages of a decision, as outbox rows of this deployment's topic. */
export function publishInventoryEvents(topic: string): (decision: SkuDecision) => OutboxMessage[] {
  return (decision) =>
    toOutbox(
      topic,
      decision.events.flatMap((event, index) => toInventoryEnvelope(decision, index, event) ?? []),
    );
}

/**
 * The published `inventory.events` message for a domain event, field by field, or null for the events that stay
 * inside inventory (configuration, adjustments, purchase-order bookkeeping): renaming a domain field can then never
 * change the wire silently, and the contract's strict `createEnvelope` refuses any field it does not know.
 */
export function toInventoryEnvelope(decision: SkuDecision, index: number, event: SkuEvent): AnyEnvelope | null {
  const sku = decision.id;
  const meta = envelopeMetaOf(SOURCE, decision, index, event.data.at);
  // The line a per-line event is about, as the contract names it: the SKU is the stream's.
  const line = (d: { orderId: string; lineId: string; customerId: string }) => ({
    sku,
    orderId: d.orderId,
    lineId: d.lineId,
    customerId: d.customerId,
  });
  switch (event.type) {
    case 'StockReserved':
      return createEnvelope('StockReserved', { ...line(event.data), quantity: event.data.quantity }, meta);
    case 'BackorderQueued': {
      const { quantity, position, expectedAt, preorder, substitutes } = event.data;
      return createEnvelope(
        'BackorderQueued',
        { ...line(event.data), quantity, position, expectedAt, preorder, substitutes: [...substitutes] },
        meta,
      );
    }
    case 'BackorderAllocated': {
      const { quantity, remaining } = event.data;
      return createEnvelope('BackorderAllocated', { ...line(event.data), quantity, remaining }, meta);
    }
    case 'BackorderEtaChanged': {
      const { previousExpectedAt, expectedAt } = event.data;
      return createEnvelope('BackorderEtaChanged', { ...line(event.data), previousExpectedAt, expectedAt }, meta);
    }
    // Units a line gave back: from the queue (BackorderReleased), or held ones (published as StockReleased).
    case 'BackorderReleased':
    case 'ReservationReleased': {
      const data = { ...line(event.data), quantity: event.data.quantity, reason: event.data.reason };
      return event.type === 'BackorderReleased'
        ? createEnvelope('BackorderReleased', data, meta)
        : createEnvelope('StockReleased', data, meta);
    }
    case 'StockShipped':
      return createEnvelope('StockShipped', { ...line(event.data), quantity: event.data.quantity }, meta);
    case 'StockUnavailable': {
      // The domain's reason (unknown SKU, not backorderable, no restock) is not part of the contract.
      const { quantity, substitutes } = event.data;
      return createEnvelope('StockUnavailable', { ...line(event.data), quantity, substitutes: [...substitutes] }, meta);
    }
    case 'ReplenishmentRequested': {
      const { quantity, reason, leadTimeDays } = event.data;
      return createEnvelope('ReplenishmentRequested', { sku, quantity, reason, leadTimeDays }, meta);
    }
    case 'BackInStock':
      return createEnvelope('BackInStock', { sku, available: event.data.available }, meta);
    case 'SkuConfigured':
    case 'ReplenishmentUnplanned':
    case 'SkuReleased':
    case 'StockAdjusted':
    case 'PurchaseOrderRegistered':
    case 'PurchaseOrderEtaChanged':
    case 'RestockReceived':
      return null;
    default:
      return unmapped(event);
  }
}

// A new domain event type must be classified here (published or internal) before this compiles.
function unmapped(event: never): never {
  throw new Error(`no mapping for domain event ${(event as SkuEvent).type}`);
}
