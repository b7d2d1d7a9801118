import type { DomainEvent } from '@fulfillment/kernel';
import { laterOf, type IsoInstant } from '@fulfillment/time';
import { emptySortedMap, firstIn, getIn, removeIn, setIn, type SortedMap } from './sorted-map.js';

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
  /** Units that may wait for a restock at once (beyond stock on hand); null: no cap. */
  readonly maxBackorder: number | null;
  /** A line is queued only if its promised date is at most this many days away; null: any known date. */
  readonly maxWaitDays: number | null;
  /** A line still waiting this many days after it could first be served is released (`expired`); null: never. */
  readonly autoCancelAfterDays: number | null;
  /** Preorder SKU: until the sweep that releases it, every unit ordered is queued and stock on hand waits too. */
  readonly releaseAt: IsoInstant | null;
}

export const defaultConfiguration: SkuConfiguration = {
  backorderable: true,
  leadTimeDays: null,
  reorderPoint: 0,
  safetyStock: 0,
  substitutes: [],
  maxBackorder: null,
  maxWaitDays: null,
  autoCancelAfterDays: null,
  releaseAt: null,
};

/**
 * Why a quantity could be neither reserved nor backordered: `backorder-cap` (the queue is at `maxBackorder`) and
 * `wait-too-long` (the promised date would be beyond `maxWaitDays`) come from the SKU's policies.
 */
export type UnavailableReason =
  | 'unknown-sku'
  | 'not-backorderable'
  | 'no-restock-expected'
  | 'backorder-cap'
  | 'wait-too-long';

/** `backorder`: waiting lines exceed what is on order; `reorder-point`: the stock position fell below the point. */
export type ReplenishmentReason = 'backorder' | 'reorder-point';

/**
 * Events stored by the code before the policies lack `maxBackorder`, `maxWaitDays`, `autoCancelAfterDays` and
 * `releaseAt`; `evolve` reads them as null.
 */
export type SkuConfigured = DomainEvent<'SkuConfigured', SkuConfiguration & { at: IsoInstant }>;
export type StockReserved = DomainEvent<'StockReserved', LineRef & { quantity: number; at: IsoInstant }>;
/**
 * `preorder`: queued while the SKU holds its preorders for `releaseAt`. `substitutes`: the SKU's configured
 * substitutes, so that a waiting line can be moved to one. Events stored before them lack both (read as false, []).
 */
export type BackorderQueued = DomainEvent<
  'BackorderQueued',
  LineRef & {
    quantity: number;
    position: number;
    expectedAt: IsoInstant | null;
    preorder: boolean;
    substitutes: readonly string[];
    at: IsoInstant;
  }
>;
/** `remaining` is what the line still waits for after this allocation: 0 when this allocation fills it. */
export type BackorderAllocated = DomainEvent<
  'BackorderAllocated',
  LineRef & { quantity: number; remaining: number; at: IsoInstant }
>;
export type BackorderEtaChanged = DomainEvent<
  'BackorderEtaChanged',
  LineRef & { previousExpectedAt: IsoInstant | null; expectedAt: IsoInstant | null; at: IsoInstant }
>;
/**
 * Waiting units leave the queue: all of them (a cancelled line, `expired`) or part of them (a partial cancel). The
 * reason is the caller's (`order-cancelled`, `line-cancelled`, `substituted`) or the sweep's `expired`.
 */
export type BackorderReleased = DomainEvent<
  'BackorderReleased',
  LineRef & { quantity: number; reason: string; at: IsoInstant }
>;
/** Units held for a line (reserved or allocated) return to free stock. */
export type ReservationReleased = DomainEvent<
  'ReservationReleased',
  LineRef & { quantity: number; reason: string; at: IsoInstant }
>;
/** Held units leave the warehouse: on hand and reserved both fall by `quantity`. */
export type StockShipped = DomainEvent<'StockShipped', LineRef & { quantity: number; at: IsoInstant }>;
export type StockUnavailable = DomainEvent<
  'StockUnavailable',
  LineRef & { quantity: number; reason: UnavailableReason; substitutes: readonly string[]; at: IsoInstant }
>;
export type ReplenishmentRequested = DomainEvent<
  'ReplenishmentRequested',
  { quantity: number; reason: ReplenishmentReason; leadTimeDays: number | null; at: IsoInstant }
>;
/** The supplier could not turn `quantity` requested units into a purchase order; they stop counting as pending. */
export type ReplenishmentUnplanned = DomainEvent<'ReplenishmentUnplanned', { quantity: number; at: IsoInstant }>;
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
/** The sweep at `at` (at or after `releaseAt`) ended the preorder period: from now on the SKU serves its queue. */
export type SkuReleased = DomainEvent<'SkuReleased', { releaseAt: IsoInstant; at: IsoInstant }>;

export type SkuEvent =
  | SkuConfigured
  | StockReserved
  | BackorderQueued
  | BackorderAllocated
  | BackorderEtaChanged
  | BackorderReleased
  | ReservationReleased
  | StockShipped
  | StockUnavailable
  | ReplenishmentRequested
  | ReplenishmentUnplanned
  | BackInStock
  | StockAdjusted
  | PurchaseOrderRegistered
  | PurchaseOrderEtaChanged
  | RestockReceived
  | SkuReleased;

export type SkuEventType = SkuEvent['type'];

/** Units held for a line: reserved on arrival plus allocated from the queue later, less what shipped or was released. */
export interface LineReservation extends LineRef {
  readonly quantity: number;
}

/** A line waiting in the FIFO queue; `quantity` is what it still waits for. */
export interface QueuedLine extends LineRef {
  readonly quantity: number;
  readonly queuedAt: IsoInstant;
  readonly expectedAt: IsoInstant | null;
  readonly preorder: boolean;
  /** Its place in the FIFO order: lines are served in increasing sequence. */
  readonly sequence: number;
}

export interface OpenPurchaseOrder {
  readonly purchaseOrderId: string;
  /** Units still expected on this purchase order. */
  readonly openQuantity: number;
  readonly expectedAt: IsoInstant;
}

/** A preorder hold that ended at `at` (a release, or `releaseAt` cleared): lines `from` <= sequence < `to` were under it. */
export interface EndedHold {
  readonly from: number;
  readonly to: number;
  readonly at: IsoInstant;
}

/**
 * Only open lines are kept: a line leaves once nothing is held or waiting for it (shipped, released, expired), so
 * the state and its snapshot are as large as what is open, not as the SKU's history. The line collections are
 * persistent sorted maps (sorted-map.ts): folding one event copies O(log n) nodes, not the whole list. The whole
 * state is plain JSON; `JSON.parse(JSON.stringify(state))` is an equal, working state.
 */
export interface SkuState {
  /** Configured, stocked or on order at least once; an unknown SKU answers every line with "unavailable". */
  readonly known: boolean;
  readonly configuration: SkuConfiguration;
  readonly onHand: number;
  /** By line key (`lineKey`). */
  readonly reservations: SortedMap<string, LineReservation>;
  /** The sum of `reservations`, kept so that free stock costs nothing to know. */
  readonly reservedUnits: number;
  /** By sequence number: the first entry is served first. */
  readonly queue: SortedMap<number, QueuedLine>;
  /** Line key to its sequence number in `queue`. */
  readonly queueIndex: SortedMap<string, number>;
  /** The sum of the queue's quantities. */
  readonly backorderedUnits: number;
  /** The sequence number the next queued line gets. */
  readonly nextSequence: number;
  /**
   * While the SKU holds its preorders for `configuration.releaseAt`: the sequence number of the first line queued
   * under this hold (lines before it were queued earlier and are served as usual). Null when nothing is held.
   */
  readonly preorderFrom: number | null;
  /**
   * Holds that ended while some of their lines still wait: a preorder line's expiry clock starts when its hold ended.
   * A hold is forgotten once its last line has left the queue.
   */
  readonly endedHolds: readonly EndedHold[];
  /** In registration order, which breaks ties between purchase orders expected at the same instant. */
  readonly purchaseOrders: readonly OpenPurchaseOrder[];
  /** Someone was told "out of stock" since free stock was last available: the next free stock is announced. */
  readonly toldOutOfStock: boolean;
  /** Units requested from the supplier that no registered purchase order answers yet. */
  readonly pendingReplenishment: number;
  /**
   * Requested units the supplier reported it could not plan. They still count in the stock position (so the same
   * shortfall is not requested again and again without a lead time) until a new lead time is configured.
   */
  readonly unplannedReplenishment: number;
  /**
   * When the latest event took effect. A SKU's decisions are taken one after the other (its stream is locked), so
   * each is dated after it (by a millisecond when the clock has not moved on), even when its command was timed earlier
   * by another instance waiting for the lock: the events' times then follow their order strictly, which consumers rely
   * on (a BackInStock older than the out-of-stock it answers, or as old, would be taken for old news or for news).
   */
  readonly lastEventAt: IsoInstant | null;
}

export const initialState = (): SkuState => ({
  known: false,
  configuration: defaultConfiguration,
  onHand: 0,
  reservations: emptySortedMap(),
  reservedUnits: 0,
  queue: emptySortedMap(),
  queueIndex: emptySortedMap(),
  backorderedUnits: 0,
  nextSequence: 0,
  preorderFrom: null,
  endedHolds: [],
  purchaseOrders: [],
  toldOutOfStock: false,
  pendingReplenishment: 0,
  unplannedReplenishment: 0,
  lastEventAt: null,
});

type LineKeyOf = Pick<LineRef, 'orderId' | 'lineId'>;

// The length prefix makes the key unambiguous whatever characters the ids contain.
export const lineKey = ({ orderId, lineId }: LineKeyOf): string => `${orderId.length}:${orderId}${lineId}`;


export const reservationOf = (state: SkuState, line: LineKeyOf): LineReservation | undefined =>
  getIn(state.reservations, lineKey(line));

export const queuedLineOf = (state: SkuState, line: LineKeyOf): QueuedLine | undefined => {
  const sequence = getIn(state.queueIndex, lineKey(line));
  return sequence === undefined ? undefined : getIn(state.queue, sequence);
};

export const isHoldingPreorders = (state: SkuState): boolean => state.preorderFrom !== null;

/** A line that waits for the release whatever stock there is: queued under the SKU's current preorder hold. */
export const isHeldForRelease = (state: SkuState, line: Pick<QueuedLine, 'sequence'>): boolean =>
  state.preorderFrom !== null && line.sequence >= state.preorderFrom;

/**
 * When the line could first be served: its queuing for a backorder, the end of its hold for a preorder; null while it
 * is held for a release.
 */
export const servableSince = (state: SkuState, line: QueuedLine): IsoInstant | null => {
  if (isHeldForRelease(state, line)) return null;
  if (!line.preorder) return line.queuedAt;
  const hold = state.endedHolds.find(({ from, to }) => from <= line.sequence && line.sequence < to);
  return hold === undefined ? line.queuedAt : laterOf(line.queuedAt, hold.at);
};

/** The state with its hold ended at `at`; holds none of whose lines still wait are forgotten. */
const endingHold = (state: SkuState, at: IsoInstant): SkuState => {
  if (state.preorderFrom === null) return state;
  const oldest = firstIn(state.queue)?.sequence ?? state.nextSequence;
  const ended = { from: state.preorderFrom, to: state.nextSequence, at };
  return {
    ...state,
    preorderFrom: null,
    endedHolds: [...state.endedHolds, ended].filter(({ from, to }) => from < to && to > oldest),
  };
};

const configurationOf = (data: SkuConfigured['data']): SkuConfiguration => ({
  backorderable: data.backorderable,
  leadTimeDays: data.leadTimeDays,
  reorderPoint: data.reorderPoint,
  safetyStock: data.safetyStock,
  substitutes: data.substitutes,
  maxBackorder: data.maxBackorder ?? null,
  maxWaitDays: data.maxWaitDays ?? null,
  autoCancelAfterDays: data.autoCancelAfterDays ?? null,
  releaseAt: data.releaseAt ?? null,
});

/** Adds `delta` units to what is held for the line; the line leaves `reservations` when nothing is held any more. */
const holding = (state: SkuState, line: LineRef, delta: number): SkuState => {
  const key = lineKey(line);
  const current = getIn(state.reservations, key);
  const before = current?.quantity ?? 0;
  const quantity = Math.max(0, before + delta);
  const { orderId, lineId, customerId } = current ?? line;
  return {
    ...state,
    reservations:
      quantity > 0
        ? setIn(state.reservations, key, { orderId, lineId, customerId, quantity })
        : removeIn(state.reservations, key),
    reservedUnits: state.reservedUnits - before + quantity,
  };
};

/** Replaces the queued line (same place); it leaves the queue when nothing waits for it any more. */
const waiting = (state: SkuState, line: LineKeyOf, update: (queued: QueuedLine) => QueuedLine): SkuState => {
  const key = lineKey(line);
  const sequence = getIn(state.queueIndex, key);
  if (sequence === undefined) return state;
  const current = getIn(state.queue, sequence)!;
  const next = update(current);
  if (next.quantity <= 0) {
    return {
      ...state,
      queue: removeIn(state.queue, sequence),
      queueIndex: removeIn(state.queueIndex, key),
      backorderedUnits: state.backorderedUnits - current.quantity,
    };
  }
  return {
    ...state,
    queue: setIn(state.queue, sequence, next),
    backorderedUnits: state.backorderedUnits - current.quantity + next.quantity,
  };
};

const queued = (state: SkuState, data: BackorderQueued['data']): SkuState => {
  const { orderId, lineId, customerId, quantity, expectedAt, at } = data;
  const preorder = data.preorder ?? false;
  if (getIn(state.queueIndex, lineKey(data)) !== undefined) {
    // Unreachable from decide (`duplicate-line`); kept consistent rather than corrupting the index.
    return waiting(state, data, (line) => ({ ...line, quantity: line.quantity + quantity }));
  }
  const sequence = state.nextSequence;
  const line: QueuedLine = { orderId, lineId, customerId, quantity, queuedAt: at, expectedAt, preorder, sequence };
  return {
    ...state,
    queue: setIn(state.queue, sequence, line),
    queueIndex: setIn(state.queueIndex, lineKey(data), sequence),
    backorderedUnits: state.backorderedUnits + quantity,
    nextSequence: sequence + 1,
  };
};

const configured = (state: SkuState, data: SkuConfigured['data']): SkuState => {
  const configuration = configurationOf(data);
  const { releaseAt, leadTimeDays } = configuration;
  // A new release date arms a hold for the lines ordered from now on; a date moved before the release keeps the
  // hold (and the lines under it); clearing it ends the hold now; the same date again changes nothing.
  let next = state;
  if (releaseAt === null) next = endingHold(state, data.at);
  else if (releaseAt !== state.configuration.releaseAt && state.preorderFrom === null)
    next = { ...state, preorderFrom: state.nextSequence };
  // A new lead time may let the supplier plan what it could not: those units may be requested again.
  const newLeadTime = leadTimeDays !== null && leadTimeDays !== state.configuration.leadTimeDays;
  return {
    ...next,
    known: true,
    configuration,
    unplannedReplenishment: newLeadTime ? 0 : state.unplannedReplenishment,
  };
};

export const evolve = (state: SkuState, event: SkuEvent): SkuState => {
  const next = evolveEvent(state, event);
  const at = (event.data as { at?: IsoInstant }).at;
  const lastEventAt = at === undefined ? state.lastEventAt : state.lastEventAt === null ? at : laterOf(state.lastEventAt, at);
  return next === state && lastEventAt === state.lastEventAt ? state : { ...next, lastEventAt };
};

const evolveEvent = (state: SkuState, event: SkuEvent): SkuState => {
  switch (event.type) {
    case 'SkuConfigured':
      return configured(state, event.data);
    case 'StockReserved':
      return holding(state, event.data, event.data.quantity);
    case 'BackorderQueued':
      return queued(state, event.data);
    case 'BackorderAllocated': {
      const { quantity } = event.data;
      const held = holding(state, event.data, quantity);
      return waiting(held, event.data, (line) => ({ ...line, quantity: line.quantity - quantity }));
    }
    case 'BackorderEtaChanged':
      return waiting(state, event.data, (line) => ({ ...line, expectedAt: event.data.expectedAt }));
    case 'BackorderReleased':
      return waiting(state, event.data, (line) => ({ ...line, quantity: line.quantity - event.data.quantity }));
    case 'ReservationReleased':
      return holding(state, event.data, -event.data.quantity);
    case 'StockShipped': {
      const shipped = holding(state, event.data, -event.data.quantity);
      return { ...shipped, onHand: shipped.onHand - event.data.quantity };
    }
    case 'StockUnavailable':
      return { ...state, toldOutOfStock: true };
    case 'ReplenishmentRequested':
      return { ...state, pendingReplenishment: state.pendingReplenishment + event.data.quantity };
    case 'ReplenishmentUnplanned': {
      const taken = Math.min(event.data.quantity, state.pendingReplenishment);
      return {
        ...state,
        pendingReplenishment: state.pendingReplenishment - taken,
        unplannedReplenishment: state.unplannedReplenishment + taken,
      };
    }
    case 'BackInStock':
      return { ...state, toldOutOfStock: false };
    case 'StockAdjusted':
      return { ...state, known: true, onHand: state.onHand + event.data.delta };
    case 'PurchaseOrderRegistered': {
      const { purchaseOrderId, quantity, expectedAt } = event.data;
      // A purchase order answers pending requests first, then requests the supplier had reported it could not plan.
      const answersPending = Math.min(quantity, state.pendingReplenishment);
      return {
        ...state,
        known: true,
        purchaseOrders: [...state.purchaseOrders, { purchaseOrderId, openQuantity: quantity, expectedAt }],
        pendingReplenishment: state.pendingReplenishment - answersPending,
        unplannedReplenishment: Math.max(0, state.unplannedReplenishment - (quantity - answersPending)),
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
    case 'SkuReleased':
      return endingHold(state, event.data.at);
    default:
      return ignoreUnknownEvent(event, state);
  }
};

// Type-checked exhaustiveness; at run time an event type newer than this code leaves the state untouched instead of
// turning it into undefined.
const ignoreUnknownEvent = (_event: never, state: SkuState): SkuState => state;
