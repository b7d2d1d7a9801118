import { createEnvelope, type AnyEnvelope, type MessageData, type MessageType } from '@fulfillment/contracts';
import { describe, expect, it } from '@jest/globals';
import { inventoryOutcomeOf, isInventoryOutcome, orderWorkOfOutcome, type InventoryOutcomeEnvelope } from './inventory-events.mapper.js';

const line = { sku: 'SKU-A', orderId: 'o-1', lineId: 'o-1-1', customerId: 'cust-1' };
const at = '2026-12-04T08:00:00.000Z';

function envelope<T extends MessageType>(type: T, data: MessageData<T>): AnyEnvelope {
  return createEnvelope(type, data, { source: 'inventory', correlationId: 'corr-9', causationId: 'cause-9' }) as AnyEnvelope;
}

const outcome = (env: AnyEnvelope) => {
  if (!isInventoryOutcome(env)) throw new Error(`${env.type} is not an outcome`);
  return inventoryOutcomeOf(env);
};

describe('inventory events as order commands', () => {
  it.each([
    [envelope('StockReserved', { ...line, quantity: 2 }), { type: 'RecordStockReserved', data: { lineId: 'o-1-1', quantity: 2 } }],
    [
      envelope('BackorderQueued', { ...line, quantity: 2, position: 3, expectedAt: at, preorder: false, substitutes: [] }),
      { type: 'RecordBackorderQueued', data: { lineId: 'o-1-1', quantity: 2, expectedAt: at, substitutes: [] } },
    ],
    [
      envelope('BackorderAllocated', { ...line, quantity: 1, remaining: 1 }),
      { type: 'RecordBackorderAllocated', data: { lineId: 'o-1-1', quantity: 1 } },
    ],
    [
      envelope('BackorderEtaChanged', { ...line, previousExpectedAt: null, expectedAt: at }),
      { type: 'RecordBackorderEtaChanged', data: { lineId: 'o-1-1', expectedAt: at } },
    ],
    [
      envelope('BackorderReleased', { ...line, quantity: 1, reason: 'order-cancelled' }),
      { type: 'RecordBackorderReleased', data: { lineId: 'o-1-1', quantity: 1, reason: 'order-cancelled' } },
    ],
    [
      envelope('StockReleased', { ...line, quantity: 2, reason: 'order-cancelled' }),
      { type: 'RecordStockReleased', data: { lineId: 'o-1-1', quantity: 2, reason: 'order-cancelled' } },
    ],
    [
      envelope('StockUnavailable', { ...line, quantity: 3, substitutes: ['SKU-B'] }),
      { type: 'RecordStockUnavailable', data: { lineId: 'o-1-1', quantity: 3, substitutes: ['SKU-B'] } },
    ],
    [envelope('StockShipped', { ...line, quantity: 2 }), { type: 'RecordStockShipped', data: { lineId: 'o-1-1', quantity: 2 } }],
    [
      envelope('BackorderQueued', { ...line, quantity: 1, position: 1, expectedAt: null, preorder: true, substitutes: ['SKU-B', 'SKU-C'] }),
      { type: 'RecordBackorderQueued', data: { lineId: 'o-1-1', quantity: 1, expectedAt: null, substitutes: ['SKU-B', 'SKU-C'] } },
    ],
  ])('%#: %p maps field by field, keyed by the envelope id', (env, expected) => {
    expect(outcome(env)).toEqual({ ...expected, data: { ...expected.data, eventId: env.id } });
  });

  it('ignores what is not about an order line', () => {
    expect(isInventoryOutcome(envelope('BackInStock', { sku: 'SKU-A', available: 3 }))).toBe(false);
    expect(isInventoryOutcome(envelope('ReplenishmentRequested', { sku: 'SKU-A', quantity: 10, reason: 'reorder-point' }))).toBe(false);
  });

  it("targets the event's order and carries its correlation, caused by the event itself", () => {
    const env = envelope('StockReserved', { ...line, quantity: 2 }) as InventoryOutcomeEnvelope;
    expect(orderWorkOfOutcome(env, '2026-11-27T10:00:00.000Z')).toMatchObject({
      id: 'o-1',
      at: '2026-11-27T10:00:00.000Z',
      cause: { correlationId: 'corr-9', causationId: env.id },
    });
  });
});
