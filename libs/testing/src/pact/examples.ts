/**
 * Example values the consumers' pacts are written with. Only examples: the matchers decide what a provider may send.
 * Shared so that one order line reads the same in every pact, which makes the files easier to compare.
 */
export const PACT_EXAMPLE = Object.freeze({
  orderId: 'c0a8e0f2-5b7d-4e1a-9f3c-6d2b8a4e7f01',
  customerId: 'cust-4821',
  email: 'ada.lovelace@example.com',
  lineId: 'line-1',
  sku: 'SKU-MUG-350-BLUE',
  substitute: 'SKU-MUG-350-GREEN',
  purchaseOrderId: 'po-2026-000317',
  expectedAt: '2026-12-04T08:00:00.000Z',
  laterExpectedAt: '2026-12-09T08:00:00.000Z',
});
