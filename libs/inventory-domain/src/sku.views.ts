import type { IsoInstant } from '@fulfillment/time';
import { purchaseOrdersByDate } from './promised-dates.js';
import { isHoldingPreorders, type LineReservation, type QueuedLine, type SkuConfiguration, type SkuState } from './sku.js';
import { toValueArray } from './sorted-map.js';

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
