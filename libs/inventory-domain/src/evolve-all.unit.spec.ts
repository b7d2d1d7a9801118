import { describe, expect, it } from '@jest/globals';
import { evolveAll } from './evolve-all.js';
import { evolve, initialState, type LineRef, type SkuEvent } from './sku.js';

const at = '2026-11-27T10:00:00.000Z';
const later = '2026-12-04T00:00:00.000Z';
const line = (n: number): LineRef => ({ orderId: `order-${n}`, lineId: 'line-1', customerId: `customer-${n}` });
const queued = (n: number, quantity: number): SkuEvent => ({
  type: 'BackorderQueued',
  data: { ...line(n), quantity, position: n, expectedAt: null, preorder: false, substitutes: [], at },
});

// Every line event, including a line that leaves and comes back, and ids that would collide if simply concatenated.
const history: SkuEvent[] = [
  { type: 'StockAdjusted', data: { delta: 4, reason: 'count', at } },
  { type: 'StockReserved', data: { ...line(0), quantity: 2, at } },
  queued(1, 3),
  queued(2, 2),
  queued(3, 5),
  {
    type: 'BackorderQueued',
    data: { orderId: 'order-1l', lineId: 'ine-1', customerId: 'c', quantity: 1, position: 4, expectedAt: null, preorder: false, substitutes: [], at },
  },
  { type: 'BackorderEtaChanged', data: { ...line(2), previousExpectedAt: null, expectedAt: later, at } },
  { type: 'RestockReceived', data: { purchaseOrderId: null, quantity: 4, remainingOnOrder: null, at } },
  { type: 'BackorderAllocated', data: { ...line(1), quantity: 3, remaining: 0, at } },
  { type: 'BackorderAllocated', data: { ...line(2), quantity: 1, remaining: 1, at } },
  { type: 'BackorderReleased', data: { ...line(3), quantity: 5, reason: 'cancelled', at } },
  { type: 'ReservationReleased', data: { ...line(0), quantity: 2, reason: 'cancelled', at } },
  { type: 'StockReserved', data: { ...line(0), quantity: 1, at } },
  { type: 'ReservationReleased', data: { ...line(1), quantity: 1, reason: 'partly', at } },
  queued(3, 2),
  { type: 'BackorderAllocated', data: { ...line(2), quantity: 1, remaining: 0, at } },
  { type: 'StockShipped', data: { ...line(1), quantity: 2, at } },
  { type: 'StockShipped', data: { ...line(0), quantity: 1, at } },
  { type: 'StockShipped', data: { ...line(2), quantity: 2, at } },
];

describe('evolveAll', () => {
  it('folds to exactly what evolve gives one event at a time, whatever the split', () => {
    const expected = history.reduce(evolve, initialState());
    expect(evolveAll(initialState(), history)).toEqual(expected);
    for (let split = 0; split <= history.length; split++) {
      const half = evolveAll(initialState(), history.slice(0, split));
      expect(evolveAll(half, history.slice(split))).toEqual(expected);
    }
  });

  it('leaves its input state untouched', () => {
    const start = history.slice(0, 8).reduce(evolve, initialState());
    const snapshot = JSON.stringify(start);
    evolveAll(start, history.slice(8));
    expect(JSON.stringify(start)).toBe(snapshot);
  });

  it('returns the same state for no events', () => {
    const state = history.reduce(evolve, initialState());
    expect(evolveAll(state, [])).toBe(state);
  });

  it('keeps only the lines still open, with totals that match them', () => {
    const state = evolveAll(initialState(), history);
    // order-1l and order-3 wait; nothing is held any more: every held unit shipped or was released.
    expect(state.reservations.size).toBe(0);
    expect(state.reservedUnits).toBe(0);
    expect(state.queue.size).toBe(2);
    expect(state.backorderedUnits).toBe(3);
    expect(state.onHand).toBe(3);
  });
});
