import { createEnvelope, type AnyEnvelope, type EnvelopeMeta } from '@fulfillment/contracts';
import type { SkuEvent } from '@fulfillment/inventory-domain';
import type { RecordedSkuEvent } from './sku.repository.js';

/** What made inventory decide: the incoming message (null for an HTTP request) and the flow it belongs to. */
export interface Cause {
  readonly messageId: string | null;
  readonly correlationId: string;
}

export const SOURCE = 'inventory';

/**
 * The published `inventory.events` message for a domain event, field by field, or null for the events that stay
 * inside inventory (configuration, adjustments, purchase-order bookkeeping): renaming a domain field can then never
 * change the wire silently, and the contract's strict `createEnvelope` refuses any field it does not know.
 */
export function toInventoryEnvelope(sku: string, recorded: RecordedSkuEvent, cause: Cause): AnyEnvelope | null {
  const { event } = recorded;
  const meta: EnvelopeMeta = {
    source: SOURCE,
    id: recorded.id,
    time: event.data.at,
    correlationId: cause.correlationId,
    causationId: cause.messageId,
  };
  switch (event.type) {
    case 'StockReserved': {
      const { orderId, lineId, customerId, quantity } = event.data;
      return createEnvelope('StockReserved', { sku, orderId, lineId, customerId, quantity }, meta);
    }
    case 'BackorderQueued': {
      const { orderId, lineId, customerId, quantity, position, expectedAt } = event.data;
      return createEnvelope(
        'BackorderQueued',
        // The inventory domain does not carry these yet (issues 12/13 add them): no preorders, no substitutes offered.
        { sku, orderId, lineId, customerId, quantity, position, expectedAt, preorder: false, substitutes: [] },
        meta,
      );
    }
    case 'BackorderAllocated': {
      const { orderId, lineId, customerId, quantity, remaining } = event.data;
      return createEnvelope('BackorderAllocated', { sku, orderId, lineId, customerId, quantity, remaining }, meta);
    }
    case 'BackorderEtaChanged': {
      const { orderId, lineId, customerId, previousExpectedAt, expectedAt } = event.data;
      return createEnvelope(
        'BackorderEtaChanged',
        { sku, orderId, lineId, customerId, previousExpectedAt, expectedAt },
        meta,
      );
    }
    case 'BackorderReleased': {
      const { orderId, lineId, customerId, quantity, reason } = event.data;
      return createEnvelope('BackorderReleased', { sku, orderId, lineId, customerId, quantity, reason }, meta);
    }
    case 'ReservationReleased': {
      const { orderId, lineId, customerId, quantity, reason } = event.data;
      return createEnvelope('StockReleased', { sku, orderId, lineId, customerId, quantity, reason }, meta);
    }
    case 'StockUnavailable': {
      // The domain's reason (unknown SKU, not backorderable, no restock) is not part of the contract.
      const { orderId, lineId, customerId, quantity, substitutes } = event.data;
      return createEnvelope(
        'StockUnavailable',
        { sku, orderId, lineId, customerId, quantity, substitutes: [...substitutes] },
        meta,
      );
    }
    case 'ReplenishmentRequested': {
      const { quantity, reason, leadTimeDays } = event.data;
      return createEnvelope('ReplenishmentRequested', { sku, quantity, reason, leadTimeDays }, meta);
    }
    case 'BackInStock':
      return createEnvelope('BackInStock', { sku, available: event.data.available }, meta);
    case 'SkuConfigured':
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
