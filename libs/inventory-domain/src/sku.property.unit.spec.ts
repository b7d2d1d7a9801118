import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isInventoryDomainError, type InventoryErrorCode } from './inventory-domain.error.js';
import { evolveAll } from './evolve-all.js';
import { decide, type SkuCommand } from './sku.decide.js';
import { evolve, initialState, isSameLine, type LineRef, type SkuEvent, type SkuState } from './sku.js';
import { available, reserved, stockPosition } from './sku.views.js';

// node:assert rather than Jest's expect: these checks run a few hundred thousand times per run, and expect's
// per-call cost would make the file take a minute; fast-check reports the failing assertion with its counterexample.
//
// Random command sequences against one SKU; after every command the invariants of SPEC rules 1 to 7 must hold.
// The pools are small on purpose: lines get cancelled and re-used, purchase orders get received, re-registered and
// re-dated, so the interesting interleavings come up often.

const START = Date.parse('2026-11-27T10:00:00.000Z');
const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

type Draft =
  | {
      kind: 'configure';
      backorderable: boolean;
      leadTimeDays: number | null;
      reorderPoint: number;
      safetyStock: number;
      substitutes: readonly string[];
    }
  | { kind: 'allocate'; order: number; line: number; quantity: number }
  | { kind: 'cancel'; order: number; line: number }
  | { kind: 'adjust'; delta: number }
  | { kind: 'register'; po: string; quantity: number; inHours: number }
  | { kind: 'redate'; po: string; inHours: number }
  | { kind: 'receive'; po: string | null; quantity: number; remaining: number | undefined };

const lineRef = (order: number, line: number): LineRef => ({
  orderId: `order-${order}`,
  lineId: `line-${line}`,
  customerId: `customer-${order}`,
});
const poIds = ['po-1', 'po-2', 'po-3'];

const draftArb: fc.Arbitrary<Draft> = fc.oneof(
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('configure' as const),
      backorderable: fc.boolean(),
      leadTimeDays: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
      reorderPoint: fc.integer({ min: 0, max: 6 }),
      safetyStock: fc.integer({ min: 0, max: 3 }),
      substitutes: fc.subarray(['SKU-B', 'SKU-C']),
    }),
  },
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('allocate' as const),
      order: fc.integer({ min: 1, max: 6 }),
      line: fc.integer({ min: 1, max: 2 }),
      quantity: fc.integer({ min: 1, max: 8 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      order: fc.integer({ min: 1, max: 6 }),
      line: fc.integer({ min: 1, max: 2 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('adjust' as const),
      delta: fc.integer({ min: -8, max: 12 }).filter((delta) => delta !== 0),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('register' as const),
      po: fc.constantFrom(...poIds),
      quantity: fc.integer({ min: 1, max: 12 }),
      inHours: fc.integer({ min: 0, max: 24 * 30 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('redate' as const),
      po: fc.constantFrom(...poIds),
      inHours: fc.integer({ min: -48, max: 24 * 40 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('receive' as const),
      po: fc.option(fc.constantFrom(...poIds, 'po-unknown'), { nil: null }),
      quantity: fc.integer({ min: 1, max: 12 }),
      remaining: fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined }),
    }),
  },
);

const stepsArb = fc.array(
  fc.record({ draft: draftArb, advanceMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }) }),
  // size 'max' spreads lengths up to the maximum; the default bias keeps most sequences under ten commands.
  { maxLength: 60, size: 'max' },
);

const toCommand = (draft: Draft, nowMs: number): SkuCommand => {
  const now = iso(nowMs);
  switch (draft.kind) {
    case 'configure': {
      const { kind: _kind, ...configuration } = draft;
      return { type: 'ConfigureSku', data: { ...configuration, now } };
    }
    case 'allocate':
      return {
        type: 'AllocateOrderLine',
        data: { ...lineRef(draft.order, draft.line), quantity: draft.quantity, now },
      };
    case 'cancel': {
      const { orderId, lineId } = lineRef(draft.order, draft.line);
      return { type: 'CancelOrderLine', data: { orderId, lineId, reason: 'customer request', now } };
    }
    case 'adjust':
      return { type: 'AdjustStock', data: { delta: draft.delta, reason: 'count', now } };
    case 'register':
      return {
        type: 'RegisterPurchaseOrder',
        data: {
          purchaseOrderId: draft.po,
          quantity: draft.quantity,
          expectedAt: iso(nowMs + draft.inHours * HOUR),
          now,
        },
      };
    case 'redate':
      return {
        type: 'ChangePurchaseOrderEta',
        data: { purchaseOrderId: draft.po, expectedAt: iso(nowMs + draft.inHours * HOUR), now },
      };
    case 'receive':
      return {
        type: 'ReceiveRestock',
        data: {
          purchaseOrderId: draft.po,
          quantity: draft.quantity,
          now,
          ...(draft.remaining === undefined ? {} : { remainingOnOrder: draft.remaining }),
        },
      };
  }
};

/** The only refusals a well-formed command may meet, derived from the state independently of `decide`. */
const expectedRefusal = (command: SkuCommand, state: SkuState): InventoryErrorCode | null => {
  switch (command.type) {
    case 'AdjustStock':
      return -command.data.delta > state.onHand - reserved(state) ? 'insufficient-stock' : null;
    case 'AllocateOrderLine':
      return [...state.reservations, ...state.queue].some((other) => isSameLine(other, command.data))
        ? 'duplicate-line'
        : null;
    case 'RegisterPurchaseOrder':
      return state.purchaseOrders.some((po) => po.purchaseOrderId === command.data.purchaseOrderId)
        ? 'duplicate-purchase-order'
        : null;
    default:
      return null;
  }
};

/** Rule 2 restated: how a new line's units split between stock, queue and "unavailable". */
const expectedAnswer = (quantity: number, state: SkuState): Pick<Ledger, 'reserved' | 'queued' | 'unavailable'> => {
  const reservedNow = Math.min(quantity, state.onHand - reserved(state));
  const rest = quantity - reservedNow;
  const { backorderable, leadTimeDays } = state.configuration;
  const onOrder = state.purchaseOrders.reduce((total, po) => total + po.openQuantity, 0);
  const waiting = state.queue.reduce((total, line) => total + line.quantity, 0);
  let queued = 0;
  const unpromised = Math.max(0, onOrder - waiting);
  if (state.known && backorderable) queued = leadTimeDays !== null ? rest : Math.min(rest, unpromised);
  return { reserved: reservedNow, queued, unavailable: rest - queued };
};

/** The open purchase orders as the supplier's commands describe them, in registration order. */
type Supply = { purchaseOrderId: string; openQuantity: number; expectedAt: string }[];
const expectedSupply = (supply: Supply, command: SkuCommand): Supply => {
  switch (command.type) {
    case 'RegisterPurchaseOrder': {
      const { purchaseOrderId, quantity, expectedAt } = command.data;
      return [...supply, { purchaseOrderId, openQuantity: quantity, expectedAt }];
    }
    case 'ChangePurchaseOrderEta':
      return supply.map((po) =>
        po.purchaseOrderId === command.data.purchaseOrderId ? { ...po, expectedAt: command.data.expectedAt } : po,
      );
    case 'ReceiveRestock': {
      const { purchaseOrderId, quantity, remainingOnOrder } = command.data;
      return supply
        .map((po) =>
          po.purchaseOrderId === purchaseOrderId
            ? { ...po, openQuantity: remainingOnOrder ?? Math.max(0, po.openQuantity - quantity) }
            : po,
        )
        .filter((po) => po.openQuantity > 0);
    }
    default:
      return supply;
  }
};

/** What happened to the units of one line, summed from the events about it. */
interface Ledger {
  quantity: number;
  reserved: number;
  queued: number;
  allocated: number;
  unavailable: number;
  releasedHeld: number;
  releasedWaiting: number;
}
const keyOf = (line: Pick<LineRef, 'orderId' | 'lineId'>): string => `${line.orderId}/${line.lineId}`;

const heldBy = (state: SkuState, key: string): number =>
  state.reservations.find((held) => keyOf(held) === key)?.quantity ?? 0;
const waitingFor = (state: SkuState, key: string): number =>
  state.queue.find((queued) => keyOf(queued) === key)?.quantity ?? 0;

/**
 * Promised dates computed unit by unit, independently of promised-dates.ts: every open unit gets its purchase order's
 * date, units are sorted by date (ties by registration), and a line's date is the date of the unit its last unit
 * takes; beyond them the calendar day `leadTimeDays` after queuing, never before the previous line.
 */
const referenceDates = (state: SkuState): (string | null)[] => {
  const units = state.purchaseOrders
    .flatMap((po, registration) => Array.from({ length: po.openQuantity }, () => ({ at: po.expectedAt, registration })))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.registration - b.registration);
  const { leadTimeDays } = state.configuration;
  let demand = 0;
  let previous: string | null = null;
  return state.queue.map((line) => {
    demand += line.quantity;
    let date: string | null;
    if (demand <= units.length) date = units[demand - 1].at;
    else if (leadTimeDays === null) date = null;
    else {
      const queued = new Date(line.queuedAt);
      const day = Date.UTC(queued.getUTCFullYear(), queued.getUTCMonth(), queued.getUTCDate() + leadTimeDays);
      date = previous !== null && Date.parse(previous) > day ? previous : iso(day);
    }
    previous = date;
    return date;
  });
};

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
};

/** Checks one emitted event against the state just before it, and books it in the line ledgers. */
const checkEvent = (before: SkuState, event: SkuEvent, ledgers: Map<string, Ledger>): void => {
  const ledgerOf = (line: LineRef): Ledger => {
    const ledger = ledgers.get(keyOf(line));
    if (ledger === undefined) throw new Error(`${event.type} for a line that never arrived: ${keyOf(line)}`);
    return ledger;
  };
  switch (event.type) {
    case 'StockReserved':
      // Reserving while a line waits would overtake it.
      assert.equal(before.queue.length, 0, 'a line reserved while others waited');
      assert.ok(event.data.quantity <= available(before), 'reserved more than free stock');
      ledgerOf(event.data).reserved += event.data.quantity;
      break;
    case 'BackorderQueued':
      assert.equal(event.data.position, before.queue.length + 1);
      ledgerOf(event.data).queued += event.data.quantity;
      break;
    case 'StockUnavailable':
      assert.deepEqual(event.data.substitutes, before.known ? before.configuration.substitutes : []);
      assert.equal(event.data.reason === 'unknown-sku', !before.known);
      ledgerOf(event.data).unavailable += event.data.quantity;
      break;
    case 'BackorderAllocated': {
      // Only the head of the queue is ever served.
      const head = before.queue[0];
      assert.equal(head === undefined ? null : keyOf(head), keyOf(event.data), 'served a line that is not the head');
      assert.ok(event.data.quantity > 0);
      assert.ok(event.data.quantity <= Math.min(head.quantity, available(before)), 'allocated beyond free or need');
      assert.equal(event.data.remaining, head.quantity - event.data.quantity);
      ledgerOf(event.data).allocated += event.data.quantity;
      break;
    }
    case 'BackorderEtaChanged': {
      const queued = before.queue.find((line) => isSameLine(line, event.data));
      assert.equal(queued?.expectedAt, event.data.previousExpectedAt);
      assert.notEqual(event.data.expectedAt, event.data.previousExpectedAt, 'a date change that moves nothing');
      break;
    }
    case 'BackorderReleased':
      assert.equal(waitingFor(before, keyOf(event.data)), event.data.quantity);
      ledgerOf(event.data).releasedWaiting += event.data.quantity;
      break;
    case 'ReservationReleased':
      assert.equal(heldBy(before, keyOf(event.data)), event.data.quantity);
      ledgerOf(event.data).releasedHeld += event.data.quantity;
      break;
    case 'BackInStock':
      assert.equal(before.toldOutOfStock, true, 'back in stock announced to nobody');
      assert.equal(event.data.available, available(before));
      assert.ok(event.data.available > 0);
      break;
    case 'ReplenishmentRequested': {
      // Only below the reorder point, and up to reorder point plus safety stock.
      const { reorderPoint, safetyStock } = before.configuration;
      assert.ok(stockPosition(before) < reorderPoint, 'replenishment requested above the reorder point');
      assert.equal(event.data.quantity, reorderPoint + safetyStock - stockPosition(before));
      break;
    }
    default:
      break;
  }
};

const checkInvariants = (state: SkuState, ledgers: Map<string, Ledger>, expectedOnHand: number): void => {
  const held = reserved(state);
  // Conservation and no overselling; computed without available()'s clamp so that a negative free stock shows.
  assert.equal(state.onHand, expectedOnHand, 'units appeared or vanished');
  assert.ok(held <= state.onHand, 'oversold');
  assert.equal(state.onHand, held + available(state));
  // Rule 3: free stock only with an empty queue.
  if (available(state) > 0) assert.equal(state.queue.length, 0, 'free stock while lines wait');

  for (const [key, ledger] of ledgers) {
    const released = ledger.releasedHeld + ledger.releasedWaiting;
    assert.equal(heldBy(state, key), ledger.reserved + ledger.allocated - ledger.releasedHeld, key);
    assert.equal(waitingFor(state, key), ledger.queued - ledger.allocated - ledger.releasedWaiting, key);
    assert.equal(heldBy(state, key) + waitingFor(state, key) + ledger.unavailable + released, ledger.quantity, key);
  }
  for (const line of [...state.reservations, ...state.queue]) {
    assert.ok(ledgers.has(keyOf(line)), `${keyOf(line)} never arrived`);
    assert.ok(line.quantity > 0);
  }
  for (const po of state.purchaseOrders) assert.ok(po.openQuantity > 0);

  // Rule 4: stored dates are the ones the queue and purchase orders imply, non-decreasing, nulls last.
  const dates = state.queue.map((line) => line.expectedAt);
  assert.deepEqual(dates, referenceDates(state));
  dates.slice(1).forEach((date, index) => {
    const previous = dates[index];
    if (previous === null) assert.equal(date, null, 'a dated line after an undated one');
    else if (date !== null) assert.ok(Date.parse(date) >= Date.parse(previous), 'a later line promised earlier');
  });

  // Rules 6 and 7: nothing left to request, nobody left waiting for an announcement that is due.
  assert.ok(stockPosition(state) >= state.configuration.reorderPoint, 'a shortfall left unrequested');
  if (available(state) > 0) assert.equal(state.toldOutOfStock, false, 'back in stock not announced');
};

const runSequence = (steps: readonly { draft: Draft; advanceMinutes: number }[]): void => {
  let state = initialState();
  let nowMs = START;
  let expectedOnHand = 0;
  let supply: Supply = [];
  // Kept from the events, apart from the state's own flag: someone was told "out of stock" and not yet "back".
  let backInStockOwed = false;
  const history: SkuEvent[] = [];
  const ledgers = new Map<string, Ledger>();

  for (const { draft, advanceMinutes } of steps) {
    nowMs += advanceMinutes * 60_000;
    const command = toCommand(draft, nowMs);
    deepFreeze(state);
    const refusal = expectedRefusal(command, state);
    let events: SkuEvent[];
    try {
      events = decide(command, state);
    } catch (error) {
      if (!isInventoryDomainError(error)) throw error;
      assert.equal(error.code, refusal, error.message);
      continue;
    }
    assert.equal(refusal, null, 'a refusal was due');
    assert.deepEqual(decide(command, state), events, 'decide is not deterministic');
    const answer = command.type === 'AllocateOrderLine' ? expectedAnswer(command.data.quantity, state) : null;
    supply = expectedSupply(supply, command);

    if (command.type === 'AllocateOrderLine') {
      ledgers.set(keyOf(command.data), {
        quantity: command.data.quantity,
        reserved: 0,
        queued: 0,
        allocated: 0,
        unavailable: 0,
        releasedHeld: 0,
        releasedWaiting: 0,
      });
    }
    if (command.type === 'AdjustStock') expectedOnHand += command.data.delta;
    if (command.type === 'ReceiveRestock') expectedOnHand += command.data.quantity;

    const before = state;
    for (const event of events) {
      checkEvent(state, event, ledgers);
      if (event.type === 'StockUnavailable') backInStockOwed = true;
      if (event.type === 'BackInStock') backInStockOwed = false;
      state = evolve(state, event);
    }
    if (available(state) > 0) assert.equal(backInStockOwed, false, 'free stock never announced');
    if (command.type === 'CancelOrderLine') {
      const key = keyOf(command.data);
      assert.equal(heldBy(state, key) + waitingFor(state, key), 0, `${key} survived its cancellation`);
    }
    // The bulk fold (frozen input, so it cannot have mutated it) lands on the same state as one event at a time.
    assert.deepEqual(evolveAll(before, events), state, 'evolveAll differs from evolve');
    history.push(...events);
    checkInvariants(state, ledgers, expectedOnHand);
    assert.deepEqual(state.purchaseOrders, supply, 'open purchase orders differ from what the supplier said');
    if (command.type === 'AllocateOrderLine') {
      const { reserved: reservedNow, queued, unavailable } = ledgers.get(keyOf(command.data))!;
      assert.deepEqual({ reserved: reservedNow, queued, unavailable }, answer, 'rule 2 split');
    }

    // The events alone, as stored JSON, rebuild the same state.
    const stored = JSON.parse(JSON.stringify(history)) as SkuEvent[];
    assert.deepEqual(stored.reduce(evolve, initialState()), state, 'replay differs');
    assert.deepEqual(evolveAll(initialState(), stored), state, 'bulk replay differs');
  }
};

describe('SKU decider properties', () => {
  it('keeps every invariant after every command of random sequences', () => {
    fc.assert(fc.property(stepsArb, runSequence), { numRuns: 300 });
  });

  it('keeps every invariant when the SKU starts configured with a lead time and stock', () => {
    const configured = fc.record({
      draft: fc.record({
        kind: fc.constant('configure' as const),
        backorderable: fc.constant(true),
        leadTimeDays: fc.integer({ min: 0, max: 10 }),
        reorderPoint: fc.integer({ min: 0, max: 6 }),
        safetyStock: fc.integer({ min: 0, max: 3 }),
        substitutes: fc.constant<readonly string[]>([]),
      }),
      advanceMinutes: fc.constant(0),
    });
    const stocked = fc.record({
      draft: fc.record({ kind: fc.constant('adjust' as const), delta: fc.integer({ min: 1, max: 12 }) }),
      advanceMinutes: fc.constant(0),
    });
    fc.assert(
      fc.property(configured, stocked, stepsArb, (first, second, rest) => runSequence([first, second, ...rest])),
      { numRuns: 300 },
    );
  });
});
