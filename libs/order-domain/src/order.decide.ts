import {
  deriveOrderStatus,
  evolve,
  isPlaced,
  pendingUnits,
  type OrderEvent,
  type OrderLine,
  type OrderState,
  type PlacedOrder,
} from './order.js';
import { normalizeInstant, type IsoInstant } from '@fulfillment/time';
import { OrderDomainError } from './order.errors.js';

type DomainCommand<Type extends string, Data> = Readonly<{ type: Type; data: Readonly<Data> }>;

export interface OrderLineRequest {
  readonly lineId: string;
  readonly sku: string;
  readonly quantity: number;
}

export type PlaceOrder = DomainCommand<
  'PlaceOrder',
  { orderId: string; customerId: string; email: string | null; lines: readonly OrderLineRequest[]; now: IsoInstant }
>;
export type CancelOrder = DomainCommand<'CancelOrder', { orderId: string; reason: string; now: IsoInstant }>;

// Inventory's answers, fed in by the service from inventory.events; `eventId` is that event's envelope id.
export type RecordStockReserved = DomainCommand<
  'RecordStockReserved',
  { lineId: string; quantity: number; eventId: string }
>;
export type RecordBackorderQueued = DomainCommand<
  'RecordBackorderQueued',
  { lineId: string; quantity: number; expectedAt: IsoInstant | null; eventId: string }
>;
export type RecordBackorderAllocated = DomainCommand<
  'RecordBackorderAllocated',
  { lineId: string; quantity: number; eventId: string }
>;
export type RecordBackorderEtaChanged = DomainCommand<
  'RecordBackorderEtaChanged',
  { lineId: string; expectedAt: IsoInstant | null; eventId: string }
>;
export type RecordBackorderReleased = DomainCommand<
  'RecordBackorderReleased',
  { lineId: string; quantity: number; eventId: string }
>;
export type RecordStockReleased = DomainCommand<
  'RecordStockReleased',
  { lineId: string; quantity: number; eventId: string }
>;
export type RecordStockUnavailable = DomainCommand<
  'RecordStockUnavailable',
  { lineId: string; quantity: number; substitutes: readonly string[]; eventId: string }
>;

export type InventoryOutcome =
  | RecordStockReserved
  | RecordBackorderQueued
  | RecordBackorderAllocated
  | RecordBackorderEtaChanged
  | RecordBackorderReleased
  | RecordStockReleased
  | RecordStockUnavailable;

export type OrderCommand = PlaceOrder | CancelOrder | InventoryOutcome;

/**
 * Pure: the events a command produces on top of `state`, followed by `OrderStatusChanged` when they move the
 * derived status. Throws `OrderDomainError` when the command is invalid (checked first, so a malformed request is
 * a 400 whatever the state), targets no order, or is refused.
 */
export function decide(command: OrderCommand, state: OrderState): readonly OrderEvent[] {
  switch (command.type) {
    case 'PlaceOrder':
      return placeOrder(command, state);
    case 'CancelOrder':
      return cancelOrder(command, state);
    case 'RecordStockReserved':
    case 'RecordBackorderQueued':
    case 'RecordBackorderAllocated':
    case 'RecordBackorderEtaChanged':
    case 'RecordBackorderReleased':
    case 'RecordStockReleased':
    case 'RecordStockUnavailable':
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
  if (data.lines.length === 0) throw new OrderDomainError('invalid-command', 'lines: an order needs at least one line');
  const lineIds = new Set<string>();
  data.lines.forEach((line, index) => {
    requireText(line.lineId, `lines[${index}].lineId`);
    requireText(line.sku, `lines[${index}].sku`);
    requirePositiveInteger(line.quantity, `lines[${index}].quantity`);
    if (lineIds.has(line.lineId)) {
      throw new OrderDomainError('invalid-command', `lines[${index}].lineId: ${line.lineId} appears twice`);
    }
    lineIds.add(line.lineId);
  });
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
      },
    },
  ];
}

function cancelOrder({ data }: CancelOrder, state: OrderState): OrderEvent[] {
  const cancelledAt = instant(data.now, 'now');
  const order = existing(state, 'CancelOrder');
  // The shell loaded the stream from this id; a mismatch means the command is aimed at another order.
  if (data.orderId !== order.orderId) {
    throw new OrderDomainError('order-not-found', `CancelOrder: order ${data.orderId} is not in this stream`);
  }
  if (order.status === 'cancelled') return [];
  if (order.status === 'rejected') {
    throw new OrderDomainError(
      'order-not-cancellable',
      `order ${order.orderId} was rejected: inventory holds nothing for it to release`,
    );
  }
  const { orderId } = order;
  // The order's own view releases everything at once; inventory's release events that follow are then no-ops.
  const releases = order.lines.flatMap((line) =>
    (['reserved', 'allocated', 'backordered'] as const)
      .filter((from) => line[from] > 0)
      .map((from): OrderEvent => ({
        type: 'LineReleased',
        data: { orderId, lineId: line.lineId, quantity: line[from], from, eventId: null },
      })),
  );
  return withStatusChange(order, [
    { type: 'OrderCancelled', data: { orderId, customerId: order.customerId, reason: data.reason, cancelledAt } },
    ...releases,
  ]);
}

/*
 * After a cancellation inventory may still answer for units it handled before it saw the cancellation; it will
 * release them once it does. So those answers are absorbed in a way that keeps the view where it will end up:
 * reserved or queued units count as released straight away, an allocation or a date change of units already
 * released changes nothing, and unavailable units are recorded as such (there was nothing to release).
 */
function recordOutcome(command: InventoryOutcome, state: OrderState): OrderEvent[] {
  const { eventId } = command.data;
  requireText(eventId, 'eventId');
  const quantity = 'quantity' in command.data ? requirePositiveInteger(command.data.quantity, 'quantity') : 0;
  const expectedAt = 'expectedAt' in command.data ? nullableInstant(command.data.expectedAt, 'expectedAt') : null;
  const order = existing(state, command.type);
  // A redelivered inventory event was already counted.
  if (order.handledOutcomeIds.includes(eventId)) return [];
  const line = lineOf(order, command.data.lineId, command.type);
  return withStatusChange(order, outcomeEvents(command, order, line, quantity, expectedAt));
}

/*
 * After a cancellation inventory may still answer for units it handled before it saw the cancellation; it will
 * release them once it does. So those answers are absorbed in a way that keeps the view where it will end up:
 * reserved or queued units count as released straight away, an allocation or a date change of units already
 * released changes nothing, and unavailable units are recorded as such (there was nothing to release).
 */
function outcomeEvents(
  command: InventoryOutcome,
  order: PlacedOrder,
  line: OrderLine,
  quantity: number,
  expectedAt: IsoInstant | null,
): OrderEvent[] {
  const { orderId } = order;
  const { lineId } = line;
  const { eventId } = command.data;
  const cancelled = order.cancellation !== null;

  switch (command.type) {
    case 'RecordStockReserved':
    case 'RecordBackorderQueued':
      requireAtMost(quantity, pendingUnits(line), 'pending', line, command.type);
      if (cancelled) return [{ type: 'LineReleased', data: { orderId, lineId, quantity, from: 'pending', eventId } }];
      return command.type === 'RecordStockReserved'
        ? [{ type: 'LineReserved', data: { orderId, lineId, quantity, eventId } }]
        : [{ type: 'LineBackordered', data: { orderId, lineId, quantity, expectedAt, eventId } }];
    case 'RecordStockUnavailable': {
      requireAtMost(quantity, pendingUnits(line), 'pending', line, command.type);
      const substitutes = [...command.data.substitutes];
      return [{ type: 'LineUnavailable', data: { orderId, lineId, quantity, substitutes, eventId } }];
    }
    case 'RecordBackorderAllocated':
      if (cancelled) {
        requireAtMost(quantity, line.released, 'released', line, command.type);
        return [];
      }
      requireAtMost(quantity, line.backordered, 'backordered', line, command.type);
      return [{ type: 'LineAllocated', data: { orderId, lineId, quantity, eventId } }];
    case 'RecordBackorderEtaChanged':
      if (cancelled) return [];
      if (line.backordered === 0) throw inconsistent(command.type, line, 'no unit of the line is backordered');
      if (expectedAt === line.expectedAt) return [];
      return [
        {
          type: 'LineEtaChanged',
          data: { orderId, lineId, previousExpectedAt: line.expectedAt, expectedAt, eventId },
        },
      ];
    case 'RecordBackorderReleased':
    case 'RecordStockReleased':
      // Inventory releases only because this order was cancelled (SPEC rule 5), and the cancellation already
      // released the units in the order's view.
      if (!cancelled) throw inconsistent(command.type, line, 'the order has not been cancelled');
      requireAtMost(quantity, line.released, 'released', line, command.type);
      return [];
    default: {
      const unexpected: never = command;
      throw new OrderDomainError('invalid-command', `unknown command ${(unexpected as { type: string }).type}`);
    }
  }
}

function existing(state: OrderState, commandType: string): PlacedOrder {
  if (!isPlaced(state)) {
    throw new OrderDomainError('order-not-found', `${commandType}: no order has been placed in this stream`);
  }
  return state;
}

function withStatusChange(before: PlacedOrder, events: OrderEvent[]): OrderEvent[] {
  if (events.length === 0) return events;
  const after = events.reduce(evolve, before as OrderState) as PlacedOrder;
  const status = deriveOrderStatus(after);
  if (status === before.status) return events;
  const changed: OrderEvent = {
    type: 'OrderStatusChanged',
    data: { orderId: before.orderId, status, previous: before.status },
  };
  return [...events, changed];
}

function lineOf(order: PlacedOrder, lineId: string, commandType: string): OrderLine {
  const line = order.lines.find((candidate) => candidate.lineId === lineId);
  if (line === undefined) {
    throw new OrderDomainError(
      'inconsistent-outcome',
      `${commandType}: order ${order.orderId} has no line ${lineId}`,
    );
  }
  return line;
}

function requireAtMost(quantity: number, limit: number, bucket: string, line: OrderLine, commandType: string): number {
  if (quantity > limit) {
    throw inconsistent(commandType, line, `quantity ${quantity} exceeds the ${limit} ${bucket} unit(s) of the line`);
  }
  return quantity;
}

const inconsistent = (commandType: string, line: OrderLine, why: string): OrderDomainError =>
  new OrderDomainError('inconsistent-outcome', `${commandType} for line ${line.lineId} (${line.sku}): ${why}`);

function requireText(value: string, field: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new OrderDomainError('invalid-command', `${field}: must be a non-empty string`);
  }
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
