/**
 * The SKU decider: one aggregate per SKU (stream `sku-<SKU>`), rules 1 to 7 of SPEC.md. Decisions on what SPEC leaves
 * open:
 *
 * 1. Reserve first: a line takes what free stock covers. Free stock is non-zero only while the queue is empty (rule 3),
 *    so a new line never overtakes a waiting one. A line that is still held or queued cannot arrive again
 *    (`duplicate-line`); a line fully answered as unavailable or fully released leaves no trace, so the state stays
 *    bounded; redeliveries are the shell's inbox's job.
 * 2. The rest is queued only for a backorderable SKU with a restock in sight. With a lead time all of it is queued (the
 *    lead time is the promise) and rule 6 requests the replenishment. Without one, only the open purchase-order
 *    quantity not promised to earlier lines (incoming - backordered) is queued and the remainder is unavailable. An
 *    unknown SKU (never configured, stocked or ordered) answers `StockUnavailable` with reason `unknown-sku` and no
 *    substitutes. Turning `backorderable` off keeps the lines already queued: they were promised.
 * 3. Every command that can free stock ends by serving the queue head first, in partial allocations if need be. A
 *    negative adjustment may only take free stock (`insufficient-stock` otherwise): taking held units would silently
 *    break a promise made to a customer; cancel the line first to write its units off.
 * 4. After every command, the promised date of each queued line is recomputed (see promised-dates.ts) and
 *    `BackorderEtaChanged` is emitted only for the lines whose date moved. A date from the lead time counts from the
 *    day the line was queued and is truncated to the start of that UTC day, so the purchase order the supplier dates
 *    the same way from the replenishment request lands on the same instant and moves nothing. A line is never
 *    promised earlier than the line before it, since it cannot be served before it.
 * 5. Cancelling a line releases its held units (`ReservationReleased`, then rule 3) and its waiting quantity
 *    (`BackorderReleased`). Cancelling a line this SKU does not hold or queue changes nothing.
 * 6. Stock position = available + incoming + pendingReplenishment - backordered. Below the reorder point, the SKU
 *    requests reorderPoint + safetyStock - position: safety stock is the margin ordered above the reorder point, and
 *    with the defaults (0, 0) the request is exactly the backorder beyond what is on order. Requested units count as
 *    supply until purchase orders answer them, so one shortfall is requested once. A registered purchase order
 *    subtracts its quantity from the pending request rather than clearing it: clearing would request again a
 *    shortfall whose own request is still on its way whenever two requests are outstanding. Reason `backorder` when
 *    waiting lines exceed all supply in sight, else `reorder-point`.
 * 7. `BackInStock` is emitted once, when free stock appears after someone was told "out of stock".
 *
 * Purchase orders: the supplier's figures are authoritative. `remainingOnOrder` on a receipt replaces the open quantity
 * (0 closes the purchase order, possibly short); without it a receipt reduces the open quantity by what arrived. A
 * receipt for a purchase order that is not open only adds stock: goods on the shelf are a fact. A date change for a
 * purchase order that is not open (e.g. closed by its last receipt) changes nothing.
 *
 * Configuration is replaced as a whole (PUT semantics: missing fields take their defaults); the same configuration
 * again emits nothing.
 */
import { normalizeInstant, type IsoInstant } from '@fulfillment/time';
import { InventoryDomainError } from './inventory-domain.error.js';
import { promisedDates } from './promised-dates.js';
import { evolveAll } from './evolve-all.js';
import {
  isSameLine,
  laterOf,
  type LineRef,
  type SkuConfiguration,
  type SkuEvent,
  type SkuState,
  type UnavailableReason,
} from './sku.js';
import { available, backordered, incoming, stockPosition } from './sku.views.js';

type Command<Type extends string, Data> = Readonly<{ type: Type; data: Readonly<Data> }>;

/** Omitted fields take their defaults: backorderable, no lead time, reorder point and safety stock 0, no substitute. */
export type ConfigureSku = Command<
  'ConfigureSku',
  {
    backorderable?: boolean;
    leadTimeDays?: number | null;
    reorderPoint?: number;
    safetyStock?: number;
    substitutes?: readonly string[];
    now: IsoInstant;
  }
>;
export type AllocateOrderLine = Command<'AllocateOrderLine', LineRef & { quantity: number; now: IsoInstant }>;
export type CancelOrderLine = Command<
  'CancelOrderLine',
  { orderId: string; lineId: string; reason: string; now: IsoInstant }
>;
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
  | AdjustStock
  | RegisterPurchaseOrder
  | ChangePurchaseOrderEta
  | ReceiveRestock;

export type SkuCommandType = SkuCommand['type'];

export const decide = (command: SkuCommand, state: SkuState): SkuEvent[] => {
  switch (command.type) {
    case 'ConfigureSku':
      return configureSku(command.data, state);
    case 'AllocateOrderLine':
      return allocateOrderLine(command.data, state);
    case 'CancelOrderLine':
      return cancelOrderLine(command.data, state);
    case 'AdjustStock':
      return adjustStock(command.data, state);
    case 'RegisterPurchaseOrder':
      return registerPurchaseOrder(command.data, state);
    case 'ChangePurchaseOrderEta':
      return changePurchaseOrderEta(command.data, state);
    case 'ReceiveRestock':
      return receiveRestock(command.data, state);
    default:
      return rejectUnknownCommand(command);
  }
};

const rejectUnknownCommand = (command: never): never => {
  const type = String((command as { type?: unknown }).type);
  throw new InventoryDomainError('invalid-command', `unknown command type ${type}`);
};

const configureSku = (data: ConfigureSku['data'], state: SkuState): SkuEvent[] => {
  const now = notBefore(state, instant('now', data.now));
  const backorderable = data.backorderable ?? true;
  if (typeof backorderable !== 'boolean') invalid('backorderable must be a boolean');
  const substitutes = data.substitutes ?? [];
  if (!Array.isArray(substitutes)) invalid('substitutes must be an array of SKUs');
  const configuration: SkuConfiguration = {
    backorderable,
    leadTimeDays: data.leadTimeDays == null ? null : count('leadTimeDays', data.leadTimeDays),
    reorderPoint: count('reorderPoint', data.reorderPoint ?? 0),
    safetyStock: count('safetyStock', data.safetyStock ?? 0),
    substitutes: [...new Set(substitutes.map((sku, index) => id(`substitutes[${index}]`, sku)))],
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
  const isThisLine = (other: LineRef): boolean => isSameLine(other, line);
  const active = state.reservations.some(isThisLine) || state.queue.some(isThisLine);
  if (active) {
    const message = `line ${line.lineId} of order ${line.orderId} is already allocated`;
    throw new InventoryDomainError('duplicate-line', message);
  }

  const events: SkuEvent[] = [];
  const reservedNow = Math.min(quantity, available(state));
  if (reservedNow > 0) events.push({ type: 'StockReserved', data: { ...line, quantity: reservedNow, at: now } });

  const rest = quantity - reservedNow;
  if (rest === 0) return withConsequences(state, events, now);

  const { queued, unavailableReason } = backorderPlan(state, rest);
  if (queued > 0) {
    const queue = [...state.queue, { quantity: queued, queuedAt: now }];
    const { leadTimeDays } = state.configuration;
    const expectedAt = promisedDates(queue, state.purchaseOrders, leadTimeDays).at(-1) ?? null;
    events.push({
      type: 'BackorderQueued',
      data: { ...line, quantity: queued, position: queue.length, expectedAt, at: now },
    });
  }
  if (queued < rest) {
    const substitutes = unavailableReason === 'unknown-sku' ? [] : state.configuration.substitutes;
    events.push({
      type: 'StockUnavailable',
      data: { ...line, quantity: rest - queued, reason: unavailableReason, substitutes, at: now },
    });
  }
  return withConsequences(state, events, now);
};

/** How much of `rest` may wait for a restock (rule 2), and why the remainder may not. */
const backorderPlan = (state: SkuState, rest: number): { queued: number; unavailableReason: UnavailableReason } => {
  if (!state.known) return { queued: 0, unavailableReason: 'unknown-sku' };
  if (!state.configuration.backorderable) return { queued: 0, unavailableReason: 'not-backorderable' };
  if (state.configuration.leadTimeDays !== null) return { queued: rest, unavailableReason: 'no-restock-expected' };
  const unpromised = Math.max(0, incoming(state) - backordered(state));
  return { queued: Math.min(rest, unpromised), unavailableReason: 'no-restock-expected' };
};

const cancelOrderLine = (data: CancelOrderLine['data'], state: SkuState): SkuEvent[] => {
  const now = notBefore(state, instant('now', data.now));
  const key = { orderId: id('orderId', data.orderId), lineId: id('lineId', data.lineId) };
  const reason = text('reason', data.reason);
  const held = state.reservations.find((candidate) => isSameLine(candidate, key));
  const waiting = state.queue.find((candidate) => isSameLine(candidate, key));
  const events: SkuEvent[] = [];
  if (held !== undefined) {
    const { orderId, lineId, customerId, quantity } = held;
    events.push({ type: 'ReservationReleased', data: { orderId, lineId, customerId, quantity, reason, at: now } });
  }
  if (waiting !== undefined) {
    const { orderId, lineId, customerId, quantity } = waiting;
    events.push({ type: 'BackorderReleased', data: { orderId, lineId, customerId, quantity, reason, at: now } });
  }
  return events.length === 0 ? [] : withConsequences(state, events, now);
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

/**
 * Applies the command's own events, then derives what they cause, in this order: allocations to the queue head
 * (rule 3), moved promised dates (rule 4), back in stock (rule 7), replenishment (rule 6). Each step is folded with
 * `evolveAll`, so a restock that serves thousands of queued lines, or a date change that moves them all, costs time
 * linear in the queue rather than quadratic.
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
  emit(movedPromises(current, now));

  if (current.toldOutOfStock && available(current) > 0)
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

/** Free stock to the queue head first: each line in turn gets what it still needs, the last one possibly less. */
const allocationsToQueueHead = (state: SkuState, now: IsoInstant): SkuEvent[] => {
  const allocations: SkuEvent[] = [];
  let free = available(state);
  for (const { orderId, lineId, customerId, quantity: waiting } of state.queue) {
    if (free <= 0) break;
    const quantity = Math.min(waiting, free);
    const remaining = waiting - quantity;
    allocations.push({ type: 'BackorderAllocated', data: { orderId, lineId, customerId, quantity, remaining, at: now } });
    free -= quantity;
  }
  return allocations;
};

/** `BackorderEtaChanged` for every queued line whose promised date is no longer the one it was given. */
const movedPromises = (state: SkuState, now: IsoInstant): SkuEvent[] => {
  const { queue, purchaseOrders, configuration } = state;
  const dates = promisedDates(queue, purchaseOrders, configuration.leadTimeDays);
  const moved: SkuEvent[] = [];
  queue.forEach(({ orderId, lineId, customerId, expectedAt: previousExpectedAt }, index) => {
    const expectedAt = dates[index]!;
    if (expectedAt === previousExpectedAt) return;
    moved.push({ type: 'BackorderEtaChanged', data: { orderId, lineId, customerId, previousExpectedAt, expectedAt, at: now } });
  });
  return moved;
};

const sameConfiguration = (a: SkuConfiguration, b: SkuConfiguration): boolean =>
  a.backorderable === b.backorderable &&
  a.leadTimeDays === b.leadTimeDays &&
  a.reorderPoint === b.reorderPoint &&
  a.safetyStock === b.safetyStock &&
  a.substitutes.length === b.substitutes.length &&
  a.substitutes.every((sku, index) => sku === b.substitutes[index]);

// The shells validate their input too; these guards keep the state's invariants whatever a caller sends.
// A declaration, not an arrow, so that TypeScript narrows after a call to it.
function invalid(message: string): never {
  throw new InventoryDomainError('invalid-command', message);
}

/** A decision takes effect no earlier than the SKU's latest event (see `SkuState.lastEventAt`). */
const notBefore = (state: SkuState, now: IsoInstant): IsoInstant => laterOf(state.lastEventAt, now) ?? now;

const instant = (field: string, value: unknown): IsoInstant =>
  normalizeInstant(value) ?? invalid(`${field} must be an ISO-8601 instant`);

const count = (field: string, value: unknown): number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
    ? value
    : invalid(`${field} must be a non-negative integer`);

const positive = (field: string, value: unknown): number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value > 0
    ? value
    : invalid(`${field} must be a positive integer`);

const text = (field: string, value: unknown): string =>
  typeof value === 'string' ? value : invalid(`${field} must be a string`);

const id = (field: string, value: unknown): string =>
  typeof value === 'string' && value.trim() !== '' ? value : invalid(`${field} must be a non-empty string`);
