import { normalizeInstant, SupplierDomainError, type IsoInstant } from '@fulfillment/supplier-domain';

/**
 * Goods that arrived outside any purchase order. They change no purchase order, so nothing can refuse them; they
 * are still recorded as events (one small stream per SKU) so every receipt the service ever published is in its store.
 */
export type UnplannedRestockReceived = Readonly<{
  type: 'UnplannedRestockReceived';
  data: Readonly<{ sku: string; quantity: number; receivedAt: IsoInstant }>;
}>;

export const skuReceiptsStreamName = (sku: string): string => `sku-receipts-${sku}`;

export function receiveUnplanned(sku: string, quantity: number, now: IsoInstant): UnplannedRestockReceived {
  if (typeof sku !== 'string' || sku.trim() === '') {
    throw new SupplierDomainError('invalid-command', 'sku: must be a non-empty string');
  }
  if (!Number.isSafeInteger(quantity) || quantity <= 0) {
    throw new SupplierDomainError('invalid-command', `quantity: must be a positive integer, got ${quantity}`);
  }
  const receivedAt = normalizeInstant(now);
  if (receivedAt === null) throw new SupplierDomainError('invalid-command', 'now: must be an ISO-8601 date-time with a zone');
  return { type: 'UnplannedRestockReceived', data: { sku, quantity, receivedAt } };
}
