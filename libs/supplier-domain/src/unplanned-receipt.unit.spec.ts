import { describe, expect, it } from '@jest/globals';
import { SupplierDomainError } from './supplier-domain.error.js';
import { receiveUnplanned, skuReceiptsStreamName, unplannedReceiptsDecider } from './unplanned-receipt.js';

describe('receiveUnplanned', () => {
  it('records the receipt with its instant normalised', () => {
    expect(receiveUnplanned('SKU-1', 4, '2026-12-01T13:00:00+01:00')).toEqual({
      type: 'UnplannedRestockReceived',
      data: { sku: 'SKU-1', quantity: 4, receivedAt: '2026-12-01T12:00:00.000Z' },
    });
    expect(skuReceiptsStreamName('SKU-1')).toBe('sku-receipts-SKU-1');
  });

  it.each([
    ['a blank sku', ' ', 4, '2026-12-01T12:00:00Z', /^sku:/],
    ['quantity 0', 'SKU-1', 0, '2026-12-01T12:00:00Z', /^quantity:/],
    ['a fractional quantity', 'SKU-1', 2.5, '2026-12-01T12:00:00Z', /^quantity:/],
    ['an instant without a zone', 'SKU-1', 1, '2026-12-01T12:00:00', /^now:/],
  ])('refuses %s as an invalid command', (_, sku, quantity, now, message) => {
    const attempt = () => receiveUnplanned(sku, quantity, now);
    expect(attempt).toThrow(SupplierDomainError);
    expect(attempt).toThrow(message);
  });
});

describe('unplannedReceiptsDecider', () => {
  const now = '2026-12-01T12:00:00.000Z';

  it('records a receipt and counts it', () => {
    const events = unplannedReceiptsDecider.decide({ type: 'ReceiveUnplanned', data: { sku: 'SKU-1', quantity: 3, now } }, unplannedReceiptsDecider.initialState());
    expect(events).toEqual([{ type: 'UnplannedRestockReceived', data: { sku: 'SKU-1', quantity: 3, receivedAt: now } }]);
    expect(events.reduce(unplannedReceiptsDecider.evolve, unplannedReceiptsDecider.initialState())).toEqual({ received: 3 });
  });

  it('refuses to close a purchase order it does not name', () => {
    expect(() =>
      unplannedReceiptsDecider.decide(
        { type: 'ReceiveUnplanned', data: { sku: 'SKU-1', quantity: 3, closePurchaseOrder: true, now } },
        unplannedReceiptsDecider.initialState(),
      ),
    ).toThrow(/^closePurchaseOrder: needs a purchaseOrderId$/);
  });
});
