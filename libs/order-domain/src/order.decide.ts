import type { DomainCommand } from '@fulfillment/kernel';
import {
  cancellableUnits,
  deriveOrderStatus,
  evolve,
  EXPIRED_REASON,
  isClosed,
  isPlaced,
  openAtInventory,
  pendingUnits,
  SHIPPING_POLICIES,
  shippableUnits,
  unansweredAtInventory,
  type InventoryBucket,
  type LineUnits,
  type OrderEvent,
  type OrderLine,
  type OrderState,
  type PlacedOrder,
  type ReleasedFrom,
  type ShippingPolicy,
} from './order.js';
import { normalizeInstant, type IsoInstant } from '@fulfillment/time';
import { OrderDomainError } from './order.errors.js';

export interface OrderLineRequest {
  readonly lineId: string;
  readonly sku: string;
  readonly quantity: number;
}

export interface ShipmentLineRequest {
  readonly lineId: string;
  readonly quantity: number;
}

/** `shipping` defaults to `as-available`. */
export type PlaceOrder = DomainCommand<
  'PlaceOrder',
  {
    orderId: string;
    customerId: string;
    email: string | null;
    lines: readonly OrderLineRequest[];
    shipping?: ShippingPolicy;
    now: IsoInstant;
  }
>;
/** Gives up every unit not shipped yet; a repeat, or an order every unit of which is given up, changes nothing. */
export type CancelOrder = DomainCommand<'CancelOrder', { orderId: string; reason: string; now: IsoInstant }>;
/** Ships reserved or allocated units; a `shipmentId` already recorded changes nothing, whatever lines it names. */
export type ShipOrder = DomainCommand<
  'ShipOrder',
  {
    orderId: string;
    shipmentId: string;
    lines: readonly ShipmentLineRequest[];
    carrier: string | null;
    trackingId: string | null;
    now: IsoInstant;
  }
>;
/** Without `quantity` every unit neither shipped, released nor unavailable; with it that many, waiting ones first. */
export type CancelOrderLine = DomainCommand<
  'CancelOrderLine',
  { orderId: string; lineId: string; quantity?: number | null; reason: string; now: IsoInstant }
>;
/** Moves the line's waiting and unavailable units to a new line for `sku`, one of the line's substitutes. */
export type SubstituteOrderLine = DomainCommand<
  'SubstituteOrderLine',
  { orderId: string; lineId: string; sku: string; now: IsoInstant }
>;

/** One of inventory's answers about a line, fed in by the service from inventory.events; `eventId` is that event's id. */
type InventoryAnswer<Type extends string, Data> = DomainCommand<Type, { lineId: string; eventId: string } & Data>;
/** `reason` as inventory published it. */
type Released = { quantity: number; reason: string };

export type RecordStockReserved = InventoryAnswer<'RecordStockReserved', { quantity: number }>;
/** `substitutes`: BackorderQueued v2's, so a waiting line can be substituted; absent means none are known. */
export type RecordBackorderQueued = InventoryAnswer<
  'RecordBackorderQueued',
  { quantity: number; expectedAt: IsoInstant | null; substitutes?: readonly string[] }
>;
export type RecordBackorderAllocated = InventoryAnswer<'RecordBackorderAllocated', { quantity: number }>;
export type RecordBackorderEtaChanged = InventoryAnswer<'RecordBackorderEtaChanged', { expectedAt: IsoInstant | null }>;
/** `expired` is inventory's own release, any other reason answers the order's. */
export type RecordBackorderReleased = InventoryAnswer<'RecordBackorderReleased', Released>;
/** From StockReleased. */
export type RecordStockReleased = InventoryAnswer<'RecordStockReleased', Released>;
export type RecordStockUnavailable = InventoryAnswer<
  'RecordStockUnavailable',
  { quantity: number; substitutes: readonly string[] }
>;
/** Inventory shipped what the order had already counted as shipped: checked, and recorded nowhere. */
export type RecordStockShipped = InventoryAnswer<'RecordStockShipped', { quantity: number }>;

export type InventoryOutcome =
  | RecordStockReserved
  | RecordBackorderQueued
  | RecordBackorderAllocated
  | RecordBackorderEtaChanged
  | RecordBackorderReleased
  | RecordStockReleased
  | RecordStockUnavailable
  | RecordStockShipped;

export type OrderCommand = PlaceOrder | CancelOrder | ShipOrder | CancelOrderLine | SubstituteOrderLine | InventoryOutcome;

/**
 * Pure: the events a command produces on top of `state`, followed by `OrderReadyToShip` when units became shippable
 * (see `readyToShip`) and `OrderStatusChanged` when the derived status moved. Throws `OrderDomainError` when the
 * command is invalid (checked first, so a malformed request is a 400 whatever the state), targets no order or line,
 * or is refused.
 */
export function decide(command: OrderCommand, state: OrderState): readonly OrderEvent[] {
  switch (command.type) {
    case 'PlaceOrder':
      return placeOrder(command, state);
    case 'CancelOrder':
      return cancelOrder(command, state);
    case 'ShipOrder':
      return shipOrder(command, state);
    case 'CancelOrderLine':
      return cancelOrderLine(command, state);
    case 'SubstituteOrderLine':
      return substituteOrderLine(command, state);
    case 'RecordStockReserved':
    case 'RecordBackorderQueued':
    case 'RecordBackorderAllocated':
    case 'RecordBackorderEtaChanged':
    case 'RecordBackorderReleased':
    case 'RecordStockReleased':
    case 'RecordStockUnavailable':
    case 'RecordStockShipped':
      return recordOutcome(command, state);
    default: {
      const unexpected: never = command;
      throw new OrderDomainError('invalid-command', `unknown command ${(unexpected as { type: string }).type}`);
    }
  }
}

function placeOrder({ data }: PlaceOrder, state: OrderState): OrderEvent[] {
  requireText(data.orderId, 'orderId');
  requireText(data.customerId, 'customerId');
  requireLines(data.lines, 'an order', (line, index) => {
    requireText(line.lineId, `lines[${index}].lineId`);
    requireText(line.sku, `lines[${index}].sku`);
    requirePositiveInteger(line.quantity, `lines[${index}].quantity`);
  });
  const shipping = data.shipping ?? 'as-available';
  if (!SHIPPING_POLICIES.includes(shipping)) {
    throw new OrderDomainError('invalid-command', `shipping: must be one of ${SHIPPING_POLICIES.join(', ')}`);
  }
  const placedAt = instant(data.now, 'now');
  if (isPlaced(state)) {
    throw new OrderDomainError('order-already-placed', `order ${state.orderId} has already been placed`);
  }
  return [
    {
      type: 'OrderPlaced',
      data: {
        orderId: data.orderId,
        customerId: data.customerId,
        email: data.email,
        lines: data.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })),
        placedAt,
        shipping,
      },
    },
  ];
}

function cancelOrder({ data }: CancelOrder, state: OrderState): OrderEvent[] {
  const cancelledAt = instant(data.now, 'now');
  const order = existing(state, 'CancelOrder', data.orderId);
  if (order.cancellation !== null || order.status === 'cancelled') return [];
  const { orderId } = order;
  // The order's own view gives every unit not shipped up at once; inventory's answers that follow land on them.
  const releases = order.lines.flatMap((line) =>
    (['reserved', 'allocated', 'backordered', 'pending'] as const)
      .map((from): [ReleasedFrom, number] => [from, from === 'pending' ? pendingUnits(line) : line[from]])
      .filter(([, quantity]) => quantity > 0)
      .map(([from, quantity]): OrderEvent => ({
        type: 'LineReleased',
        data: { orderId, lineId: line.lineId, quantity, from, eventId: null },
      })),
  );
  if (releases.length === 0) {
    const why =
      order.status === 'rejected'
        ? 'was rejected: inventory holds nothing for it to release'
        : 'has nothing left to cancel: every unit has shipped, been released or is unavailable';
    throw new OrderDomainError('order-not-cancellable', `order ${orderId} ${why}`);
  }
  return withConsequences(order, [
    { type: 'OrderCancelled', data: { orderId, customerId: order.customerId, reason: data.reason, cancelledAt } },
    ...releases,
  ]);
}

function shipOrder({ data }: ShipOrder, state: OrderState): OrderEvent[] {
  const shippedAt = instant(data.now, 'now');
  requireText(data.shipmentId, 'shipmentId');
  requireLines(data.lines, 'a shipment', (line, index) => {
    requireText(line.lineId, `lines[${index}].lineId`);
    requirePositiveInteger(line.quantity, `lines[${index}].quantity`);
  });
  const carrier = nullableText(data.carrier, 'carrier');
  const trackingId = nullableText(data.trackingId, 'trackingId');
  const order = existing(state, 'ShipOrder', data.orderId);
  // The shipment id names the shipment: a repeat is the same shipment told again, however its lines read.
  if (order.shipments.some((shipment) => shipment.shipmentId === data.shipmentId)) return [];

  const refusals: string[] = [];
  const lines: LineUnits[] = [];
  for (const { lineId, quantity } of data.lines) {
    const line = order.lines.find((candidate) => candidate.lineId === lineId);
    if (line === undefined) {
      refusals.push(`order ${order.orderId} has no line ${lineId}`);
    } else if (quantity > shippableUnits(line)) {
      const heldBack = line.reserved + line.allocated - shippableUnits(line);
      const why = heldBack === 0 ? '' : ` (${heldBack} more wait until inventory releases the units given up from its queue)`;
      refusals.push(
        `line ${lineId} (${line.sku}) has ${shippableUnits(line)} reserved or allocated unit(s) to ship, not ${quantity}${why}`,
      );
    } else {
      lines.push({ lineId, sku: line.sku, quantity });
    }
  }
  if (refusals.length > 0) {
    throw new OrderDomainError('units-not-shippable', `ShipOrder ${data.shipmentId}: ${refusals.join('; ')}`);
  }
  return withConsequences(order, [
    {
      type: 'OrderShipped',
      data: {
        orderId: order.orderId,
        customerId: order.customerId,
        shipmentId: data.shipmentId,
        lines,
        carrier,
        trackingId,
        shippedAt,
      },
    },
  ]);
}

function cancelOrderLine({ data }: CancelOrderLine, state: OrderState): OrderEvent[] {
  const cancelledAt = instant(data.now, 'now');
  requireText(data.lineId, 'lineId');
  requireText(data.reason, 'reason');
  const asked = data.quantity === undefined || data.quantity === null ? null : requirePositiveInteger(data.quantity, 'quantity');
  const order = existing(state, 'CancelOrderLine', data.orderId);
  const line = requireLine(order, data.lineId, 'CancelOrderLine');
  const cancellable = cancellableUnits(line);
  if (cancellable === 0) {
    throw new OrderDomainError(
      'line-not-cancellable',
      `line ${line.lineId} (${line.sku}) has nothing left to cancel: ${accountOf(line)}`,
    );
  }
  const quantity = asked ?? cancellable;
  if (quantity > cancellable) {
    throw new OrderDomainError(
      'line-not-cancellable',
      `line ${line.lineId} (${line.sku}): cannot cancel ${quantity} unit(s), only ${cancellable} are neither shipped, ` +
        `released nor unavailable (${accountOf(line)})`,
    );
  }
  return withConsequences(order, [
    {
      type: 'OrderLineCancelled',
      data: {
        orderId: order.orderId,
        customerId: order.customerId,
        lineId: line.lineId,
        sku: line.sku,
        quantity,
        reason: data.reason,
        cancelledAt,
      },
    },
  ]);
}

function substituteOrderLine({ data }: SubstituteOrderLine, state: OrderState): OrderEvent[] {
  const substitutedAt = instant(data.now, 'now');
  requireText(data.lineId, 'lineId');
  requireText(data.sku, 'sku');
  const order = existing(state, 'SubstituteOrderLine', data.orderId);
  const line = requireLine(order, data.lineId, 'SubstituteOrderLine');
  const refuse = (why: string) =>
    new OrderDomainError('line-not-substitutable', `line ${line.lineId} (${line.sku}) cannot take ${data.sku}: ${why}`);
  // A cancelled order (even one whose shipped units keep it `shipped`) takes no new line.
  if (order.cancellation !== null || order.status === 'cancelled') throw refuse(`order ${order.orderId} is cancelled`);
  const waiting = line.backordered;
  const quantity = waiting + line.unavailable;
  if (quantity === 0) throw refuse('no unit of it waits or is unavailable');
  if (!line.substitutes.includes(data.sku)) {
    const known = line.substitutes.length === 0 ? 'inventory named no substitute' : `its substitutes are ${line.substitutes.join(', ')}`;
    throw refuse(`not a substitute for ${line.sku} (${known})`);
  }
  return withConsequences(order, [
    {
      type: 'OrderLineSubstituted',
      data: {
        orderId: order.orderId,
        customerId: order.customerId,
        lineId: line.lineId,
        newLineId: nextLineId(order),
        sku: line.sku,
        substituteSku: data.sku,
        quantity,
        waiting,
        substitutedAt,
      },
    },
  ]);
}

/** `<orderId>-<n+1>` for an order of n lines, as the service names placed lines; the next free number if taken. */
function nextLineId(order: PlacedOrder): string {
  const taken = new Set(order.lines.map((line) => line.lineId));
  let n = order.lines.length + 1;
  while (taken.has(`${order.orderId}-${n}`)) n++;
  return `${order.orderId}-${n}`;
}

function recordOutcome(command: InventoryOutcome, state: OrderState): OrderEvent[] {
  const { eventId } = command.data;
  requireText(eventId, 'eventId');
  const quantity = 'quantity' in command.data ? requirePositiveInteger(command.data.quantity, 'quantity') : 0;
  const expectedAt = 'expectedAt' in command.data ? nullableInstant(command.data.expectedAt, 'expectedAt') : null;
  if ('reason' in command.data) requireText(command.data.reason, 'reason');
  if (command.type === 'RecordBackorderQueued' && command.data.substitutes !== undefined) {
    requireTexts(command.data.substitutes, 'substitutes');
  }
  if (command.type === 'RecordStockUnavailable') requireTexts(command.data.substitutes, 'substitutes');
  const order = existing(state, command.type);
  // A redelivered inventory event was already counted.
  if (order.lines.some((candidate) => candidate.handledEventIds.includes(eventId))) return [];
  const line = lineOf(order, command.data.lineId, command.type);
  if (command.type === 'RecordStockShipped') {
    requireAtMost(quantity, line.shipped, 'shipped', line, command.type);
    return [];
  }
  // Inventory holds, queues and owes nothing for a closed line, so what still comes for it is a copy of an event
  // recorded before the line closed and forgot its event ids.
  if (isClosed(line)) return [];

  // In streams written before issue 12 a cancellation left unanswered units pending, to be released as inventory
  // answered them; they are given up now, before the answer lands on them.
  const catchUp: OrderEvent[] =
    order.cancellation !== null && cancellableUnits(line) > 0
      ? [
          {
            type: 'LineReleased',
            data: { orderId: order.orderId, lineId: line.lineId, quantity: cancellableUnits(line), from: 'pending', eventId: null },
          },
        ]
      : [];
  const current = catchUp.reduce(evolve, order as OrderState) as PlacedOrder;
  const currentLine = lineOf(current, line.lineId, command.type);
  return withConsequences(order, [...catchUp, ...outcomeEvents(command, current, currentLine, quantity, expectedAt)]);
}

function outcomeEvents(
  command: Exclude<InventoryOutcome, RecordStockShipped>,
  order: PlacedOrder,
  line: OrderLine,
  quantity: number,
  expectedAt: IsoInstant | null,
): OrderEvent[] {
  const { orderId } = order;
  const { lineId } = line;
  const { eventId } = command.data;
  const atInventory = line.inventory;
  const unanswered = unansweredAtInventory(line);

  switch (command.type) {
    case 'RecordStockReserved':
      requireAtMost(quantity, unanswered, 'pending', line, command.type);
      return [{ type: 'LineReserved', data: { orderId, lineId, quantity, eventId } }];
    case 'RecordBackorderQueued': {
      requireAtMost(quantity, unanswered, 'pending', line, command.type);
      const { substitutes } = command.data;
      return [
        {
          type: 'LineBackordered',
          data: { orderId, lineId, quantity, expectedAt, eventId, ...(substitutes === undefined ? {} : { substitutes: [...substitutes] }) },
        },
      ];
    }
    case 'RecordStockUnavailable': {
      requireAtMost(quantity, unanswered, 'pending', line, command.type);
      const substitutes = [...command.data.substitutes];
      return [{ type: 'LineUnavailable', data: { orderId, lineId, quantity, substitutes, eventId } }];
    }
    case 'RecordBackorderAllocated':
      requireAtMost(quantity, atInventory.backordered, 'backordered', line, command.type);
      return [{ type: 'LineAllocated', data: { orderId, lineId, quantity, eventId } }];
    case 'RecordBackorderEtaChanged':
      if (atInventory.backordered === 0) throw inconsistent(command.type, line, 'no unit of the line is backordered');
      // Every waiting unit was given up: the date is of units the customer no longer waits for.
      if (line.backordered === 0) return [];
      if (expectedAt === atInventory.expectedAt) return [];
      return [
        {
          type: 'LineEtaChanged',
          data: { orderId, lineId, previousExpectedAt: atInventory.expectedAt, expectedAt, eventId },
        },
      ];
    case 'RecordBackorderReleased':
    case 'RecordStockReleased': {
      const from: InventoryBucket = command.type === 'RecordBackorderReleased' ? 'backordered' : 'held';
      const { reason } = command.data;
      // See `releasedByInventory` in order.ts: a cancelled order of an old stream may release from any bucket.
      const lenient = order.cancellation !== null;
      const held = atInventory.reserved + atInventory.allocated;
      const source = lenient ? openAtInventory(line) : from === 'backordered' ? atInventory.backordered : held;
      requireAtMost(quantity, source, from === 'backordered' ? 'backordered' : 'reserved or allocated', line, command.type);
      if (reason === EXPIRED_REASON) {
        if (from !== 'backordered') throw inconsistent(command.type, line, 'only queued units expire');
      } else {
        // Inventory releases what the order gave up from its queue first, then from held units.
        const fromQueue = Math.min(line.releasing, atInventory.backordered);
        const limit = lenient ? line.releasing : from === 'backordered' ? fromQueue : line.releasing - fromQueue;
        if (quantity > limit) {
          throw inconsistent(
            command.type,
            line,
            `the order has not given up ${quantity} ${from === 'backordered' ? 'queued' : 'held'} unit(s) of the ` +
              `line (${limit}; ${line.releasing} in all): it has not been cancelled, nor the line cancelled or substituted`,
          );
        }
      }
      return [{ type: 'LineReleasedByInventory', data: { orderId, lineId, quantity, from, reason, eventId } }];
    }
    default: {
      const unexpected: never = command;
      throw new OrderDomainError('invalid-command', `unknown command ${(unexpected as { type: string }).type}`);
    }
  }
}

/**
 * OrderReadyToShip for the reserved or allocated units not announced yet. `as-available`: whenever there are some.
 * `when-complete`: only while no unit of the order waits (nothing backordered, nothing unanswered), then every such
 * unit at once: normally once per order; a substitution that adds a line afterwards makes the order incomplete
 * again, and the new line's units are announced when it completes. Units announced and later given up are not
 * un-announced by an event of their own: the OrderLineCancelled / OrderCancelled says so, and ShipOrder refuses them.
 */
export function readyToShip(order: PlacedOrder): OrderEvent | null {
  const lines: LineUnits[] = order.lines
    // Units held back from shipping (see `shippableUnits`) are announced once they can ship, unless they already were.
    .map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: shippableUnits(line) - line.announced }))
    .filter((units) => units.quantity > 0);
  if (lines.length === 0) return null;
  if (order.shipping === 'when-complete' && order.lines.some((line) => line.backordered > 0 || pendingUnits(line) > 0)) {
    return null;
  }
  return { type: 'OrderReadyToShip', data: { orderId: order.orderId, customerId: order.customerId, lines } };
}

function withConsequences(before: PlacedOrder, decided: OrderEvent[]): OrderEvent[] {
  if (decided.length === 0) return decided;
  const events = [...decided];
  let after = events.reduce(evolve, before as OrderState) as PlacedOrder;
  const ready = readyToShip(after);
  if (ready !== null) {
    events.push(ready);
    after = evolve(after, ready) as PlacedOrder;
  }
  const status = deriveOrderStatus(after);
  if (status === before.status) return events;
  return [...events, { type: 'OrderStatusChanged', data: { orderId: before.orderId, status, previous: before.status } }];
}

/** The order of the stream; `orderId`, when the command names one, must be that order (else it is not in this stream). */
function existing(state: OrderState, commandType: string, orderId?: string): PlacedOrder {
  if (!isPlaced(state)) {
    throw new OrderDomainError('order-not-found', `${commandType}: no order has been placed in this stream`);
  }
  if (orderId !== undefined && orderId !== state.orderId) {
    throw new OrderDomainError('order-not-found', `${commandType}: order ${orderId} is not in this stream`);
  }
  return state;
}

/** A line named by a customer or operator: an unknown one is a 404. */
function requireLine(order: PlacedOrder, lineId: string, commandType: string): OrderLine {
  const line = order.lines.find((candidate) => candidate.lineId === lineId);
  if (line === undefined) {
    throw new OrderDomainError('line-not-found', `${commandType}: order ${order.orderId} has no line ${lineId}`);
  }
  return line;
}

/** A line named by inventory: an unknown one means the outcome is not for this order. */
function lineOf(order: PlacedOrder, lineId: string, commandType: string): OrderLine {
  const line = order.lines.find((candidate) => candidate.lineId === lineId);
  if (line === undefined) {
    throw new OrderDomainError('inconsistent-outcome', `${commandType}: order ${order.orderId} has no line ${lineId}`);
  }
  return line;
}

const accountOf = (line: OrderLine): string =>
  `${line.shipped} shipped, ${line.released} released, ${line.unavailable} unavailable of ${line.quantity}`;

function requireAtMost(quantity: number, limit: number, bucket: string, line: OrderLine, commandType: string): number {
  if (quantity > limit) {
    throw inconsistent(commandType, line, `quantity ${quantity} exceeds the ${limit} ${bucket} unit(s) of the line`);
  }
  return quantity;
}

const inconsistent = (commandType: string, line: OrderLine, why: string): OrderDomainError =>
  new OrderDomainError('inconsistent-outcome', `${commandType} for line ${line.lineId} (${line.sku}): ${why}`);

/** At least one line, each checked by `check`, no line id twice (checked line by line, in order). */
function requireLines<Line extends { readonly lineId: string }>(
  lines: readonly Line[],
  what: string,
  check: (line: Line, index: number) => void,
): void {
  if (lines.length === 0) throw new OrderDomainError('invalid-command', `lines: ${what} needs at least one line`);
  const lineIds = new Set<string>();
  lines.forEach((line, index) => {
    check(line, index);
    if (lineIds.has(line.lineId)) {
      throw new OrderDomainError('invalid-command', `lines[${index}].lineId: ${line.lineId} appears twice`);
    }
    lineIds.add(line.lineId);
  });
}

function requireText(value: string, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new OrderDomainError('invalid-command', `${field}: must be a non-empty string`);
  }
}

function requireTexts(values: readonly string[], field: string): void {
  if (!Array.isArray(values)) throw new OrderDomainError('invalid-command', `${field}: must be a list of SKUs`);
  values.forEach((value, index) => requireText(value, `${field}[${index}]`));
}

function nullableText(value: string | null, field: string): string | null {
  if (value === null) return null;
  requireText(value, field);
  return value;
}

function requirePositiveInteger(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new OrderDomainError('invalid-command', `${field}: must be a positive integer, got ${value}`);
  }
  return value;
}

function instant(value: IsoInstant, field: string): IsoInstant {
  const normalized = normalizeInstant(value);
  if (normalized === null) {
    throw new OrderDomainError('invalid-command', `${field}: must be an ISO-8601 date-time with a zone`);
  }
  return normalized;
}

const nullableInstant = (value: IsoInstant | null, field: string): IsoInstant | null =>
  value === null ? null : instant(value, field);
