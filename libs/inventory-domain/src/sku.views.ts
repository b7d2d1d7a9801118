import type { IsoInstant } from '@fulfillment/time';
import { purchaseOrdersByDate } from './promised-dates.js';
import {
  isHeldForRelease,
  isHoldingPreorders,
  servableSince,
  type LineReservation,
  type QueuedLine,
  type SkuConfiguration,
  type SkuState,
} from './sku.js';
import { toValueArray, valuesIn } from './sorted-map.js';

/** Units held for order lines, reserved on arrival or allocated from the queue. */
export const reserved = (state: SkuState): number => state.reservedUnits;

/** Free stock: on hand and held for no line. */
export const available = (state: SkuState): number => Math.max(0, state.onHand - state.reservedUnits);

/** Units that queued lines still wait for. */
export const backordered = (state: SkuState): number => state.backorderedUnits;

/** Units still expected on open purchase orders. */
export const incoming = (state: SkuState): number => {
  let total = 0;
  for (const po of state.purchaseOrders) total += po.openQuantity;
  return total;
};

/**
 * The stock position rule 6 compares with the reorder point. Requested units count as supply until a purchase order
 * answers them (so one shortfall is requested once), and so do units the supplier could not plan, until a new lead
 * time is configured: requesting them again without one would only be refused again.
 */
export const stockPosition = (state: SkuState): number =>
  available(state) + incoming(state) + state.pendingReplenishment + state.unplannedReplenishment - backordered(state);

/** The waiting lines in FIFO order (O(n): for views and tests, not for decisions). */
export const queuedLines = (state: SkuState): QueuedLine[] => toValueArray(state.queue);

/** The lines holding units, in line-key order (O(n): for views and tests, not for decisions). */
export const heldLines = (state: SkuState): LineReservation[] => toValueArray(state.reservations);

export interface SkuView {
  readonly known: boolean;
  readonly onHand: number;
  readonly reserved: number;
  readonly available: number;
  readonly backordered: number;
  readonly queue: readonly {
    readonly orderId: string;
    readonly lineId: string;
    readonly customerId: string;
    readonly quantity: number;
    readonly queuedAt: IsoInstant;
    readonly expectedAt: IsoInstant | null;
    readonly preorder: boolean;
  }[];
  /** Open purchase orders in the order their units are promised. */
  readonly incoming: readonly {
    readonly purchaseOrderId: string;
    readonly quantity: number;
    readonly expectedAt: IsoInstant;
  }[];
  /** The release the SKU's preorders wait for; null once released (or for a SKU that takes no preorders). */
  readonly preordersUntil: IsoInstant | null;
  /** Units requested from the supplier and not yet answered by a purchase order. */
  readonly pendingReplenishment: number;
  /** Units requested that the supplier reported it could not plan (no lead time). */
  readonly unplannedReplenishment: number;
  readonly configuration: SkuConfiguration;
}

/** `GET /skus/:sku` without the sku, which the shell knows from the stream. */
export const skuView = (state: SkuState): SkuView => ({
  known: state.known,
  onHand: state.onHand,
  reserved: reserved(state),
  available: available(state),
  backordered: backordered(state),
  queue: queuedLines(state).map(({ orderId, lineId, customerId, quantity, queuedAt, expectedAt, preorder }) => ({
    orderId,
    lineId,
    customerId,
    quantity,
    queuedAt,
    expectedAt,
    preorder,
  })),
  incoming: purchaseOrdersByDate(state.purchaseOrders).map(({ purchaseOrderId, openQuantity, expectedAt }) => ({
    purchaseOrderId,
    quantity: openQuantity,
    expectedAt,
  })),
  preordersUntil: isHoldingPreorders(state) ? state.configuration.releaseAt : null,
  pendingReplenishment: state.pendingReplenishment,
  unplannedReplenishment: state.unplannedReplenishment,
  configuration: state.configuration,
});

const DAY_MS = 86_400_000;

/**
 * The earliest instant at which `SweepBackorders` has something to do: the release of held preorders, or the first
 * moment a servable queued line is overdue (decision 8 of sku.decide.ts: waited more than `autoCancelAfterDays`).
 * A sweep strictly before it emits nothing; a sweep at it emits something. Null when no sweep can change anything
 * (no hold, no expiry policy or nothing waiting), so the shell sweeps only the SKUs that need it. Every waiting line
 * is looked at, not only the head: lines are queued in commit order, and two instances' clocks can put a later line
 * slightly before an earlier one. O(queue), and only for SKUs with an expiry policy.
 */
export const nextSweepAt = (state: SkuState): IsoInstant | null => {
  let next = Number.POSITIVE_INFINITY;
  const { releaseAt, autoCancelAfterDays } = state.configuration;
  if (isHoldingPreorders(state) && releaseAt !== null) next = Date.parse(releaseAt);
  if (autoCancelAfterDays !== null) {
    for (const line of valuesIn(state.queue)) {
      // Lines held for the release are the tail of the queue and never overdue.
      if (isHeldForRelease(state, line)) break;
      const since = servableSince(state, line);
      if (since !== null) next = Math.min(next, Date.parse(since) + autoCancelAfterDays * DAY_MS + 1);
    }
  }
  return Number.isFinite(next) ? new Date(next).toISOString() : null;
};
