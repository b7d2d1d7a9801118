import type { IsoInstant } from '@fulfillment/time';

type DomainEvent<Type extends string, Data> = Readonly<{ type: Type; data: Readonly<Data> }>;

export type OrderStatus = 'pending' | 'confirmed' | 'backordered' | 'rejected' | 'cancelled';

export interface PlacedLine {
  readonly lineId: string;
  readonly sku: string;
  readonly quantity: number;
}

/** The buckets a released unit came out of; `pending` is an answer inventory gave after the order was cancelled. */
export type ReleasedFrom = 'reserved' | 'allocated' | 'backordered' | 'pending';

export type OrderPlaced = DomainEvent<
  'OrderPlaced',
  {
    orderId: string;
    customerId: string;
    email: string | null;
    lines: readonly PlacedLine[];
    placedAt: IsoInstant;
  }
>;
export type OrderCancelled = DomainEvent<
  'OrderCancelled',
  { orderId: string; customerId: string; reason: string; cancelledAt: IsoInstant }
>;
// `eventId` is the id of the inventory event the outcome came from: a redelivery of it must not count twice.
export type LineReserved = DomainEvent<
  'LineReserved',
  { orderId: string; lineId: string; quantity: number; eventId: string }
>;
export type LineBackordered = DomainEvent<
  'LineBackordered',
  { orderId: string; lineId: string; quantity: number; expectedAt: IsoInstant | null; eventId: string }
>;
export type LineAllocated = DomainEvent<
  'LineAllocated',
  { orderId: string; lineId: string; quantity: number; eventId: string }
>;
export type LineEtaChanged = DomainEvent<
  'LineEtaChanged',
  {
    orderId: string;
    lineId: string;
    previousExpectedAt: IsoInstant | null;
    expectedAt: IsoInstant | null;
    eventId: string;
  }
>;
export type LineUnavailable = DomainEvent<
  'LineUnavailable',
  { orderId: string; lineId: string; quantity: number; substitutes: readonly string[]; eventId: string }
>;
// eventId is null when the release comes from the order's own cancellation rather than from an inventory event.
export type LineReleased = DomainEvent<
  'LineReleased',
  { orderId: string; lineId: string; quantity: number; from: ReleasedFrom; eventId: string | null }
>;
export type OrderStatusChanged = DomainEvent<
  'OrderStatusChanged',
  { orderId: string; status: OrderStatus; previous: OrderStatus }
>;

export type OrderEvent =
  | OrderPlaced
  | OrderCancelled
  | LineReserved
  | LineBackordered
  | LineAllocated
  | LineEtaChanged
  | LineUnavailable
  | LineReleased
  | OrderStatusChanged;

/** Units of the line inventory has not answered yet are `pendingUnits(line)`; they are not stored. */
export interface OrderLine {
  readonly lineId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly reserved: number;
  readonly allocated: number;
  readonly backordered: number;
  readonly unavailable: number;
  readonly released: number;
  /** Promised date of the units still waiting; null when none wait or inventory has no date. */
  readonly expectedAt: IsoInstant | null;
}

export interface PlacedOrder {
  readonly status: OrderStatus;
  readonly orderId: string;
  readonly customerId: string;
  readonly email: string | null;
  readonly placedAt: IsoInstant;
  readonly lines: readonly OrderLine[];
  readonly cancellation: { readonly reason: string; readonly cancelledAt: IsoInstant } | null;
  /** Ids of the inventory events already recorded, so a redelivered one changes nothing. */
  readonly handledOutcomeIds: readonly string[];
}

export type OrderState = { readonly status: 'initial' } | PlacedOrder;

export const initialState = (): OrderState => ({ status: 'initial' });

export const isPlaced = (state: OrderState): state is PlacedOrder => state.status !== 'initial';

export const pendingUnits = (line: OrderLine): number =>
  line.quantity - line.reserved - line.allocated - line.backordered - line.unavailable - line.released;

/**
 * The status the order's lines call for (SPEC, GET /orders/:id). `decide` emits `OrderStatusChanged` whenever this
 * differs from the recorded status, so after every decision `state.status === deriveOrderStatus(state)`.
 */
export function deriveOrderStatus(order: PlacedOrder): OrderStatus {
  if (order.cancellation !== null) return 'cancelled';
  if (order.lines.some((line) => pendingUnits(line) > 0)) return 'pending';
  if (order.lines.some((line) => line.backordered > 0)) return 'backordered';
  if (order.lines.some((line) => line.reserved + line.allocated > 0)) return 'confirmed';
  // Releases are only accepted after a cancellation, so an answered order that holds nothing and was not cancelled
  // has every unit unavailable.
  return 'rejected';
}

export function evolve(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    const { orderId, customerId, email, lines, placedAt } = event.data;
    return {
      status: 'pending',
      orderId,
      customerId,
      email,
      placedAt,
      lines: lines.map(({ lineId, sku, quantity }) => ({
        lineId,
        sku,
        quantity,
        reserved: 0,
        allocated: 0,
        backordered: 0,
        unavailable: 0,
        released: 0,
        expectedAt: null,
      })),
      cancellation: null,
      handledOutcomeIds: [],
    };
  }
  // Every other event belongs to a placed order; the store never holds one before OrderPlaced.
  if (!isPlaced(state)) return state;

  switch (event.type) {
    case 'OrderCancelled':
      return { ...state, cancellation: { reason: event.data.reason, cancelledAt: event.data.cancelledAt } };
    case 'OrderStatusChanged':
      return { ...state, status: event.data.status };
    case 'LineReserved': {
      const { lineId, quantity, eventId } = event.data;
      return onLine(state, lineId, eventId, (line) => ({ ...line, reserved: line.reserved + quantity }));
    }
    case 'LineBackordered': {
      const { lineId, quantity, expectedAt, eventId } = event.data;
      return onLine(state, lineId, eventId, (line) => ({
        ...line,
        backordered: line.backordered + quantity,
        // Inventory queues a line once; should it queue more of it, the latest promise is the one that holds.
        expectedAt,
      }));
    }
    case 'LineAllocated': {
      const { lineId, quantity, eventId } = event.data;
      return onLine(state, lineId, eventId, (line) =>
        withoutStaleEta({ ...line, backordered: line.backordered - quantity, allocated: line.allocated + quantity }),
      );
    }
    case 'LineEtaChanged': {
      const { lineId, expectedAt, eventId } = event.data;
      return onLine(state, lineId, eventId, (line) => ({ ...line, expectedAt }));
    }
    case 'LineUnavailable': {
      const { lineId, quantity, eventId } = event.data;
      return onLine(state, lineId, eventId, (line) => ({ ...line, unavailable: line.unavailable + quantity }));
    }
    case 'LineReleased': {
      const { lineId, quantity, from, eventId } = event.data;
      return onLine(state, lineId, eventId, (line) =>
        withoutStaleEta({ ...takeFrom(line, from, quantity), released: line.released + quantity }),
      );
    }
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

function onLine(
  order: PlacedOrder,
  lineId: string,
  eventId: string | null,
  change: (line: OrderLine) => OrderLine,
): PlacedOrder {
  return {
    ...order,
    lines: order.lines.map((line) => (line.lineId === lineId ? change(line) : line)),
    handledOutcomeIds: eventId === null ? order.handledOutcomeIds : [...order.handledOutcomeIds, eventId],
  };
}

function takeFrom(line: OrderLine, from: ReleasedFrom, quantity: number): OrderLine {
  switch (from) {
    case 'reserved':
      return { ...line, reserved: line.reserved - quantity };
    case 'allocated':
      return { ...line, allocated: line.allocated - quantity };
    case 'backordered':
      return { ...line, backordered: line.backordered - quantity };
    case 'pending':
      // Pending units are not stored: counting them as released is what takes them out of pending.
      return line;
  }
}

const withoutStaleEta = (line: OrderLine): OrderLine =>
  line.backordered === 0 && line.expectedAt !== null ? { ...line, expectedAt: null } : line;

export interface OrderLineView {
  lineId: string;
  sku: string;
  quantity: number;
  reserved: number;
  allocated: number;
  backordered: number;
  unavailable: number;
  released: number;
  expectedAt: IsoInstant | null;
}

/** Shaped exactly like SPEC's GET /orders/:orderId. */
export interface OrderView {
  orderId: string;
  customerId: string;
  status: OrderStatus;
  lines: OrderLineView[];
}

/** The GET /orders/:orderId body, or null when no order was placed in this stream (a 404). */
export function orderView(state: OrderState): OrderView | null {
  if (!isPlaced(state)) return null;
  return {
    orderId: state.orderId,
    customerId: state.customerId,
    status: state.status,
    lines: state.lines.map(
      ({ lineId, sku, quantity, reserved, allocated, backordered, unavailable, released, expectedAt }) => ({
        lineId,
        sku,
        quantity,
        reserved,
        allocated,
        backordered,
        unavailable,
        released,
        expectedAt,
      }),
    ),
  };
}

export const orderStreamName = (orderId: string): string => `order-${orderId}`;
