import { NO_UNITS, orderLineView, type DomainEvent, type OrderLineView, type OrderStatus } from '@fulfillment/kernel';
import type { IsoInstant } from '@fulfillment/time';

export type { OrderStatus };

/** `as-available` ships what can ship as it comes; `when-complete` waits until no unit of the order waits. */
export type ShippingPolicy = 'as-available' | 'when-complete';
export const SHIPPING_POLICIES: readonly ShippingPolicy[] = ['as-available', 'when-complete'];
export const DEFAULT_SHIPPING_POLICY: ShippingPolicy = 'as-available';

export interface PlacedLine {
  readonly lineId: string;
  readonly sku: string;
  readonly quantity: number;
}

/** Units of one line, as OrderReadyToShip and OrderShipped name them. */
export interface LineUnits {
  readonly lineId: string;
  readonly sku: string;
  readonly quantity: number;
}

/** The view bucket units given up by the order came out of (informational: the view follows `releasing`). */
export type ReleasedFrom = 'reserved' | 'allocated' | 'backordered' | 'pending';

/** Which of inventory's buckets it released units from: its queue, or the units it held (reserved or allocated). */
export type InventoryBucket = 'backordered' | 'held';

/** The release reason inventory gives when it released queued units on its own, not because the order asked. */
export const EXPIRED_REASON = 'expired';

export type OrderPlaced = DomainEvent<
  'OrderPlaced',
  {
    orderId: string;
    customerId: string;
    email: string | null;
    lines: readonly PlacedLine[];
    placedAt: IsoInstant;
    /** Absent in events stored before shipping policies existed: those orders ship as available. */
    shipping?: ShippingPolicy;
  }
>;
export type OrderCancelled = DomainEvent<
  'OrderCancelled',
  { orderId: string; customerId: string; reason: string; cancelledAt: IsoInstant }
>;
/**
 * What inventory answered about a line. `eventId` is the id of the inventory event the outcome came from: a
 * redelivery of it must not count twice.
 */
type LineOutcome<Type extends string, Data> = DomainEvent<Type, { orderId: string; lineId: string; eventId: string } & Data>;

export type LineReserved = LineOutcome<'LineReserved', { quantity: number }>;
export type LineBackordered = LineOutcome<
  'LineBackordered',
  {
    quantity: number;
    expectedAt: IsoInstant | null;
    /** The SKU's substitutes, so the waiting line can be substituted; absent in events stored before issue 12. */
    substitutes?: readonly string[];
  }
>;
export type LineAllocated = LineOutcome<'LineAllocated', { quantity: number }>;
export type LineEtaChanged = LineOutcome<
  'LineEtaChanged',
  { previousExpectedAt: IsoInstant | null; expectedAt: IsoInstant | null }
>;
export type LineUnavailable = LineOutcome<'LineUnavailable', { quantity: number; substitutes: readonly string[] }>;
/**
 * The order gave up `quantity` units of the line (a whole-order cancellation; `eventId` null). Streams written
 * before issue 12 also hold it with an `eventId`: an answer inventory gave after the cancellation, absorbed as
 * released. Either way inventory may still hold the units until it reads the cancellation.
 */
export type LineReleased = DomainEvent<
  'LineReleased',
  { orderId: string; lineId: string; quantity: number; from: ReleasedFrom; eventId: string | null }
>;
/**
 * Inventory released units of the line: because the order gave them up (it confirms them), or on its own (reason
 * `expired`: queued units that waited too long).
 */
export type LineReleasedByInventory = LineOutcome<
  'LineReleasedByInventory',
  { quantity: number; from: InventoryBucket; reason: string }
>;
export type OrderReadyToShip = DomainEvent<
  'OrderReadyToShip',
  { orderId: string; customerId: string; lines: readonly LineUnits[] }
>;
export type OrderShipped = DomainEvent<
  'OrderShipped',
  {
    orderId: string;
    customerId: string;
    shipmentId: string;
    lines: readonly LineUnits[];
    carrier: string | null;
    trackingId: string | null;
    shippedAt: IsoInstant;
  }
>;
export type OrderLineCancelled = DomainEvent<
  'OrderLineCancelled',
  {
    orderId: string;
    customerId: string;
    lineId: string;
    sku: string;
    quantity: number;
    reason: string;
    cancelledAt: IsoInstant;
  }
>;
/** Adds line `newLineId`; `waiting` of the `quantity` units were queued in inventory, the rest unavailable. */
export type OrderLineSubstituted = DomainEvent<
  'OrderLineSubstituted',
  {
    orderId: string;
    customerId: string;
    lineId: string;
    newLineId: string;
    sku: string;
    substituteSku: string;
    quantity: number;
    waiting: number;
    substitutedAt: IsoInstant;
  }
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
  | LineReleasedByInventory
  | OrderReadyToShip
  | OrderShipped
  | OrderLineCancelled
  | OrderLineSubstituted
  | OrderStatusChanged;

const EVENT_TYPES: Readonly<Record<OrderEvent['type'], true>> = {
  OrderPlaced: true,
  OrderCancelled: true,
  LineReserved: true,
  LineBackordered: true,
  LineAllocated: true,
  LineEtaChanged: true,
  LineUnavailable: true,
  LineReleased: true,
  LineReleasedByInventory: true,
  OrderReadyToShip: true,
  OrderShipped: true,
  OrderLineCancelled: true,
  OrderLineSubstituted: true,
  OrderStatusChanged: true,
};

/** Every type of event an order stream holds (the compiler keeps the list complete). */
export const ORDER_EVENT_TYPES: readonly OrderEvent['type'][] = Object.keys(EVENT_TYPES) as OrderEvent['type'][];

/**
 * What inventory holds for a line, as far as the order has read its events (which arrive in the order inventory
 * emitted them: they are keyed by SKU, and a line has one SKU). Units the order shipped leave at once: inventory
 * ships exactly those when it reads OrderShipped.
 */
export interface InventoryLine {
  readonly reserved: number;
  readonly allocated: number;
  readonly backordered: number;
  readonly unavailable: number;
  /** Units inventory released, for whatever reason. */
  readonly released: number;
  /** The promised date inventory gave for its queued units; null when none are queued or it has no date. */
  readonly expectedAt: IsoInstant | null;
}

/**
 * One line. The first fields are the view (GET /orders/:id), recomputed by `evolve` from the rest: the view is what
 * inventory holds (`inventory`) minus what the order gave up and inventory has not released yet (`releasing`),
 * taken the way inventory will release it: first from its queue, then from held units, then from units it has not
 * answered yet. So answers inventory gives before it reads a cancellation or substitution (a reservation, an
 * allocation, an expiry of units the order released) land where they will end up once it has read it.
 */
export interface OrderLine extends OrderLineView {
  readonly inventory: InventoryLine;
  /** Units the order gave up that inventory may still hold, queue or answer: it releases them when it reads why. */
  readonly releasing: number;
  /** Units given up by a substitution: they live on in the substitute's line. */
  readonly substituted: number;
  /** SKUs inventory named as substitutes for this line's SKU (from StockUnavailable or BackorderQueued). */
  readonly substitutes: readonly string[];
  /** Reserved or allocated units announced by OrderReadyToShip and neither shipped nor given up since. */
  readonly announced: number;
  /** Ids of the inventory events recorded for the line; forgotten once the line is closed (see `isClosed`). */
  readonly handledEventIds: readonly string[];
}

export interface Shipment {
  readonly shipmentId: string;
  readonly lines: readonly LineUnits[];
  readonly carrier: string | null;
  readonly trackingId: string | null;
  readonly shippedAt: IsoInstant;
}

export interface PlacedOrder {
  readonly status: OrderStatus;
  readonly orderId: string;
  readonly customerId: string;
  readonly email: string | null;
  readonly placedAt: IsoInstant;
  readonly shipping: ShippingPolicy;
  readonly lines: readonly OrderLine[];
  readonly cancellation: { readonly reason: string; readonly cancelledAt: IsoInstant } | null;
  /** Every shipment recorded; each ships at least one unit, so there are at most as many as units ordered. */
  readonly shipments: readonly Shipment[];
}

export type OrderState = { readonly status: 'initial' } | PlacedOrder;

export const initialState = (): OrderState => ({ status: 'initial' });

export const isPlaced = (state: OrderState): state is PlacedOrder => state.status !== 'initial';

/** Units of the line inventory has not answered yet (and the order has not given up). */
export const pendingUnits = (line: OrderLine): number =>
  line.quantity -
  line.reserved -
  line.allocated -
  line.backordered -
  line.unavailable -
  line.released -
  line.shipped;

/**
 * Units that can ship now: reserved or allocated, less as many as the order gave up from inventory's queue without
 * inventory having released them yet. Inventory releases a line cancel or substitution by quantity, queue first and
 * then held units; should those queued units expire before it reads the release, it takes held ones instead, and a
 * held unit shipped meanwhile would be gone twice. Once inventory confirms the release they can ship again.
 */
export const shippableUnits = (line: OrderLine): number =>
  Math.max(0, line.reserved + line.allocated - Math.min(line.releasing, line.inventory.backordered));

/** Units that can still be given up: neither shipped, released nor unavailable. */
export const cancellableUnits = (line: OrderLine): number =>
  line.reserved + line.allocated + line.backordered + pendingUnits(line);

/** Units inventory has not answered yet, in its own terms (including those the order gave up meanwhile). */
export const unansweredAtInventory = (line: OrderLine): number => {
  const i = line.inventory;
  return line.quantity - line.shipped - i.reserved - i.allocated - i.backordered - i.unavailable - i.released;
};

/** Units inventory holds, queues or has still to answer for the line: all it could ever release. */
export const openAtInventory = (line: OrderLine): number =>
  line.inventory.reserved + line.inventory.allocated + line.inventory.backordered + unansweredAtInventory(line);

/**
 * A line inventory will say nothing more about, but for confirming shipments: it holds, queues and owes an answer for
 * none of its units. Its recorded event ids are then dropped, which keeps an order's memory bounded by its open lines.
 */
export const isClosed = (line: OrderLine): boolean => openAtInventory(line) === 0;

/** The view fields recomputed from inventory's buckets, the units being released and the line's own counts. */
function withView(line: OrderLine): OrderLine {
  const i = line.inventory;
  const unanswered = unansweredAtInventory(line);
  // What inventory could release caps what the order still waits to see released: the rest it will never hold
  // (e.g. given-up units it then found unavailable, or queued units that expired first).
  let debt = Math.min(line.releasing, i.backordered + i.allocated + i.reserved + unanswered);
  const take = (units: number): number => {
    const taken = Math.min(debt, units);
    debt -= taken;
    return units - taken;
  };
  const backordered = take(i.backordered);
  const allocated = take(i.allocated);
  const reserved = take(i.reserved);
  const pending = take(unanswered);
  const unavailable = line.quantity - line.shipped - line.released - backordered - allocated - reserved - pending;
  const view: OrderLine = {
    ...line,
    reserved,
    allocated,
    backordered,
    unavailable,
    expectedAt: backordered > 0 ? i.expectedAt : null,
  };
  // Announced units stay announced while held back from shipping (see `shippableUnits`): announcing them again once
  // they can ship would tell the warehouse twice about the same units.
  const announced = Math.min(line.announced, reserved + allocated);
  const handledEventIds = isClosed(view) ? [] : view.handledEventIds;
  return { ...view, announced, handledEventIds };
}

/**
 * The status the order's lines call for (SPEC 9). `decide` emits `OrderStatusChanged` whenever this differs from the
 * recorded status, so after every decision `state.status === deriveOrderStatus(state)`.
 */
export function deriveOrderStatus(order: PlacedOrder): OrderStatus {
  let pending = 0;
  let backordered = 0;
  let open = 0;
  let shipped = 0;
  let givenUp = 0;
  for (const line of order.lines) {
    const unanswered = pendingUnits(line);
    pending += unanswered;
    backordered += line.backordered;
    open += line.reserved + line.allocated + line.backordered + unanswered;
    shipped += line.shipped;
    givenUp += line.released - line.substituted;
  }
  if (shipped > 0) return open === 0 ? 'shipped' : 'partially-shipped';
  // An order cancelled before anything shipped stays cancelled (streams written before issue 12 may still have
  // unanswered units then: they are given up as they are answered).
  if (order.cancellation !== null) return 'cancelled';
  if (open === 0) {
    // Nothing left in play and nothing shipped: cancelled if a unit was given up (cancelled or expired; substituted
    // units live on in another line), else every unit is unavailable.
    return givenUp > 0 ? 'cancelled' : 'rejected';
  }
  if (pending > 0) return 'pending';
  if (backordered > 0) return 'backordered';
  return 'confirmed';
}

const NOTHING_AT_INVENTORY: InventoryLine = {
  reserved: 0,
  allocated: 0,
  backordered: 0,
  unavailable: 0,
  released: 0,
  expectedAt: null,
};

function newLine(lineId: string, sku: string, quantity: number): OrderLine {
  return {
    lineId,
    sku,
    quantity,
    ...NO_UNITS,
    expectedAt: null,
    inventory: NOTHING_AT_INVENTORY,
    releasing: 0,
    substituted: 0,
    substitutes: [],
    announced: 0,
    handledEventIds: [],
  };
}

export function evolve(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    const { orderId, customerId, email, lines, placedAt, shipping } = event.data;
    return {
      status: 'pending',
      orderId,
      customerId,
      email,
      placedAt,
      shipping: shipping ?? DEFAULT_SHIPPING_POLICY,
      lines: lines.map(({ lineId, sku, quantity }) => newLine(lineId, sku, quantity)),
      cancellation: null,
      shipments: [],
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
      return onInventory(state, lineId, eventId, (i) => ({ ...i, reserved: i.reserved + quantity }));
    }
    case 'LineBackordered': {
      const { lineId, quantity, expectedAt, eventId, substitutes } = event.data;
      const next = onInventory(state, lineId, eventId, (i) => ({
        ...i,
        backordered: i.backordered + quantity,
        // Inventory queues a line once; should it queue more of it, the latest promise is the one that holds.
        expectedAt,
      }));
      return substitutes === undefined ? next : onLine(next, lineId, (line) => ({ ...line, substitutes: [...substitutes] }));
    }
    case 'LineAllocated': {
      const { lineId, quantity, eventId } = event.data;
      return onInventory(state, lineId, eventId, (i) => {
        const backordered = i.backordered - quantity;
        return { ...i, backordered, allocated: i.allocated + quantity, expectedAt: backordered === 0 ? null : i.expectedAt };
      });
    }
    case 'LineEtaChanged': {
      const { lineId, expectedAt, eventId } = event.data;
      return onInventory(state, lineId, eventId, (i) => ({ ...i, expectedAt }));
    }
    case 'LineUnavailable': {
      const { lineId, quantity, substitutes, eventId } = event.data;
      const next = onInventory(state, lineId, eventId, (i) => ({ ...i, unavailable: i.unavailable + quantity }));
      return onLine(next, lineId, (line) => ({ ...line, substitutes: [...substitutes] }));
    }
    case 'LineReleased': {
      const { lineId, quantity, eventId } = event.data;
      return onLine(state, lineId, (line) =>
        withView({
          ...remembering(line, eventId),
          released: line.released + quantity,
          releasing: line.releasing + quantity,
        }),
      );
    }
    case 'LineReleasedByInventory': {
      const { lineId, quantity, from, reason, eventId } = event.data;
      return onLine(state, lineId, (line) =>
        releasedByInventory(remembering(line, eventId), from, quantity, reason, state.cancellation !== null),
      );
    }
    case 'OrderReadyToShip': {
      const announced = new Map(event.data.lines.map((units) => [units.lineId, units.quantity]));
      return onLines(state, (line) => {
        const quantity = announced.get(line.lineId);
        return quantity === undefined ? line : { ...line, announced: line.announced + quantity };
      });
    }
    case 'OrderShipped': {
      const { shipmentId, lines, carrier, trackingId, shippedAt } = event.data;
      const shipping = new Map(lines.map((units) => [units.lineId, units.quantity]));
      const next = onLines(state, (line) => {
        const quantity = shipping.get(line.lineId);
        return quantity === undefined ? line : shipped(line, quantity);
      });
      return { ...next, shipments: [...state.shipments, { shipmentId, lines, carrier, trackingId, shippedAt }] };
    }
    case 'OrderLineCancelled': {
      const { lineId, quantity } = event.data;
      return onLine(state, lineId, (line) =>
        withView({ ...line, released: line.released + quantity, releasing: line.releasing + quantity }),
      );
    }
    case 'OrderLineSubstituted': {
      const { lineId, newLineId, substituteSku, quantity, waiting } = event.data;
      // Only the waiting units are inventory's to release; the unavailable ones it never held.
      const next = onLine(state, lineId, (line) =>
        withView({
          ...line,
          released: line.released + quantity,
          releasing: line.releasing + waiting,
          substituted: line.substituted + quantity,
        }),
      );
      return { ...next, lines: [...next.lines, newLine(newLineId, substituteSku, quantity)] };
    }
    default: {
      const unexpected: never = event;
      return unexpected;
    }
  }
}

function onLines(order: PlacedOrder, change: (line: OrderLine) => OrderLine): PlacedOrder {
  return { ...order, lines: order.lines.map(change) };
}

function onLine(order: PlacedOrder, lineId: string, change: (line: OrderLine) => OrderLine): PlacedOrder {
  return onLines(order, (line) => (line.lineId === lineId ? change(line) : line));
}

function onInventory(
  order: PlacedOrder,
  lineId: string,
  eventId: string,
  change: (inventory: InventoryLine) => InventoryLine,
): PlacedOrder {
  return onLine(order, lineId, (line) => {
    const next = { ...remembering(line, eventId), inventory: change(line.inventory) };
    // Units inventory can no longer release (answered unavailable while given up) are not waited for any more.
    return withView({ ...next, releasing: Math.min(next.releasing, openAtInventory(next)) });
  });
}

const remembering = (line: OrderLine, eventId: string | null): OrderLine =>
  eventId === null ? line : { ...line, handledEventIds: [...line.handledEventIds, eventId] };

/**
 * Inventory's release, taken from the bucket it names: its queue, or its held units (allocated first, as the order
 * gives them up). An order cancelled in a stream written before issue 12 has units absorbed without knowing whether
 * inventory held or queued them (`lenient`): there the release may also come out of the other buckets and of units
 * not answered yet, since every unit of such an order is given up and the split no longer shows. `decide` has
 * checked that the quantity fits.
 */
function releasedByInventory(
  line: OrderLine,
  from: InventoryBucket,
  quantity: number,
  reason: string,
  lenient: boolean,
): OrderLine {
  let rest = quantity;
  const take = (units: number): number => {
    const taken = Math.min(rest, units);
    rest -= taken;
    return units - taken;
  };
  const i = line.inventory;
  let { backordered, allocated, reserved } = i;
  if (from === 'backordered') {
    backordered = take(backordered);
    if (lenient) {
      allocated = take(allocated);
      reserved = take(reserved);
    }
  } else {
    allocated = take(allocated);
    reserved = take(reserved);
    if (lenient) backordered = take(backordered);
  }
  // Whatever is left (lenient only) came out of the units counted as unanswered, which `released` accounts for.
  const inventory: InventoryLine = {
    ...i,
    backordered,
    allocated,
    reserved,
    released: i.released + quantity,
    expectedAt: backordered === 0 ? null : i.expectedAt,
  };
  const next: OrderLine = { ...line, inventory };
  if (reason !== EXPIRED_REASON) {
    return withView({ ...next, releasing: line.releasing - quantity });
  }
  // An expiry is inventory's own release: its units count as released now, except those the order had already given
  // up (and counted), which inventory can no longer release for the order.
  const releasing = Math.min(line.releasing, openAtInventory(next));
  const alreadyCounted = line.releasing - releasing;
  return withView({ ...next, releasing, released: line.released + quantity - alreadyCounted });
}

/** Shipped units leave reserved first, then allocated, in inventory's buckets as in the view. */
function shipped(line: OrderLine, quantity: number): OrderLine {
  const fromReserved = Math.min(quantity, line.reserved);
  const fromAllocated = quantity - fromReserved;
  return withView({
    ...line,
    shipped: line.shipped + quantity,
    announced: line.announced - Math.min(line.announced, quantity),
    inventory: {
      ...line.inventory,
      reserved: line.inventory.reserved - fromReserved,
      allocated: line.inventory.allocated - fromAllocated,
    },
  });
}

export type { OrderLineView };

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
    lines: state.lines.map(orderLineView),
  };
}

/** The shipment recorded under `shipmentId`, so a repeated `POST /orders/:id/shipments` can answer what shipped. */
export function shipmentOf(state: OrderState, shipmentId: string): Shipment | null {
  if (!isPlaced(state)) return null;
  return state.shipments.find((shipment) => shipment.shipmentId === shipmentId) ?? null;
}

export const orderStreamName = (orderId: string): string => `order-${orderId}`;
