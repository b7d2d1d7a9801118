import { compareInstants, laterOf, startOfUtcDayAfter, type IsoInstant } from '@fulfillment/time';
import type { OpenPurchaseOrder, QueuedLine } from './sku.js';

/** Purchase orders in the order their units are promised: by expected date, ties by registration order. */
export const purchaseOrdersByDate = (purchaseOrders: readonly OpenPurchaseOrder[]): OpenPurchaseOrder[] =>
  // Array.prototype.sort is stable, so equal dates keep registration order.
  [...purchaseOrders].sort((a, b) => compareInstants(a.expectedAt, b.expectedAt));

/**
 * The promised date of every queued line, in queue order (rule 4 of sku.decide.ts): walking the queue against the
 * open purchase orders in date order, a line gets the date of the purchase order that covers its last unit. Beyond
 * all open quantity it gets its queuing day plus the lead time (start of that UTC day), but never earlier than the
 * line before it, because FIFO serves no line before an earlier one; without a lead time it gets null.
 */
export const promisedDates = (
  queue: readonly Pick<QueuedLine, 'quantity' | 'queuedAt'>[],
  purchaseOrders: readonly OpenPurchaseOrder[],
  leadTimeDays: number | null,
): (IsoInstant | null)[] => {
  const supply = purchaseOrdersByDate(purchaseOrders);
  let supplyIndex = 0;
  let leftInCurrent = supply[0]?.openQuantity ?? 0;
  let previous: IsoInstant | null = null;

  return queue.map((line) => {
    let needed = line.quantity;
    let coveredBy: IsoInstant | null = null;
    while (needed > 0 && supplyIndex < supply.length) {
      const taken = Math.min(needed, leftInCurrent);
      needed -= taken;
      leftInCurrent -= taken;
      if (needed === 0) coveredBy = supply[supplyIndex].expectedAt;
      if (leftInCurrent === 0) {
        supplyIndex += 1;
        leftInCurrent = supply[supplyIndex]?.openQuantity ?? 0;
      }
    }
    let date: IsoInstant | null;
    if (coveredBy !== null) date = coveredBy;
    else if (leadTimeDays === null) date = null;
    else {
      const byLeadTime = startOfUtcDayAfter(line.queuedAt, leadTimeDays);
      date = previous === null ? byLeadTime : laterOf(byLeadTime, previous);
    }
    previous = date;
    return date;
  });
};
