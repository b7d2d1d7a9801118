import type { IsoInstant } from '@fulfillment/time';
import { instant } from './command-fields.js';
import type { PlacePurchaseOrder } from './purchase-order.decide.js';
import { SupplierDomainError } from './supplier-domain.error.js';

export interface ReplenishmentRequest {
  readonly sku: string;
  readonly quantity: number;
  /** The SKU's supplier lead time; null when the SKU has none. */
  readonly leadTimeDays: number | null;
  readonly requestedAt: IsoInstant;
  /** Id for the purchase order, chosen by the caller so that the policy stays pure. */
  readonly newId: string;
}

const DAY_MS = 86_400_000;

/**
 * The purchase order that answers inventory's `ReplenishmentRequested`, or null when the SKU has no lead time (nobody
 * to order from in a known time). It is expected at the start of the UTC day `leadTimeDays` after the request:
 * inventory truncates its lead-time promises the same way, so the purchase order lands on the date the customers
 * were already given and moves none of them.
 */
export function planReplenishment(request: ReplenishmentRequest): PlacePurchaseOrder | null {
  const { sku, quantity, leadTimeDays, requestedAt, newId } = request;
  if (leadTimeDays === null) return null;
  if (!Number.isSafeInteger(leadTimeDays) || leadTimeDays < 0) {
    throw new SupplierDomainError('invalid-command', `leadTimeDays: must be whole days >= 0, got ${leadTimeDays}`);
  }
  const now = instant(requestedAt, 'requestedAt');
  const expectedAt = new Date(Math.floor((Date.parse(now) + leadTimeDays * DAY_MS) / DAY_MS) * DAY_MS).toISOString();
  return {
    type: 'PlacePurchaseOrder',
    data: { purchaseOrderId: newId, sku, quantity, expectedAt, reason: 'replenishment', now },
  };
}
