import { decideByType, type CommandHandlers, type DomainCommand as Command } from '@fulfillment/kernel';
/**
 * The SKU decider: one aggregate per SKU (stream `sku-<SKU>`), rules 1 to 7 and sections 9 and 10 of docs/domain-rules.md. The
 * README of this library lists every command with what it emits; here are the decisions on what SPEC leaves open.
 *
 * 1. Reserve first: a line takes what free stock covers. Free stock is non-zero only while the queue is empty (rule 3)
 *    or its head is held for a release, so a new line never overtakes a waiting one. A line that is still held or
 *    queued cannot arrive again (`duplicate-line`); a line fully answered as unavailable, shipped or released leaves
 *    no trace, so the state holds open lines only; redeliveries are the shell's inbox's job.
 * 2. The rest is queued only for a backorderable SKU with a restock in sight. With a lead time all of it may be
 *    queued (the lead time is the promise) and rule 6 requests the replenishment. Without one, only the supply not
 *    promised to earlier lines (open purchase orders, plus free stock while preorders are held) may be queued. Then
 *    the policies cut: `maxBackorder` caps the units waiting beyond stock on hand (`backorder-cap`), and `maxWaitDays`
 *    keeps the largest part of the line whose promised date is at most that many days after the order, or after the
 *    release for a preorder (`wait-too-long`). The remainder is unavailable, with the reason of the cut that stopped
 *    it. An unknown SKU (never configured, stocked or ordered) answers `unknown-sku` with no substitutes. Turning
 *    `backorderable` off, or lowering a cap or a horizon, keeps the lines already queued: they were promised.
 * 3. Every command that can free stock ends by serving the queue head first, in partial allocations if need be. A
 *    head line that is overdue (see 8) is expired instead of served, so no line is ever served after its deadline,
 *    whether the sweep or a restock reaches it first. A negative adjustment may only take free stock
 *    (`insufficient-stock` otherwise): taking held units would silently break a promise made to a customer.
 * 4. After every command that can move a date (supply, queue head, releases, configuration), the promised date of
 *    each queued line is recomputed (promised-dates.ts) and `BackorderEtaChanged` is emitted for the lines whose date
 *    moved; reserving, queuing at the tail and shipping move no earlier line's date, so they skip the O(queue) walk.
 *    A date from the lead time counts from the day the line was queued, truncated to the start of that UTC day, so the
 *    purchase order the supplier dates the same way lands on the same instant. A line is never promised earlier than
 *    the line before it. Requested replenishment promises nothing: only open purchase orders and the lead time do.
 * 5. Cancelling a line (`CancelOrderLine`) releases `quantity` units, first those still waiting
 *    (`BackorderReleased`), then held ones (`ReservationReleased`), then rule 3; without `quantity`, every unit held
 *    or waiting. More than the SKU has for the line releases what it has: the order also counts units that were
 *    unavailable, which inventory never kept. A line this SKU does not know changes nothing.
 * 6. Stock position = available + incoming + pending + unplanned replenishment - backordered. Below the reorder point
 *    the SKU requests reorderPoint + safetyStock - position. Requested units count as supply until purchase orders
 *    answer them, so one shortfall is requested once; a purchase order subtracts its quantity from the pending
 *    request. Units the supplier reports it cannot plan (`RecordReplenishmentUnplanned`) leave the pending request but
 *    still count until a new lead time is configured: requesting them again without one would only be refused again,
 *    with one they are requested again at once. Reason `backorder` when waiting lines exceed all supply in sight.
 * 7. `BackInStock` is emitted once, when free stock appears after someone was told "out of stock", and not while
 *    the SKU holds its preorders (that stock is promised to the release).
 * 8. Expiry (`autoCancelAfterDays`): a line is overdue once it has waited longer than that many days since it could
 *    first be served: since it was queued for a backorder, since its hold ended (the release, or `releaseAt`
 *    cleared) for a preorder. A line held for a release never expires. `SweepBackorders` releases every overdue line
 *    (`BackorderReleased`, reason `expired`); the held units of a partly allocated line stay held (they can ship).
 *    Later lines move up and get new dates (rule 4). `0` days expires a line at the first sweep after it could be
 *    served.
 * 9. Preorders (`releaseAt`): while the SKU holds for its release, nothing is reserved and every unit ordered is
 *    queued with `preorder: true` (rule 2, with free stock counting as supply at `releaseAt`), promised no earlier than
 *    `releaseAt`; free stock stays on hand for the release, for no other line either. The first `SweepBackorders` at
 *    or after `releaseAt` emits `SkuReleased` and serves the queue FIFO from free stock (the preorders' expiry clocks
 *    start then, so the release serves them first). Moving `releaseAt` before the release re-dates the held lines;
 *    clearing it ends the hold at once (the queue is served in that command); a new `releaseAt` after a release
 *    holds the lines ordered from then on, while lines already waiting are served as usual. A `releaseAt` already
 *    past when configured holds until the next sweep.
 *
 * Shipping (`ShipOrderLine`) takes held units only: more than the SKU holds for the line, or a line it does not hold,
 * is refused (`not-held`); the order service ships reserved or allocated units only, so this is an inconsistency.
 *
 * Purchase orders: the supplier's figures are authoritative. `remainingOnOrder` on a receipt replaces the open quantity
 * (0 closes the purchase order, possibly short); without it a receipt reduces the open quantity by what arrived. A
 * receipt for a purchase order that is not open only adds stock: goods on the shelf are a fact. A date change for a
 * purchase order that is not open (e.g. closed by its last receipt) changes nothing.
 *
 * Configuration is replaced as a whole (PUT semantics: missing fields take their defaults); the same configuration
 * again emits nothing.
 */
import { compareInstants, laterOf, normalizeInstant, type IsoInstant } from '@fulfillment/time';
import { InventoryDomainError } from './inventory-domain.error.js';
import { promiseForNewLine, promisedDates, supplyInDateOrder } from './promised-dates.js';
import { evolveAll } from './evolve-all.js';
import {
  isHeldForRelease,
  isHoldingPreorders,
  lineKey,
  servableSince,
  queuedLineOf,
  reservationOf,
  type LineRef,
  type QueuedLine,
  type SkuConfiguration,
  type SkuEvent,
  type SkuEventType,
  type SkuState,
  type UnavailableReason,
} from './sku.js';
import { hasIn, valuesIn } from './sorted-map.js';
import { available, backordered, incoming, stockPosition } from './sku.views.js';

/**
 * Omitted fields take their defaults: backorderable, no lead time, reorder point and safety stock 0, no substitute,
 * no cap, no horizon, no expiry, no release date.
 */
export type ConfigureSku = Command<
  'ConfigureSku',
  {
    backorderable?: boolean;
    leadTimeDays?: number | null;
    reorderPoint?: number;
    safetyStock?: number;
    substitutes?: readonly string[];
    maxBackorder?: number | null;
    maxWaitDays?: number | null;
    autoCancelAfterDays?: number | null;
    releaseAt?: IsoInstant | null;
    now: IsoInstant;
  }
>;
export type AllocateOrderLine = Command<'AllocateOrderLine', LineRef & { quantity: number; now: IsoInstant }>;
/** Without `quantity`: every unit held or waiting for the line; with it: that many, waiting ones first. */
export type CancelOrderLine = Command<
  'CancelOrderLine',
  { orderId: string; lineId: string; quantity?: number; reason: string; now: IsoInstant }
>;
/** Held units of the line leave the warehouse. */
export type ShipOrderLine = Command<'ShipOrderLine', { orderId: string; lineId: string; quantity: number; now: IsoInstant }>;
/** The clock's tick: expires overdue lines and releases a preorder SKU whose `releaseAt` has come. */
export type SweepBackorders = Command<'SweepBackorders', { now: IsoInstant }>;
/** The supplier could not turn requested units into a purchase order (supplier's `ReplenishmentUnplanned`). */
export type RecordReplenishmentUnplanned = Command<'RecordReplenishmentUnplanned', { quantity: number; now: IsoInstant }>;
/** `delta` is a non-zero integer; a negative one may only take free stock. */
export type AdjustStock = Command<'AdjustStock', { delta: number; reason: string; now: IsoInstant }>;
export type RegisterPurchaseOrder = Command<
  'RegisterPurchaseOrder',
  { purchaseOrderId: string; quantity: number; expectedAt: IsoInstant; now: IsoInstant }
>;
export type ChangePurchaseOrderEta = Command<
  'ChangePurchaseOrderEta',
  { purchaseOrderId: string; expectedAt: IsoInstant; now: IsoInstant }
>;
/** `remainingOnOrder`: what the supplier still expects on that purchase order after this receipt (0 closes it). */
export type ReceiveRestock = Command<
  'ReceiveRestock',
  { purchaseOrderId: string | null; quantity: number; remainingOnOrder?: number; now: IsoInstant }
>;

export type SkuCommand =
  | ConfigureSku
  | AllocateOrderLine
  | CancelOrderLine
  | ShipOrderLine
  | SweepBackorders
  | RecordReplenishmentUnplanned
  | AdjustStock
  | RegisterPurchaseOrder
  | ChangePurchaseOrderEta
  | ReceiveRestock;

export type SkuCommandType = SkuCommand['type'];

export const decide = (command: SkuCommand, state: SkuState): SkuEvent[] =>
  decideByType(SKU_HANDLERS, command, state, rejectUnknownCommand);

const rejectUnknownCommand = (type: string): never => {
  throw new InventoryDomainError('invalid-command', `unknown command type ${type}`);
};

const DAY_MS = 86_400_000;

const configureSku = (data: ConfigureSku['data'], state: SkuState): SkuEvent[] => {
  const now = notBefore(state, instant('now', data.now));
  const backorderable = data.backorderable ?? true;
  if (typeof backorderable !== 'boolean') invalid('backorderable must be a boolean');
  const substitutes = data.substitutes ?? [];
  if (!Array.isArray(substitutes)) invalid('substitutes must be an array of SKUs');
  const configuration: SkuConfiguration = {
    backorderable,
    leadTimeDays: optionalCount('leadTimeDays', data.leadTimeDays),
    reorderPoint: count('reorderPoint', data.reorderPoint ?? 0),
    safetyStock: count('safetyStock', data.safetyStock ?? 0),
    substitutes: [...new Set(substitutes.map((sku, index) => id(`substitutes[${index}]`, sku)))],
    maxBackorder: optionalCount('maxBackorder', data.maxBackorder),
    maxWaitDays: optionalCount('maxWaitDays', data.maxWaitDays),
    autoCancelAfterDays: optionalCount('autoCancelAfterDays', data.autoCancelAfterDays),
    releaseAt: data.releaseAt == null ? null : instant('releaseAt', data.releaseAt),
  };
  if (state.known && sameConfiguration(state.configuration, configuration)) return [];
  return withConsequences(state, [{ type: 'SkuConfigured', data: { ...configuration, at: now } }], now);
};

const allocateOrderLine = (data: AllocateOrderLine['data'], state: SkuState): SkuEvent[] => {
  const now = notBefore(state, instant('now', data.now));
  const line: LineRef = {
    orderId: id('orderId', data.orderId),
    lineId: id('lineId', data.lineId),
    customerId: id('customerId', data.customerId),
  };
  const quantity = positive('quantity', data.quantity);
  const key = lineKey(line);
  if (hasIn(state.reservations, key) || hasIn(state.queueIndex, key)) {
    const message = `line ${line.lineId} of order ${line.orderId} is already allocated`;
    throw new InventoryDomainError('duplicate-line', message);
  }

  const preorder = isHoldingPreorders(state);
  const events: SkuEvent[] = [];
  const reservedNow = preorder ? 0 : Math.min(quantity, available(state));
  if (reservedNow > 0) events.push({ type: 'StockReserved', data: { ...line, quantity: reservedNow, at: now } });

  const rest = quantity - reservedNow;
  if (rest === 0) return withConsequences(state, events, now);

  const { queued, expectedAt, unavailableReason } = backorderPlan(state, rest, now);
  const { substitutes } = state.configuration;
  if (queued > 0) {
    const position = state.queue.size + 1;
    events.push({
      type: 'BackorderQueued',
      data: { ...line, quantity: queued, position, expectedAt, preorder, substitutes, at: now },
    });
  }
  if (queued < rest) {
    events.push({
      type: 'StockUnavailable',
      data: {
        ...line,
        quantity: rest - queued,
        reason: unavailableReason,
        substitutes: unavailableReason === 'unknown-sku' ? [] : substitutes,
        at: now,
      },
    });
  }
  return withConsequences(state, events, now);
};

interface BackorderPlan {
  readonly queued: number;
  readonly expectedAt: IsoInstant | null;
  readonly unavailableReason: UnavailableReason;
}

/** How much of `rest` may wait (rules 2 and 10), the date it is promised, and why the remainder may not wait. */
const backorderPlan = (state: SkuState, rest: number, now: IsoInstant): BackorderPlan => {
  if (!state.known) return { queued: 0, expectedAt: null, unavailableReason: 'unknown-sku' };
  const { backorderable, leadTimeDays, maxBackorder, maxWaitDays, releaseAt } = state.configuration;
  const preorder = isHoldingPreorders(state);
  const heldForRelease = preorder ? available(state) : 0;
  const waiting = backordered(state);

  let queued: number;
  let unavailableReason: UnavailableReason;
  if (!backorderable) {
    // Only what the release itself will serve: a non-backorderable preorder SKU sells the stock it has.
    queued = Math.min(rest, Math.max(0, heldForRelease - waiting));
    unavailableReason = 'not-backorderable';
  } else {
    queued = leadTimeDays !== null ? rest : Math.min(rest, Math.max(0, heldForRelease + incoming(state) - waiting));
    unavailableReason = 'no-restock-expected';
  }
  if (maxBackorder !== null) {
    const underCap = Math.max(0, maxBackorder + heldForRelease - waiting);
    if (underCap < queued) [queued, unavailableReason] = [underCap, 'backorder-cap'];
  }
  const supply = supplyInDateOrder(state);
  if (maxWaitDays !== null && queued > 0) {
    const from = preorder && releaseAt !== null ? laterOf(now, releaseAt) : now;
    const withinHorizon = longestWithin(state, queued, now, supply, Date.parse(from) + maxWaitDays * DAY_MS);
    if (withinHorizon < queued) [queued, unavailableReason] = [withinHorizon, 'wait-too-long'];
  }
  const expectedAt = queued > 0 ? promiseForNewLine(state, queued, now, supply) : null;
  return { queued, expectedAt, unavailableReason };
};

/**
 * The most units (up to `most`) a new line can queue with a promised date no later than `deadlineMs`. A line's date is
 * that of its last unit, constant within one supply (or the lead time beyond all of it), so the candidates are `most`
 * and the end of each supply before it; the date is not monotonic in the quantity (a lead time can promise sooner
 * than a late purchase order), hence all of them are tried.
 */
const longestWithin = (
  state: SkuState,
  most: number,
  now: IsoInstant,
  supply: ReturnType<typeof supplyInDateOrder>,
  deadlineMs: number,
): number => {
  const candidates = [most];
  let cumulative = 0;
  for (const { quantity } of supply) {
    cumulative += quantity;
    const units = cumulative - state.backorderedUnits;
    if (units > 0 && units < most) candidates.push(units);
  }
  let best = 0;
  for (const units of candidates) {
    const date = promiseForNewLine(state, units, now, supply);
    if (units > best && date !== null && Date.parse(date) <= deadlineMs) best = units;
  }
  return best;
};

const cancelOrderLine = (data: CancelOrderLine['data'], state: SkuState): SkuEvent[] => {
  const now = notBefore(state, instant('now', data.now));
  const key = { orderId: id('orderId', data.orderId), lineId: id('lineId', data.lineId) };
  const reason = text('reason', data.reason);
  const requested = data.quantity == null ? Number.POSITIVE_INFINITY : positive('quantity', data.quantity);
  const held = reservationOf(state, key);
  const waiting = queuedLineOf(state, key);
  const fromQueue = Math.min(requested, waiting?.quantity ?? 0);
  const fromHeld = Math.min(requested - fromQueue, held?.quantity ?? 0);
  const events: SkuEvent[] = [];
  if (waiting !== undefined && fromQueue > 0) {
    const { orderId, lineId, customerId } = waiting;
    events.push({ type: 'BackorderReleased', data: { orderId, lineId, customerId, quantity: fromQueue, reason, at: now } });
  }
  if (held !== undefined && fromHeld > 0) {
    const { orderId, lineId, customerId } = held;
    events.push({ type: 'ReservationReleased', data: { orderId, lineId, customerId, quantity: fromHeld, reason, at: now } });
  }
  return events.length === 0 ? [] : withConsequences(state, events, now);
};

const shipOrderLine = (data: ShipOrderLine['data'], state: SkuState): SkuEvent[] => {
  const now = notBefore(state, instant('now', data.now));
  const key = { orderId: id('orderId', data.orderId), lineId: id('lineId', data.lineId) };
  const quantity = positive('quantity', data.quantity);
  const held = reservationOf(state, key);
  if (held === undefined || held.quantity < quantity) {
    throw new InventoryDomainError(
      'not-held',
      `cannot ship ${quantity} units of line ${key.lineId} of order ${key.orderId}: ${held?.quantity ?? 0} are held for it`,
    );
  }
  const { orderId, lineId, customerId } = held;
  return withConsequences(state, [{ type: 'StockShipped', data: { orderId, lineId, customerId, quantity, at: now } }], now);
};

const sweepBackorders = (data: SweepBackorders['data'], state: SkuState): SkuEvent[] => {
  const now = notBefore(state, instant('now', data.now));
  const { releaseAt } = state.configuration;
  const due = isHoldingPreorders(state) && releaseAt !== null && compareInstants(now, releaseAt) >= 0;
  // The released preorders' expiry clocks start now, so none of them is overdue yet; rule 3 then serves the queue.
  const released: SkuEvent[] = due ? [{ type: 'SkuReleased', data: { releaseAt: releaseAt!, at: now } }] : [];
  const events = [...released, ...overdueLines(evolveAll(state, released), now)];
  return events.length === 0 ? [] : withConsequences(state, events, now);
};

const recordReplenishmentUnplanned = (data: RecordReplenishmentUnplanned['data'], state: SkuState): SkuEvent[] => {
  const now = notBefore(state, instant('now', data.now));
  // Only what is still pending can be unplanned: a purchase order may have answered part of the request meanwhile.
  const quantity = Math.min(positive('quantity', data.quantity), state.pendingReplenishment);
  if (quantity === 0) return [];
  return withConsequences(state, [{ type: 'ReplenishmentUnplanned', data: { quantity, at: now } }], now);
};

const adjustStock = (data: AdjustStock['data'], state: SkuState): SkuEvent[] => {
  const now = notBefore(state, instant('now', data.now));
  const reason = text('reason', data.reason);
  if (!Number.isSafeInteger(data.delta) || data.delta === 0) invalid('delta must be a non-zero integer');
  const free = available(state);
  if (-data.delta > free)
    throw new InventoryDomainError(
      'insufficient-stock',
      `cannot remove ${-data.delta} units: only ${free} are free (the rest is held for order lines)`,
    );
  return withConsequences(state, [{ type: 'StockAdjusted', data: { delta: data.delta, reason, at: now } }], now);
};

const registerPurchaseOrder = (data: RegisterPurchaseOrder['data'], state: SkuState): SkuEvent[] => {
  const now = notBefore(state, instant('now', data.now));
  const purchaseOrderId = id('purchaseOrderId', data.purchaseOrderId);
  const quantity = positive('quantity', data.quantity);
  const expectedAt = instant('expectedAt', data.expectedAt);
  if (state.purchaseOrders.some((po) => po.purchaseOrderId === purchaseOrderId))
    throw new InventoryDomainError('duplicate-purchase-order', `purchase order ${purchaseOrderId} is already open`);
  return withConsequences(
    state,
    [{ type: 'PurchaseOrderRegistered', data: { purchaseOrderId, quantity, expectedAt, at: now } }],
    now,
  );
};

const changePurchaseOrderEta = (data: ChangePurchaseOrderEta['data'], state: SkuState): SkuEvent[] => {
  const now = notBefore(state, instant('now', data.now));
  const purchaseOrderId = id('purchaseOrderId', data.purchaseOrderId);
  const expectedAt = instant('expectedAt', data.expectedAt);
  const po = state.purchaseOrders.find((candidate) => candidate.purchaseOrderId === purchaseOrderId);
  if (po === undefined || po.expectedAt === expectedAt) return [];
  return withConsequences(
    state,
    [
      {
        type: 'PurchaseOrderEtaChanged',
        data: { purchaseOrderId, previousExpectedAt: po.expectedAt, expectedAt, at: now },
      },
    ],
    now,
  );
};

const receiveRestock = (data: ReceiveRestock['data'], state: SkuState): SkuEvent[] => {
  const now = notBefore(state, instant('now', data.now));
  const purchaseOrderId = data.purchaseOrderId == null ? null : id('purchaseOrderId', data.purchaseOrderId);
  const quantity = positive('quantity', data.quantity);
  const reported = data.remainingOnOrder === undefined ? undefined : count('remainingOnOrder', data.remainingOnOrder);
  const po = state.purchaseOrders.find((candidate) => candidate.purchaseOrderId === purchaseOrderId);
  const remainingOnOrder = po === undefined ? null : (reported ?? Math.max(0, po.openQuantity - quantity));
  return withConsequences(
    state,
    [{ type: 'RestockReceived', data: { purchaseOrderId, quantity, remainingOnOrder, at: now } }],
    now,
  );
};

/** Events after which no queued line's promised date can have moved: rule 4's walk is skipped for them. */
const leavesDatesAlone: ReadonlySet<SkuEventType> = new Set<SkuEventType>([
  'StockReserved',
  'BackorderQueued',
  'StockShipped',
  'StockUnavailable',
  'BackInStock',
  'ReplenishmentRequested',
  'ReplenishmentUnplanned',
  'BackorderEtaChanged',
]);

/**
 * Applies the command's own events, then derives what they cause, in this order: allocations to the queue head
 * (rule 3), moved promised dates (rule 4), back in stock (rule 7), replenishment (rule 6). Each event is folded as
 * it is emitted, at O(log n) per event, so a restock that serves thousands of queued lines costs time linear in them.
 */
const withConsequences = (state: SkuState, primary: readonly SkuEvent[], now: IsoInstant): SkuEvent[] => {
  const emitted: SkuEvent[] = [];
  let current = state;
  const emit = (events: readonly SkuEvent[]): void => {
    emitted.push(...events);
    current = evolveAll(current, events);
  };
  emit(primary);
  emit(allocationsToQueueHead(current, now));
  if (emitted.some((event) => !leavesDatesAlone.has(event.type))) emit(movedPromises(current, now));

  if (current.toldOutOfStock && available(current) > 0 && !isHoldingPreorders(current))
    emit([{ type: 'BackInStock', data: { available: available(current), at: now } }]);

  const position = stockPosition(current);
  const { reorderPoint, safetyStock, leadTimeDays } = current.configuration;
  if (position < reorderPoint) {
    const waitingBeyondSupply = backordered(current) > incoming(current) + current.pendingReplenishment;
    const reason = waitingBeyondSupply ? 'backorder' : 'reorder-point';
    emit([
      {
        type: 'ReplenishmentRequested',
        data: { quantity: reorderPoint + safetyStock - position, reason, leadTimeDays, at: now },
      },
    ]);
  }
  return emitted;
};

/** Whether the line has waited longer than `autoCancelAfterDays` since it could first be served (rule 8). */
const isOverdue = (state: SkuState, line: QueuedLine, now: IsoInstant): boolean => {
  const days = state.configuration.autoCancelAfterDays;
  const since = days === null ? null : servableSince(state, line);
  return since !== null && Date.parse(now) - Date.parse(since) > days! * DAY_MS;
};

const expired = ({ orderId, lineId, customerId, quantity }: QueuedLine, now: IsoInstant): SkuEvent => ({
  type: 'BackorderReleased',
  data: { orderId, lineId, customerId, quantity, reason: 'expired', at: now },
});

/** Every overdue line, in queue order. */
const overdueLines = (state: SkuState, now: IsoInstant): SkuEvent[] => {
  if (state.configuration.autoCancelAfterDays === null) return [];
  const events: SkuEvent[] = [];
  for (const line of valuesIn(state.queue)) {
    // Lines held for the release are the tail of the queue, and never overdue.
    if (isHeldForRelease(state, line)) break;
    if (isOverdue(state, line, now)) events.push(expired(line, now));
  }
  return events;
};

/**
 * Free stock to the queue head first: each line in turn gets what it still needs, the last one possibly less. Stops
 * at a line held for the release; an overdue line met on the way is expired rather than served.
 */
const allocationsToQueueHead = (state: SkuState, now: IsoInstant): SkuEvent[] => {
  const events: SkuEvent[] = [];
  let free = available(state);
  if (free <= 0) return events;
  for (const line of valuesIn(state.queue)) {
    if (free <= 0 || isHeldForRelease(state, line)) break;
    if (isOverdue(state, line, now)) {
      events.push(expired(line, now));
      continue;
    }
    const { orderId, lineId, customerId, quantity: waiting } = line;
    const quantity = Math.min(waiting, free);
    events.push({
      type: 'BackorderAllocated',
      data: { orderId, lineId, customerId, quantity, remaining: waiting - quantity, at: now },
    });
    free -= quantity;
  }
  return events;
};

/** `BackorderEtaChanged` for every queued line whose promised date is no longer the one it was given. */
const movedPromises = (state: SkuState, now: IsoInstant): SkuEvent[] => {
  const dates = promisedDates(state);
  const moved: SkuEvent[] = [];
  let index = 0;
  for (const { orderId, lineId, customerId, expectedAt: previousExpectedAt } of valuesIn(state.queue)) {
    const expectedAt = dates[index++]!;
    if (expectedAt === previousExpectedAt) continue;
    moved.push({ type: 'BackorderEtaChanged', data: { orderId, lineId, customerId, previousExpectedAt, expectedAt, at: now } });
  }
  return moved;
};

const sameConfiguration = (a: SkuConfiguration, b: SkuConfiguration): boolean =>
  a.backorderable === b.backorderable &&
  a.leadTimeDays === b.leadTimeDays &&
  a.reorderPoint === b.reorderPoint &&
  a.safetyStock === b.safetyStock &&
  a.maxBackorder === b.maxBackorder &&
  a.maxWaitDays === b.maxWaitDays &&
  a.autoCancelAfterDays === b.autoCancelAfterDays &&
  a.releaseAt === b.releaseAt &&
  a.substitutes.length === b.substitutes.length &&
  a.substitutes.every((sku, index) => sku === b.substitutes[index]);

// The shells validate their input too; these guards keep the state's invariants whatever a caller sends.
// A declaration, not an arrow, so that TypeScript narrows after a call to it.
/**
 * A decision takes effect after the SKU's latest event (see `SkuState.lastEventAt`): at `now`, or a millisecond after
 * that event when `now` is not later. Two decisions of one SKU are never dated the same instant, so a consumer can tell
 * which came first by their times alone (a BackInStock and the out-of-stock decided right after it on the same clock
 * tick would otherwise look simultaneous, and the customer refused after the stock was gone would be told of it).
 */
const notBefore = (state: SkuState, now: IsoInstant): IsoInstant =>
  state.lastEventAt === null || compareInstants(now, state.lastEventAt) > 0 ? now : new Date(Date.parse(state.lastEventAt) + 1).toISOString();

function invalid(message: string): never {
  throw new InventoryDomainError('invalid-command', message);
}

const instant = (field: string, value: unknown): IsoInstant =>
  normalizeInstant(value) ?? invalid(`${field} must be an ISO-8601 instant`);

const count = (field: string, value: unknown): number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? value
    : invalid(`${field} must be a non-negative integer`);

const optionalCount = (field: string, value: unknown): number | null =>
  value == null ? null : typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? value
    : invalid(`${field} must be a non-negative integer or null`);

const positive = (field: string, value: unknown): number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0
    ? value
    : invalid(`${field} must be a positive integer`);

const text = (field: string, value: unknown): string =>
  typeof value === 'string' ? value : invalid(`${field} must be a string`);

const id = (field: string, value: unknown): string =>
  typeof value === 'string' && value.trim() !== '' ? value : invalid(`${field} must be a non-empty string`);

const SKU_HANDLERS: CommandHandlers<SkuCommand, SkuState, SkuEvent[]> = {
  ConfigureSku: configureSku,
  AllocateOrderLine: allocateOrderLine,
  CancelOrderLine: cancelOrderLine,
  ShipOrderLine: shipOrderLine,
  SweepBackorders: sweepBackorders,
  RecordReplenishmentUnplanned: recordReplenishmentUnplanned,
  AdjustStock: adjustStock,
  RegisterPurchaseOrder: registerPurchaseOrder,
  ChangePurchaseOrderEta: changePurchaseOrderEta,
  ReceiveRestock: receiveRestock,
};
