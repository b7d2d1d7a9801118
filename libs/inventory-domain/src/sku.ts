import type { IsoInstant } from '@fulfillment/time';

type DomainEvent<Type extends string, Data> = Readonly<{ type: Type; data: Readonly<Data> }>;

/** Identifies an order line and whom to tell about it; every line event carries it so projections need no lookup. */
export interface LineRef {
  readonly orderId: string;
  readonly lineId: string;
  readonly customerId: string;
}

export interface SkuConfiguration {
  readonly backorderable: boolean;
  /** Days the supplier needs for a replenishment; null when no replenishment can be relied on. */
  readonly leadTimeDays: number | null;
  readonly reorderPoint: number;
  readonly safetyStock: number;
  readonly substitutes: readonly string[];
}

export const defaultConfiguration: SkuConfiguration = {
  backorderable: true,
  leadTimeDays: null,
  reorderPoint: 0,
  safetyStock: 0,
  substitutes: [],
};

/** Why a quantity could be neither reserved nor backordered. */
export type UnavailableReason = 'unknown-sku' | 'not-backorderable' | 'no-restock-expected';

/** `backorder`: waiting lines exceed what is on order; `reorder-point`: the stock position fell below the point. */
export type ReplenishmentReason = 'backorder' | 'reorder-point';

export type SkuConfigured = DomainEvent<'SkuConfigured', SkuConfiguration & { at: IsoInstant }>;
export type StockReserved = DomainEvent<'StockReserved', LineRef & { quantity: number; at: IsoInstant }>;
export type BackorderQueued = DomainEvent<
  'BackorderQueued',
  LineRef & { quantity: number; position: number; expectedAt: IsoInstant | null; at: IsoInstant }
>;
/** `remaining` is what the line still waits for after this allocation. */
export type BackorderAllocated = DomainEvent<
  'BackorderAllocated',
  LineRef & { quantity: number; remaining: number; at: IsoInstant }
>;
export type BackorderEtaChanged = DomainEvent<
  'BackorderEtaChanged',
  LineRef & { previousExpectedAt: IsoInstant | null; expectedAt: IsoInstant | null; at: IsoInstant }
>;
/** The whole waiting quantity of a cancelled line leaves the queue. */
export type BackorderReleased = DomainEvent<
  'BackorderReleased',
  LineRef & { quantity: number; reason: string; at: IsoInstant }
>;
/** The units held for a cancelled line (reserved or allocated) return to free stock. */
export type ReservationReleased = DomainEvent<
  'ReservationReleased',
  LineRef & { quantity: number; reason: string; at: IsoInstant }
>;
export type StockUnavailable = DomainEvent<
  'StockUnavailable',
  LineRef & { quantity: number; reason: UnavailableReason; substitutes: readonly string[]; at: IsoInstant }
>;
export type ReplenishmentRequested = DomainEvent<
  'ReplenishmentRequested',
  { quantity: number; reason: ReplenishmentReason; leadTimeDays: number | null; at: IsoInstant }
>;
export type BackInStock = DomainEvent<'BackInStock', { available: number; at: IsoInstant }>;
export type StockAdjusted = DomainEvent<'StockAdjusted', { delta: number; reason: string; at: IsoInstant }>;
export type PurchaseOrderRegistered = DomainEvent<
  'PurchaseOrderRegistered',
  { purchaseOrderId: string; quantity: number; expectedAt: IsoInstant; at: IsoInstant }
>;
export type PurchaseOrderEtaChanged = DomainEvent<
  'PurchaseOrderEtaChanged',
  { purchaseOrderId: string; previousExpectedAt: IsoInstant; expectedAt: IsoInstant; at: IsoInstant }
>;
/**
 * `remainingOnOrder` is what stays open on that purchase order after the receipt (0 closes it); null when the receipt
 * matched no open purchase order and only adds stock.
 */
export type RestockReceived = DomainEvent<
  'RestockReceived',
  { purchaseOrderId: string | null; quantity: number; remainingOnOrder: number | null; at: IsoInstant }
>;

export type SkuEvent =
  | SkuConfigured
  | StockReserved
  | BackorderQueued
  | BackorderAllocated
  | BackorderEtaChanged
  | BackorderReleased
  | ReservationReleased
  | StockUnavailable
  | ReplenishmentRequested
  | BackInStock
  | StockAdjusted
  | PurchaseOrderRegistered
  | PurchaseOrderEtaChanged
  | RestockReceived;

export type SkuEventType = SkuEvent['type'];

/** Units held for a line: reserved on arrival plus allocated from the queue later. */
export interface LineReservation extends LineRef {
  readonly quantity: number;
}

/** A line waiting in the FIFO queue; `quantity` is what it still waits for. */
export interface QueuedLine extends LineRef {
  readonly quantity: number;
  readonly queuedAt: IsoInstant;
  readonly expectedAt: IsoInstant | null;
}

export interface OpenPurchaseOrder {
  readonly purchaseOrderId: string;
  /** Units still expected on this purchase order. */
  readonly openQuantity: number;
  readonly expectedAt: IsoInstant;
}

export interface SkuState {
  /** Configured, stocked or on order at least once; an unknown SKU answers every line with "unavailable". */
  readonly known: boolean;
  readonly configuration: SkuConfiguration;
  readonly onHand: number;
  readonly reservations: readonly LineReservation[];
  /** FIFO: index 0 is served first. */
  readonly queue: readonly QueuedLine[];
  /** In registration order, which breaks ties between purchase orders expected at the same instant. */
  readonly purchaseOrders: readonly OpenPurchaseOrder[];
  /** Someone was told "out of stock" since free stock was last available: the next free stock is announced. */
  readonly toldOutOfStock: boolean;
  /** Units requested from the supplier that no registered purchase order answers yet. */
  readonly pendingReplenishment: number;
  /**
   * When the latest event took effect. A SKU's decisions are taken one after the other (its stream is locked), so
   * none is dated before it, even when its command was timed earlier by another instance waiting for the lock: the
   * events' times then follow their order, which consumers rely on. Absent from snapshots older than the field.
   */
  readonly lastEventAt: IsoInstant | null;
}

export const initialState = (): SkuState => ({
  known: false,
  configuration: defaultConfiguration,
  onHand: 0,
  reservations: [],
  queue: [],
  purchaseOrders: [],
  toldOutOfStock: false,
  pendingReplenishment: 0,
  lastEventAt: null,
});

/** The later of two instants; a missing one (an old snapshot's) is no bound. */
export const laterOf = (a: IsoInstant | null | undefined, b: IsoInstant | null | undefined): IsoInstant | null => {
  if (a == null) return b ?? null;
  if (b == null) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
};

export const isSameLine = (a: Pick<LineRef, 'orderId' | 'lineId'>, b: Pick<LineRef, 'orderId' | 'lineId'>): boolean =>
  a.orderId === b.orderId && a.lineId === b.lineId;

const heldFor = (state: SkuState, line: LineRef): number =>
  state.reservations.find((held) => isSameLine(held, line))?.quantity ?? 0;

const withHeld = (state: SkuState, line: LineRef, quantity: number): readonly LineReservation[] => {
  const others = state.reservations.filter((held) => !isSameLine(held, line));
  if (quantity <= 0) return others;
  const { orderId, lineId, customerId } = line;
  const existing = state.reservations.findIndex((held) => isSameLine(held, line));
  const updated = { orderId, lineId, customerId, quantity };
  if (existing < 0) return [...others, updated];
  return state.reservations.map((held, index) => (index === existing ? updated : held));
};

export const evolve = (state: SkuState, event: SkuEvent): SkuState => {
  const next = evolveEvent(state, event);
  const lastEventAt = laterOf(state.lastEventAt, (event.data as { at?: IsoInstant }).at);
  return next === state && lastEventAt === state.lastEventAt ? state : { ...next, lastEventAt };
};

const evolveEvent = (state: SkuState, event: SkuEvent): SkuState => {
  switch (event.type) {
    case 'SkuConfigured': {
      const { backorderable, leadTimeDays, reorderPoint, safetyStock, substitutes } = event.data;
      return {
        ...state,
        known: true,
        configuration: { backorderable, leadTimeDays, reorderPoint, safetyStock, substitutes },
      };
    }
    case 'StockReserved':
      return { ...state, reservations: withHeld(state, event.data, heldFor(state, event.data) + event.data.quantity) };
    case 'BackorderQueued': {
      const { orderId, lineId, customerId, quantity, expectedAt, at } = event.data;
      return { ...state, queue: [...state.queue, { orderId, lineId, customerId, quantity, queuedAt: at, expectedAt }] };
    }
    case 'BackorderAllocated': {
      const { remaining } = event.data;
      return {
        ...state,
        reservations: withHeld(state, event.data, heldFor(state, event.data) + event.data.quantity),
        queue:
          remaining > 0
            ? state.queue.map((line) => (isSameLine(line, event.data) ? { ...line, quantity: remaining } : line))
            : state.queue.filter((line) => !isSameLine(line, event.data)),
      };
    }
    case 'BackorderEtaChanged':
      return {
        ...state,
        queue: state.queue.map((line) =>
          isSameLine(line, event.data) ? { ...line, expectedAt: event.data.expectedAt } : line,
        ),
      };
    case 'BackorderReleased':
      return { ...state, queue: state.queue.filter((line) => !isSameLine(line, event.data)) };
    case 'ReservationReleased':
      return { ...state, reservations: withHeld(state, event.data, heldFor(state, event.data) - event.data.quantity) };
    case 'StockUnavailable':
      return { ...state, toldOutOfStock: true };
    case 'ReplenishmentRequested':
      return { ...state, pendingReplenishment: state.pendingReplenishment + event.data.quantity };
    case 'BackInStock':
      return { ...state, toldOutOfStock: false };
    case 'StockAdjusted':
      return { ...state, known: true, onHand: state.onHand + event.data.delta };
    case 'PurchaseOrderRegistered': {
      const { purchaseOrderId, quantity, expectedAt } = event.data;
      return {
        ...state,
        known: true,
        purchaseOrders: [...state.purchaseOrders, { purchaseOrderId, openQuantity: quantity, expectedAt }],
        pendingReplenishment: Math.max(0, state.pendingReplenishment - quantity),
      };
    }
    case 'PurchaseOrderEtaChanged':
      return {
        ...state,
        purchaseOrders: state.purchaseOrders.map((po) =>
          po.purchaseOrderId === event.data.purchaseOrderId ? { ...po, expectedAt: event.data.expectedAt } : po,
        ),
      };
    case 'RestockReceived': {
      const { purchaseOrderId, quantity, remainingOnOrder } = event.data;
      const purchaseOrders =
        remainingOnOrder === null
          ? state.purchaseOrders
          : state.purchaseOrders
              .map((po) => (po.purchaseOrderId === purchaseOrderId ? { ...po, openQuantity: remainingOnOrder } : po))
              .filter((po) => po.openQuantity > 0);
      return { ...state, known: true, onHand: state.onHand + quantity, purchaseOrders };
    }
    default:
      return ignoreUnknownEvent(event, state);
  }
};

// Type-checked exhaustiveness; at run time an event type newer than this code leaves the state untouched instead of
// turning it into undefined.
const ignoreUnknownEvent = (_event: never, state: SkuState): SkuState => state;
