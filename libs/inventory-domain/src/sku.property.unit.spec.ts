import { describe, it } from '@jest/globals';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isInventoryDomainError, type InventoryErrorCode } from './inventory-domain.error.js';
import { evolveAll } from './evolve-all.js';
import { decide, type SkuCommand } from './sku.decide.js';
import { evolve, initialState, type LineRef, type QueuedLine, type SkuEvent, type SkuState } from './sku.js';
import { available, heldLines, nextSweepAt, queuedLines, reserved } from './sku.views.js';

// node:assert rather than Jest's expect: these checks run a few hundred thousand times per run, and expect's
// per-call cost would make the file take a minute; fast-check reports the failing assertion with its counterexample.
//
// Random command sequences against one SKU; after every command the invariants of SPEC rules 1 to 7 and sections 9
// and 10 must hold. The pools are small on purpose: lines get shipped, cancelled in part and re-used, purchase orders
// get received, re-registered and re-dated, policies and release dates change while lines wait, and the clock
// advances between sweeps, so the interesting interleavings come up often.

const START = Date.parse('2026-11-27T10:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number): string => new Date(ms).toISOString();
const later = (a: string, b: string): string => (Date.parse(a) >= Date.parse(b) ? a : b);

type Draft =
  | {
      kind: 'configure';
      backorderable: boolean;
      leadTimeDays: number | null;
      reorderPoint: number;
      safetyStock: number;
      substitutes: readonly string[];
      maxBackorder: number | null;
      maxWaitDays: number | null;
      autoCancelAfterDays: number | null;
      releaseInHours: number | null;
    }
  | { kind: 'allocate'; order: number; line: number; quantity: number }
  | { kind: 'cancel'; order: number; line: number; quantity: number | undefined }
  | { kind: 'ship'; pick: number; quantity: number | null }
  | { kind: 'sweep' }
  | { kind: 'unplanned'; quantity: number }
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
const orderArb = fc.integer({ min: 1, max: 6 });
const lineArb = fc.integer({ min: 1, max: 2 });

/** `arbitrary` one time in `every`, else null (fc.option would give a value four times in five). */
const sometimes = <T>(arbitrary: fc.Arbitrary<T>, every: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: every - 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary });

const configureArb = (releases: fc.Arbitrary<number | null>) =>
  fc.record({
    kind: fc.constant('configure' as const),
    backorderable: fc.boolean(),
    leadTimeDays: fc.option(fc.integer({ min: 0, max: 10 }), { nil: null }),
    reorderPoint: fc.integer({ min: 0, max: 6 }),
    safetyStock: fc.integer({ min: 0, max: 3 }),
    substitutes: fc.subarray(['SKU-B', 'SKU-C']),
    maxBackorder: sometimes(fc.integer({ min: 0, max: 10 }), 2),
    maxWaitDays: sometimes(fc.integer({ min: 0, max: 30 }), 2),
    autoCancelAfterDays: sometimes(fc.integer({ min: 0, max: 5 }), 2),
    releaseInHours: releases,
  });

const draftArb: fc.Arbitrary<Draft> = fc.oneof(
  { weight: 2, arbitrary: configureArb(sometimes(fc.integer({ min: -48, max: 24 * 10 }), 3)) },
  {
    weight: 6,
    arbitrary: fc.record({ kind: fc.constant('allocate' as const), order: orderArb, line: lineArb, quantity: fc.integer({ min: 1, max: 8 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('cancel' as const),
      order: orderArb,
      line: lineArb,
      quantity: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('ship' as const),
      // One of the lines that hold units (so that most shipments are accepted), or a line that holds none.
      pick: fc.nat(),
      // null: whatever the SKU holds for the line; a number may be more than that (a refusal).
      quantity: fc.option(fc.integer({ min: 1, max: 8 }), { nil: null }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('sweep' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('unplanned' as const), quantity: fc.integer({ min: 1, max: 8 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('adjust' as const), delta: fc.integer({ min: -8, max: 12 }).filter((delta) => delta !== 0) }),
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
    arbitrary: fc.record({ kind: fc.constant('redate' as const), po: fc.constantFrom(...poIds), inHours: fc.integer({ min: -48, max: 24 * 40 }) }),
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

type Step = { draft: Draft; advanceMinutes: number };
const stepsArb = fc.array(
  fc.record({ draft: draftArb, advanceMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }) }),
  // size 'max' spreads lengths up to the maximum; the default bias keeps most sequences under ten commands.
  { maxLength: 60, size: 'max' },
);

const keyOf = (line: Pick<LineRef, 'orderId' | 'lineId'>): string => `${line.orderId}/${line.lineId}`;
const heldBy = (state: SkuState, key: string): number => heldLines(state).find((held) => keyOf(held) === key)?.quantity ?? 0;
const waitingFor = (state: SkuState, key: string): number =>
  queuedLines(state).find((queued) => keyOf(queued) === key)?.quantity ?? 0;

const toCommand = (draft: Draft, nowMs: number, state: SkuState): SkuCommand => {
  const now = iso(nowMs);
  switch (draft.kind) {
    case 'configure': {
      const { kind: _kind, releaseInHours, ...configuration } = draft;
      const releaseAt = releaseInHours === null ? null : iso(nowMs + releaseInHours * HOUR);
      return { type: 'ConfigureSku', data: { ...configuration, releaseAt, now } };
    }
    case 'allocate':
      return { type: 'AllocateOrderLine', data: { ...lineRef(draft.order, draft.line), quantity: draft.quantity, now } };
    case 'cancel': {
      const { orderId, lineId } = lineRef(draft.order, draft.line);
      const quantity = draft.quantity === undefined ? {} : { quantity: draft.quantity };
      return { type: 'CancelOrderLine', data: { orderId, lineId, reason: 'line-cancelled', now, ...quantity } };
    }
    case 'ship': {
      const candidates = [...heldLines(state), lineRef(6, 2)];
      const { orderId, lineId } = candidates[draft.pick % candidates.length];
      const quantity = draft.quantity ?? Math.max(1, heldBy(state, keyOf({ orderId, lineId })));
      return { type: 'ShipOrderLine', data: { orderId, lineId, quantity, now } };
    }
    case 'sweep':
      return { type: 'SweepBackorders', data: { now } };
    case 'unplanned':
      return { type: 'RecordReplenishmentUnplanned', data: { quantity: draft.quantity, now } };
    case 'adjust':
      return { type: 'AdjustStock', data: { delta: draft.delta, reason: 'count', now } };
    case 'register':
      return {
        type: 'RegisterPurchaseOrder',
        data: { purchaseOrderId: draft.po, quantity: draft.quantity, expectedAt: iso(nowMs + draft.inHours * HOUR), now },
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

/**
 * What the test itself keeps from the events, apart from the state: whether the SKU holds its preorders, which lines
 * are held for the release, and when the hold of each released preorder line ended.
 */
interface Model {
  holding: boolean;
  releaseAt: string | null;
  heldForRelease: Set<string>;
  holdEnded: Map<string, string>;
}

const endHold = (model: Model, at: string): void => {
  for (const key of model.heldForRelease) model.holdEnded.set(key, at);
  model.heldForRelease.clear();
  model.holding = false;
};

/** The only refusals a well-formed command may meet, derived from the state independently of `decide`. */
const expectedRefusal = (command: SkuCommand, state: SkuState): InventoryErrorCode | null => {
  switch (command.type) {
    case 'AdjustStock':
      return -command.data.delta > state.onHand - reserved(state) ? 'insufficient-stock' : null;
    case 'AllocateOrderLine': {
      const key = keyOf(command.data);
      return heldBy(state, key) + waitingFor(state, key) > 0 ? 'duplicate-line' : null;
    }
    case 'ShipOrderLine':
      return heldBy(state, keyOf(command.data)) < command.data.quantity ? 'not-held' : null;
    case 'RegisterPurchaseOrder':
      return state.purchaseOrders.some((po) => po.purchaseOrderId === command.data.purchaseOrderId)
        ? 'duplicate-purchase-order'
        : null;
    default:
      return null;
  }
};

/**
 * Promised dates computed unit by unit, independently of promised-dates.ts: every unit of supply gets its date (free
 * stock, while preorders are held, the release date, before purchase orders due at the same instant), units are sorted
 * by date, and a line's date is that of the unit its last unit takes; beyond them the calendar day `leadTimeDays` after
 * queuing, never before the previous line; never before the release for a line held for it. `extra` is a line that
 * would join the end of the queue.
 */
const referenceDates = (
  state: SkuState,
  model: Model,
  extra?: { quantity: number; queuedAt: string },
): (string | null)[] => {
  const free = state.onHand - reserved(state);
  const { leadTimeDays, releaseAt } = state.configuration;
  const units = [
    ...(model.holding && releaseAt !== null && free > 0 ? Array.from({ length: free }, () => ({ at: releaseAt, order: -1 })) : []),
    ...state.purchaseOrders.flatMap((po, order) => Array.from({ length: po.openQuantity }, () => ({ at: po.expectedAt, order }))),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.order - b.order);
  const lines = [
    ...queuedLines(state).map((line) => ({ ...line, held: model.heldForRelease.has(keyOf(line)) })),
    ...(extra === undefined ? [] : [{ ...extra, held: model.holding }]),
  ];
  let demand = 0;
  let previous: string | null = null;
  return lines.map((line) => {
    demand += line.quantity;
    let date: string | null;
    if (demand <= units.length) date = units[demand - 1].at;
    else if (leadTimeDays === null) date = null;
    else {
      const queued = new Date(line.queuedAt);
      const day = iso(Date.UTC(queued.getUTCFullYear(), queued.getUTCMonth(), queued.getUTCDate() + leadTimeDays));
      date = previous === null ? day : later(day, previous);
    }
    if (date !== null && line.held && releaseAt !== null) date = later(date, releaseAt);
    previous = date;
    return date;
  });
};

/** Rule 2 and the policies restated: how a new line's units split between stock, queue and "unavailable". */
const expectedAnswer = (quantity: number, state: SkuState, model: Model, now: string) => {
  const free = state.onHand - reserved(state);
  const reservedNow = model.holding ? 0 : Math.min(quantity, free);
  const rest = quantity - reservedNow;
  if (!state.known) return { reserved: reservedNow, queued: 0, unavailable: rest };
  const { backorderable, leadTimeDays, maxBackorder, maxWaitDays, releaseAt } = state.configuration;
  const forRelease = model.holding ? free : 0;
  const onOrder = state.purchaseOrders.reduce((total, po) => total + po.openQuantity, 0);
  const waiting = queuedLines(state).reduce((total, line) => total + line.quantity, 0);
  let queued: number;
  if (!backorderable) queued = Math.min(rest, Math.max(0, forRelease - waiting));
  else if (leadTimeDays !== null) queued = rest;
  else queued = Math.min(rest, Math.max(0, forRelease + onOrder - waiting));
  if (maxBackorder !== null) queued = Math.min(queued, Math.max(0, maxBackorder + forRelease - waiting));
  if (maxWaitDays !== null) {
    const from = model.holding && releaseAt !== null ? later(now, releaseAt) : now;
    const deadline = Date.parse(from) + maxWaitDays * DAY;
    const within = (units: number) => {
      const date = referenceDates(state, model, { quantity: units, queuedAt: now }).at(-1) ?? null;
      return date !== null && Date.parse(date) <= deadline;
    };
    while (queued > 0 && !within(queued)) queued -= 1;
  }
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
  shipped: number;
}

const deepFreeze = <T>(value: T): T => {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    Object.values(value).forEach(deepFreeze);
  }
  return value;
};

/** Rule 6's position restated: free stock, open purchase orders and requested units (planned or not), less the queue. */
const stockPosition = (state: SkuState): number =>
  state.onHand -
  heldLines(state).reduce((total, line) => total + line.quantity, 0) +
  state.purchaseOrders.reduce((total, po) => total + po.openQuantity, 0) +
  state.pendingReplenishment +
  state.unplannedReplenishment -
  queuedLines(state).reduce((total, line) => total + line.quantity, 0);

const isOverdue = (state: SkuState, model: Model, line: QueuedLine, now: string): boolean => {
  const days = state.configuration.autoCancelAfterDays;
  const key = keyOf(line);
  if (days === null || model.heldForRelease.has(key)) return false;
  const ended = model.holdEnded.get(key);
  const since = ended === undefined ? line.queuedAt : later(line.queuedAt, ended);
  return Date.parse(now) - Date.parse(since) > days * DAY;
};

/** Checks one emitted event against the state just before it, and books it in the ledgers and the model. */
const checkEvent = (before: SkuState, event: SkuEvent, now: string, ledgers: Map<string, Ledger>, model: Model): void => {
  const ledgerOf = (line: LineRef): Ledger => {
    const ledger = ledgers.get(keyOf(line));
    if (ledger === undefined) throw new Error(`${event.type} for a line that never arrived: ${keyOf(line)}`);
    return ledger;
  };
  const queue = queuedLines(before);
  const free = available(before);
  switch (event.type) {
    case 'SkuConfigured': {
      const { releaseAt } = event.data;
      if (releaseAt === null) endHold(model, event.data.at);
      else if (releaseAt !== model.releaseAt && !model.holding) model.holding = true;
      model.releaseAt = releaseAt;
      break;
    }
    case 'SkuReleased':
      assert.ok(model.holding, 'released a SKU that held nothing');
      assert.ok(Date.parse(now) >= Date.parse(event.data.releaseAt), 'released before releaseAt');
      endHold(model, event.data.at);
      break;
    case 'StockReserved':
      // Reserving while a line waits would overtake it; while preorders are held, nothing is reserved at all.
      assert.equal(queue.length, 0, 'a line reserved while others waited');
      assert.equal(model.holding, false, 'a line reserved while preorders were held');
      assert.ok(event.data.quantity <= free, 'reserved more than free stock');
      ledgerOf(event.data).reserved += event.data.quantity;
      break;
    case 'BackorderQueued': {
      assert.equal(event.data.position, queue.length + 1);
      assert.equal(event.data.preorder, model.holding, 'preorder flag');
      assert.deepEqual(event.data.substitutes, before.configuration.substitutes);
      const { maxBackorder, maxWaitDays, releaseAt } = before.configuration;
      const beyondStock = queue.reduce((total, line) => total + line.quantity, 0) + event.data.quantity - (model.holding ? free : 0);
      if (maxBackorder !== null) assert.ok(beyondStock <= maxBackorder, 'backorder cap exceeded');
      if (maxWaitDays !== null) {
        const from = model.holding && releaseAt !== null ? later(now, releaseAt) : now;
        assert.ok(event.data.expectedAt !== null, 'queued without a date under a horizon');
        assert.ok(Date.parse(event.data.expectedAt) <= Date.parse(from) + maxWaitDays * DAY, 'queued beyond the horizon');
      }
      if (model.holding) model.heldForRelease.add(keyOf(event.data));
      ledgerOf(event.data).queued += event.data.quantity;
      break;
    }
    case 'StockUnavailable':
      assert.deepEqual(event.data.substitutes, before.known ? before.configuration.substitutes : []);
      assert.equal(event.data.reason === 'unknown-sku', !before.known);
      ledgerOf(event.data).unavailable += event.data.quantity;
      break;
    case 'BackorderAllocated': {
      // Only the head of the queue is ever served, never before its release, never after its deadline.
      const head = queue[0];
      assert.equal(head === undefined ? null : keyOf(head), keyOf(event.data), 'served a line that is not the head');
      assert.equal(model.heldForRelease.has(keyOf(head)), false, 'a preorder served before its release');
      assert.equal(isOverdue(before, model, head, now), false, 'an overdue line served');
      assert.ok(event.data.quantity > 0);
      assert.ok(event.data.quantity <= Math.min(head.quantity, free), 'allocated beyond free or need');
      assert.equal(event.data.remaining, head.quantity - event.data.quantity);
      ledgerOf(event.data).allocated += event.data.quantity;
      break;
    }
    case 'BackorderEtaChanged': {
      const queued = queue.find((line) => keyOf(line) === keyOf(event.data));
      assert.equal(queued?.expectedAt, event.data.previousExpectedAt);
      assert.notEqual(event.data.expectedAt, event.data.previousExpectedAt, 'a date change that moves nothing');
      break;
    }
    case 'BackorderReleased': {
      const line = queue.find((queued) => keyOf(queued) === keyOf(event.data));
      assert.ok(line !== undefined && event.data.quantity > 0 && event.data.quantity <= line.quantity);
      if (event.data.reason === 'expired') {
        assert.ok(isOverdue(before, model, line, now), 'expired a line that was not overdue');
        assert.equal(event.data.quantity, line.quantity, 'expired part of a line');
      }
      ledgerOf(event.data).releasedWaiting += event.data.quantity;
      break;
    }
    case 'ReservationReleased':
      assert.ok(event.data.quantity > 0 && event.data.quantity <= heldBy(before, keyOf(event.data)));
      ledgerOf(event.data).releasedHeld += event.data.quantity;
      break;
    case 'StockShipped':
      assert.ok(event.data.quantity > 0 && event.data.quantity <= heldBy(before, keyOf(event.data)), 'shipped unheld units');
      ledgerOf(event.data).shipped += event.data.quantity;
      break;
    case 'BackInStock':
      assert.equal(before.toldOutOfStock, true, 'back in stock announced to nobody');
      assert.equal(model.holding, false, 'stock held for a release announced');
      assert.equal(event.data.available, free);
      assert.ok(event.data.available > 0);
      break;
    case 'ReplenishmentRequested': {
      // Only below the reorder point, and up to reorder point plus safety stock.
      const { reorderPoint, safetyStock } = before.configuration;
      assert.ok(stockPosition(before) < reorderPoint, 'replenishment requested above the reorder point');
      assert.equal(event.data.quantity, reorderPoint + safetyStock - stockPosition(before));
      break;
    }
    case 'ReplenishmentUnplanned':
      assert.ok(event.data.quantity > 0 && event.data.quantity <= before.pendingReplenishment, 'unplanned beyond pending');
      break;
    default:
      break;
  }
};

const checkInvariants = (state: SkuState, model: Model, ledgers: Map<string, Ledger>, expectedOnHand: number): void => {
  const held = reserved(state);
  const queue = queuedLines(state);
  const lines = heldLines(state);
  // Conservation (received + adjusted = on hand + shipped) and no overselling, without available()'s clamp.
  assert.equal(state.onHand, expectedOnHand, 'units appeared or vanished');
  assert.ok(held <= state.onHand, 'oversold');
  assert.equal(state.onHand, held + available(state));
  assert.equal(held, lines.reduce((total, line) => total + line.quantity, 0), 'reserved total');
  assert.equal(state.backorderedUnits, queue.reduce((total, line) => total + line.quantity, 0), 'backordered total');
  assert.equal(state.queueIndex.size, queue.length);
  // Rule 3: free stock only with an empty queue, or with its head held for the release.
  if (available(state) > 0 && queue.length > 0)
    assert.ok(model.holding && model.heldForRelease.has(keyOf(queue[0])), 'free stock while lines wait');
  // Lines held for the release are the end of the queue, and exist only while the SKU holds.
  const heldFlags = queue.map((line) => model.heldForRelease.has(keyOf(line)));
  assert.deepEqual(heldFlags, [...heldFlags].sort((a, b) => Number(a) - Number(b)), 'a held line before a servable one');
  if (!model.holding) assert.equal(model.heldForRelease.size, 0);
  assert.equal(state.preorderFrom !== null, model.holding, 'hold state');

  for (const [key, ledger] of ledgers) {
    const released = ledger.releasedHeld + ledger.releasedWaiting;
    assert.equal(heldBy(state, key), ledger.reserved + ledger.allocated - ledger.releasedHeld - ledger.shipped, key);
    assert.equal(waitingFor(state, key), ledger.queued - ledger.allocated - ledger.releasedWaiting, key);
    assert.equal(
      heldBy(state, key) + waitingFor(state, key) + ledger.unavailable + released + ledger.shipped,
      ledger.quantity,
      key,
    );
  }
  for (const line of [...lines, ...queue]) {
    assert.ok(ledgers.has(keyOf(line)), `${keyOf(line)} never arrived`);
    assert.ok(line.quantity > 0, 'a line with nothing open kept in the state');
  }
  for (const po of state.purchaseOrders) assert.ok(po.openQuantity > 0);

  // Rule 4: stored dates are the ones the queue and the supply imply.
  assert.deepEqual(queue.map((line) => line.expectedAt), referenceDates(state, model), 'promised dates');

  // Rules 6 and 7: nothing left to request, nobody left waiting for an announcement that is due.
  assert.ok(stockPosition(state) >= state.configuration.reorderPoint, 'a shortfall left unrequested');
  if (available(state) > 0 && !model.holding) assert.equal(state.toldOutOfStock, false, 'back in stock not announced');

  // The shell sweeps a SKU only from nextSweepAt on: a sweep before it must have nothing to do, a sweep at it something.
  // A decision takes effect after the SKU's latest event, so a sweep timed at or before that event is one just after it:
  // when nextSweepAt is at most 1 ms after the latest event (e.g. a release date configured as now), there is no earlier sweep.
  const due = nextSweepAt(state);
  const sweepAt = (ms: number) => decide({ type: 'SweepBackorders', data: { now: iso(ms) } }, state);
  const latestEvent = state.lastEventAt === null ? Number.NEGATIVE_INFINITY : Date.parse(state.lastEventAt);
  if (due === null) assert.deepEqual(sweepAt(START + 3650 * DAY), [], 'a sweep had work although nextSweepAt is null');
  else {
    if (Date.parse(due) - 1 > latestEvent) assert.deepEqual(sweepAt(Date.parse(due) - 1), [], 'a sweep before nextSweepAt had work');
    assert.ok(sweepAt(Date.parse(due)).length > 0, 'a sweep at nextSweepAt had nothing to do');
  }
};

const newLedger = (quantity: number): Ledger => ({
  quantity,
  reserved: 0,
  queued: 0,
  allocated: 0,
  unavailable: 0,
  releasedHeld: 0,
  releasedWaiting: 0,
  shipped: 0,
});

const runSequence = (steps: readonly Step[]): void => {
  let state = initialState();
  let nowMs = START;
  let expectedOnHand = 0;
  let supply: Supply = [];
  // Kept from the events, apart from the state's own flag: someone was told "out of stock" and not yet "back".
  let backInStockOwed = false;
  const history: SkuEvent[] = [];
  const ledgers = new Map<string, Ledger>();
  const model: Model = { holding: false, releaseAt: null, heldForRelease: new Set(), holdEnded: new Map() };

  for (const { draft, advanceMinutes } of steps) {
    nowMs += advanceMinutes * 60_000;
    const now = iso(nowMs);
    const command = toCommand(draft, nowMs, state);
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
    const answer = command.type === 'AllocateOrderLine' ? expectedAnswer(command.data.quantity, state, model, now) : null;
    supply = expectedSupply(supply, command);

    if (command.type === 'AllocateOrderLine') ledgers.set(keyOf(command.data), newLedger(command.data.quantity));
    if (command.type === 'AdjustStock') expectedOnHand += command.data.delta;
    if (command.type === 'ReceiveRestock') expectedOnHand += command.data.quantity;
    const lineBefore =
      command.type === 'CancelOrderLine' || command.type === 'ShipOrderLine'
        ? { held: heldBy(state, keyOf(command.data)), waiting: waitingFor(state, keyOf(command.data)) }
        : null;
    const holdingBefore = model.holding;
    const releaseAtBefore = state.configuration.releaseAt;

    const before = state;
    for (const event of events) {
      checkEvent(state, event, now, ledgers, model);
      if (event.type === 'StockUnavailable') backInStockOwed = true;
      if (event.type === 'BackInStock') backInStockOwed = false;
      if (event.type === 'StockShipped') expectedOnHand -= event.data.quantity;
      state = evolve(state, event);
      for (const key of [...model.heldForRelease, ...model.holdEnded.keys()])
        if (waitingFor(state, key) === 0) {
          model.heldForRelease.delete(key);
          model.holdEnded.delete(key);
        }
    }
    if (available(state) > 0 && !model.holding) assert.equal(backInStockOwed, false, 'free stock never announced');

    const key = command.type === 'CancelOrderLine' || command.type === 'ShipOrderLine' ? keyOf(command.data) : '';
    if (command.type === 'CancelOrderLine' && lineBefore !== null) {
      // Waiting units first, then held ones; without a quantity, everything.
      const asked = command.data.quantity ?? Number.POSITIVE_INFINITY;
      const fromQueue = Math.min(asked, lineBefore.waiting);
      const fromHeld = Math.min(asked - fromQueue, lineBefore.held);
      const released = events.filter((event) => event.type === 'BackorderReleased' && keyOf(event.data) === key);
      assert.equal(released.reduce((total, event) => total + (event.data as { quantity: number }).quantity, 0), fromQueue);
      const freed = events.filter((event) => event.type === 'ReservationReleased' && keyOf(event.data) === key);
      assert.equal(freed.reduce((total, event) => total + (event.data as { quantity: number }).quantity, 0), fromHeld);
    }
    if (command.type === 'ShipOrderLine' && lineBefore !== null) {
      assert.equal(heldBy(state, key), lineBefore.held - command.data.quantity, 'shipped units still held');
      assert.equal(waitingFor(state, key), lineBefore.waiting, 'a shipment changed what waits');
    }
    if (command.type === 'SweepBackorders') {
      for (const line of queuedLines(state)) assert.equal(isOverdue(state, model, line, now), false, 'an overdue line survived a sweep');
      const due = holdingBefore && releaseAtBefore !== null && nowMs >= Date.parse(releaseAtBefore);
      assert.equal(model.holding, holdingBefore && !due, 'release at the first sweep at or after releaseAt');
      const expiredOrder = events.flatMap((event) =>
        event.type === 'BackorderReleased' ? [queuedLines(before).findIndex((line) => keyOf(line) === keyOf(event.data))] : [],
      );
      assert.deepEqual(expiredOrder, [...expiredOrder].sort((a, b) => a - b), 'expired out of FIFO order');
    }
    // Nothing folds differently in bulk, and the inputs (frozen) cannot have been mutated.
    assert.deepEqual(evolveAll(before, events), state, 'evolveAll differs from evolve');
    history.push(...events);
    checkInvariants(state, model, ledgers, expectedOnHand);
    assert.deepEqual(state.purchaseOrders, supply, 'open purchase orders differ from what the supplier said');
    if (command.type === 'AllocateOrderLine') {
      const { reserved: reservedNow, queued, unavailable } = ledgers.get(keyOf(command.data))!;
      assert.deepEqual({ reserved: reservedNow, queued, unavailable }, answer, 'rule 2 split');
    }

    // The events alone, as stored JSON, rebuild the same state; the state is its own JSON snapshot.
    const stored = JSON.parse(JSON.stringify(history)) as SkuEvent[];
    assert.deepEqual(stored.reduce(evolve, initialState()), state, 'replay differs');
    assert.deepEqual(JSON.parse(JSON.stringify(state)), state, 'snapshot differs');
  }
};

const at0 = <T extends Draft>(draft: fc.Arbitrary<T>) => fc.record({ draft, advanceMinutes: fc.constant(0) });
const stocked = at0(fc.record({ kind: fc.constant('adjust' as const), delta: fc.integer({ min: 1, max: 12 }) }));

describe('SKU decider properties', () => {
  it('keeps every invariant after every command of random sequences', () => {
    fc.assert(fc.property(stepsArb, runSequence), { numRuns: 300 });
  });

  it('keeps every invariant when the SKU starts configured with a lead time and stock', () => {
    const configured = at0(
      configureArb(fc.constant(null)).map((draft) => ({ ...draft, backorderable: true, leadTimeDays: draft.leadTimeDays ?? 3 })),
    );
    fc.assert(
      fc.property(configured, stocked, stepsArb, (first, second, rest) => runSequence([first, second, ...rest])),
      { numRuns: 300 },
    );
  });

  it('keeps every invariant when the SKU starts as a preorder SKU with stock, expiry and sweeps', () => {
    const preorders = at0(
      configureArb(fc.integer({ min: 1, max: 24 * 6 })).map((draft) => ({ ...draft, autoCancelAfterDays: draft.autoCancelAfterDays ?? 1 })),
    );
    fc.assert(
      fc.property(preorders, stocked, stepsArb, (first, second, rest) => runSequence([first, second, ...rest])),
      { numRuns: 300 },
    );
  });
});
