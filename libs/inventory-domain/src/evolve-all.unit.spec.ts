import { describe, expect, it } from '@jest/globals';
import { evolveAll } from './evolve-all.js';
import { evolve, initialState, type LineRef, type SkuEvent, type SkuState } from './sku.js';

const at = '2026-11-27T10:00:00.000Z';
const later = '2026-12-04T00:00:00.000Z';
const line = (n: number): LineRef => ({ orderId: `order-${n}`, lineId: 'line-1', customerId: `customer-${n}` });
const queued = (n: number, quantity: number): SkuEvent => ({
  type: 'BackorderQueued',
  data: { ...line(n), quantity, position: n, expectedAt: null, at },
});

// Every line event, including a line that leaves and comes back, and ids that would collide if simply concatenated.
const history: SkuEvent[] = [
  { type: 'StockAdjusted', data: { delta: 4, reason: 'count', at } },
  { type: 'StockReserved', data: { ...line(0), quantity: 2, at } },
  queued(1, 3),
  queued(2, 2),
  queued(3, 5),
  { type: 'BackorderQueued', data: { orderId: 'order-1l', lineId: 'ine-1', customerId: 'c', quantity: 1, position: 4, expectedAt: null, at } },
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

  // Work is counted as reads of the queued lines' fields: serving a line must not mean looking at every other one.
  const countingReads = (state: SkuState) => {
    const reads = { count: 0 };
    const counted = <T extends object>(item: T): T =>
      new Proxy(item, {
        get(target, key, receiver) {
          reads.count++;
          return Reflect.get(target, key, receiver);
        },
      });
    return { reads, state: { ...state, queue: state.queue.map(counted), reservations: state.reservations.map(counted) } };
  };
  const allocationsFor = (state: SkuState): SkuEvent[] =>
    state.queue.map((waiting) => ({
      type: 'BackorderAllocated',
      data: { orderId: waiting.orderId, lineId: waiting.lineId, customerId: waiting.customerId, quantity: 1, remaining: 0, at },
    }));
  const queueOf = (lines: number) => evolveAll(initialState(), Array.from({ length: lines }, (_, n) => queued(n, 1)));

  it('serves a long queue reading each queued line a bounded number of times', () => {
    const lines = 20_000;
    const filled = queueOf(lines);
    const allocations = allocationsFor(filled);
    const { reads, state } = countingReads(filled);
    const served = evolveAll(state, allocations);
    const readsPerLine = reads.count / lines;
    expect(served.queue).toEqual([]);
    expect(served.reservations).toHaveLength(lines);
    // Two today (the index by line reads orderId and lineId once); a fold that searched per event would read thousands.
    expect(readsPerLine).toBeLessThanOrEqual(10);
  });

  it('counts the work that one event at a time costs: every allocation looks through the whole queue', () => {
    // The measure above would catch a fold that went back to copying and searching the lists per event.
    const lines = 400;
    const filled = queueOf(lines);
    const { reads, state } = countingReads(filled);
    allocationsFor(filled).reduce(evolve, state);
    expect(reads.count / lines).toBeGreaterThan(lines / 4);
  });
});
