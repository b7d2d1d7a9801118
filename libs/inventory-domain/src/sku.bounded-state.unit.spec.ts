// Issue 12's bounded state: a SKU holds its open lines only, and one decision's work depends on neither the SKU's
// history nor, beyond a logarithm, on how many lines are open. Everything here is counted (lines, snapshot bytes,
// property reads), never timed.
import { describe, expect, it } from '@jest/globals';
import { evolveAll } from './evolve-all.js';
import { decide, type SkuCommand } from './sku.decide.js';
import { initialState, type LineRef, type SkuEvent, type SkuState } from './sku.js';
import { event, T0 } from './test-support/sku-fixtures.js';

const ORDERS = 20_000;
const lineOf = (n: number): LineRef => ({ orderId: `order-${n}`, lineId: `order-${n}-1`, customerId: `customer-${n % 97}` });
const allocate = (n: number, quantity = 1): SkuCommand => ({ type: 'AllocateOrderLine', data: { ...lineOf(n), quantity, now: T0 } });
const ship = (n: number, quantity = 1): SkuCommand => ({ type: 'ShipOrderLine', data: { orderId: `order-${n}`, lineId: `order-${n}-1`, quantity, now: T0 } });

/** Runs the commands the way the service does: decide on the current state, then fold what was decided. */
const run = (state: SkuState, commands: Iterable<SkuCommand>): SkuState => {
  let current = state;
  for (const command of commands) current = evolveAll(current, decide(command, current));
  return current;
};

function* orders(from: number, to: number, each: (n: number) => SkuCommand[]): Generator<SkuCommand> {
  for (let n = from; n < to; n++) yield* each(n);
}

/**
 * The state seen through proxies that count every property read, at any depth: the work a decision does on the state
 * it is given, whatever data structure holds it (a scan of a list reads each element, a tree lookup a path).
 */
const countingReads = (state: SkuState): { state: SkuState; reads: () => number } => {
  let reads = 0;
  const proxies = new WeakMap<object, object>();
  const wrap = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    let proxy = proxies.get(value);
    if (proxy === undefined) {
      proxy = new Proxy(value, {
        get(target, key, receiver) {
          reads += 1;
          return wrap(Reflect.get(target, key, receiver));
        },
      });
      proxies.set(value, proxy);
    }
    return proxy;
  };
  return { state: wrap(state) as SkuState, reads: () => reads };
};

const readsFor = (state: SkuState, command: SkuCommand): number => {
  const counted = countingReads(state);
  evolveAll(counted.state, decide(command, counted.state));
  return counted.reads();
};

const configuredWithStock = (stock: number, extra: SkuEvent[] = []): SkuState =>
  evolveAll(initialState(), [event.configured({ leadTimeDays: 3 }), event.adjusted(stock), ...extra]);

describe('bounded state', () => {
  it('holds after 20,000 shipped orders exactly what a new SKU with the same stock holds', () => {
    const stock = 3 * ORDERS;
    const afterHistory = run(
      configuredWithStock(stock),
      orders(0, ORDERS, (n) => [allocate(n, 1 + (n % 3)), ship(n, 1 + (n % 3))]),
    );
    let shipped = 0;
    for (let n = 0; n < ORDERS; n++) shipped += 1 + (n % 3);
    // Its decisions were all timed T0, so each is dated a millisecond after the one before: only that time differs.
    const fresh = { ...configuredWithStock(stock - shipped), lastEventAt: afterHistory.lastEventAt };
    expect(afterHistory.onHand).toBe(stock - shipped);
    expect(afterHistory).toEqual(fresh);
    expect(JSON.stringify(afterHistory).length).toBe(JSON.stringify(fresh).length);
  });

  it('keeps no trace of 20,000 lines that were backordered, filled, partly cancelled and shipped', () => {
    let state = configuredWithStock(0, [event.poRegistered('po-1', 2 * ORDERS, '2026-12-20T00:00:00.000Z')]);
    state = run(state, orders(0, ORDERS, (n) => [allocate(n, 2)]));
    expect(state.queue.size).toBe(ORDERS);
    const snapshotWhileOpen = JSON.stringify(state).length;
    state = run(state, [{ type: 'ReceiveRestock', data: { purchaseOrderId: 'po-1', quantity: 2 * ORDERS, now: T0 } }]);
    state = run(
      state,
      orders(0, ORDERS, (n) =>
        n % 2 === 0
          ? [ship(n, 2)]
          : [{ type: 'CancelOrderLine', data: { orderId: `order-${n}`, lineId: `order-${n}-1`, quantity: 1, reason: 'line-cancelled', now: T0 } }, ship(n, 1)],
      ),
    );
    const lines = state.reservations.size + state.queue.size + state.queueIndex.size;
    expect(lines).toBe(0);
    // What is left is the totals and counters of a new SKU with some stock: bytes, not lines.
    const fresh = configuredWithStock(state.onHand);
    expect(JSON.stringify(state).length - JSON.stringify(fresh).length).toBeLessThan(20);
    expect(snapshotWhileOpen).toBeGreaterThan(100 * JSON.stringify(state).length);
  });
});

describe('work per decision', () => {
  it('is the same after 20,000 shipped orders as on a new SKU', () => {
    const stock = 2 * ORDERS;
    const afterHistory = run(configuredWithStock(stock), orders(0, ORDERS, (n) => [allocate(n), ship(n)]));
    const fresh = configuredWithStock(stock - ORDERS);
    for (const command of [allocate(ORDERS + 1, 2), ship(ORDERS + 1)]) {
      const state = command.type === 'ShipOrderLine' ? run(afterHistory, [allocate(ORDERS + 1, 2)]) : afterHistory;
      const freshState = command.type === 'ShipOrderLine' ? run(fresh, [allocate(ORDERS + 1, 2)]) : fresh;
      expect(readsFor(state, command)).toBe(readsFor(freshState, command));
    }
  });

  // From 100 to 20,000 open lines an array scan or copy reads 200 times as much; a tree path's depth about doubles
  // (log2 6.6 -> 14.3), and the rest of a decision reads the same fixed fields. Measured here: 270 -> 514 reads.
  const growth = (small: number, large: number): number => large / small;

  it('grows with the logarithm of the open reservations when reserving and shipping', () => {
    const withReservations = (open: number): SkuState => run(configuredWithStock(10 * ORDERS), orders(0, open, (n) => [allocate(n)]));
    const [few, many] = [withReservations(100), withReservations(ORDERS)];
    const reserve = growth(readsFor(few, allocate(ORDERS + 1)), readsFor(many, allocate(ORDERS + 1)));
    const shipOne = growth(readsFor(few, ship(50)), readsFor(many, ship(50)));
    expect(reserve).toBeLessThan(3);
    expect(shipOne).toBeLessThan(3);
    expect(readsFor(many, allocate(ORDERS + 1))).toBeLessThan(1_000);
  });

  it('grows with the logarithm of the queue when a line joins its end', () => {
    const withQueue = (open: number): SkuState => run(configuredWithStock(0), orders(0, open, (n) => [allocate(n)]));
    const [few, many] = [withQueue(100), withQueue(ORDERS)];
    expect(many.queue.size).toBe(ORDERS);
    expect(growth(readsFor(few, allocate(ORDERS + 1)), readsFor(many, allocate(ORDERS + 1)))).toBeLessThan(3);
    expect(readsFor(many, allocate(ORDERS + 1))).toBeLessThan(1_000);
  });
});
