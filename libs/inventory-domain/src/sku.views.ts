import type { IsoInstant } from '@fulfillment/time';
import { purchaseOrdersByDate } from './promised-dates.js';
import type { SkuConfiguration, SkuState } from './sku.js';

// A plain loop: the decider sums the queue several times per command, and a hot SKU's queue holds thousands of lines.
const sumOf = <T>(items: readonly T[], quantityOf: (item: T) => number): number => {
  let total = 0;
  for (const item of items) total += quantityOf(item);
  return total;
};

/** Units held for order lines, reserved on arrival or allocated from the queue. */
export const reserved = (state: SkuState): number => sumOf(state.reservations, (held) => held.quantity);

/** Free stock: on hand and held for no line. */
export const available = (state: SkuState): number => Math.max(0, state.onHand - reserved(state));

/** Units that queued lines still wait for. */
export const backordered = (state: SkuState): number => sumOf(state.queue, (line) => line.quantity);

/** Units still expected on open purchase orders. */
export const incoming = (state: SkuState): number => sumOf(state.purchaseOrders, (po) => po.openQuantity);

/**
 * The stock position rule 6 compares with the reorder point. Requested but not yet ordered units count as supply so
 * that one shortfall is requested once.
 */
export const stockPosition = (state: SkuState): number =>
  available(state) + incoming(state) + state.pendingReplenishment - backordered(state);

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
  }[];
  /** Open purchase orders in the order their units are promised. */
  readonly incoming: readonly {
    readonly purchaseOrderId: string;
    readonly quantity: number;
    readonly expectedAt: IsoInstant;
  }[];
  readonly configuration: SkuConfiguration;
}

/** `GET /skus/:sku` without the sku, which the shell knows from the stream. */
export const skuView = (state: SkuState): SkuView => ({
  known: state.known,
  onHand: state.onHand,
  reserved: reserved(state),
  available: available(state),
  backordered: backordered(state),
  queue: state.queue.map(({ orderId, lineId, customerId, quantity, queuedAt, expectedAt }) => ({
    orderId,
    lineId,
    customerId,
    quantity,
    queuedAt,
    expectedAt,
  })),
  incoming: purchaseOrdersByDate(state.purchaseOrders).map(({ purchaseOrderId, openQuantity, expectedAt }) => ({
    purchaseOrderId,
    quantity: openQuantity,
    expectedAt,
  })),
  configuration: state.configuration,
});
