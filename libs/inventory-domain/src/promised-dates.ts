import { compareInstants, laterOf, startOfUtcDayAfter, type IsoInstant } from '@fulfillment/time';
import { isHeldForRelease, isHoldingPreorders, type OpenPurchaseOrder, type SkuState } from './sku.js';
import { lastIn, valuesIn } from './sorted-map.js';

/** Purchase orders in the order their units are promised: by expected date, ties by registration order. */
export const purchaseOrdersByDate = (purchaseOrders: readonly OpenPurchaseOrder[]): OpenPurchaseOrder[] =>
  // Array.prototype.sort is stable, so equal dates keep registration order.
  [...purchaseOrders].sort((a, b) => compareInstants(a.expectedAt, b.expectedAt));

/** Units that will be there at `at`, in the order queued lines are promised them. */
export interface Supply {
  readonly quantity: number;
  readonly at: IsoInstant;
}

/**
 * What the queue is promised, in date order: the open purchase orders and, while the SKU holds its preorders, the
 * free stock on hand, which the release will hand out at `releaseAt` (first among supply due at the same instant).
 * Pending or unplannable replenishment requests are no supply: nothing says when, or whether, they arrive.
 */
export const supplyInDateOrder = (state: SkuState): Supply[] => {
  const supply: Supply[] = [];
  const free = state.onHand - state.reservedUnits;
  const { releaseAt } = state.configuration;
  if (isHoldingPreorders(state) && releaseAt !== null && free > 0) supply.push({ quantity: free, at: releaseAt });
  for (const po of state.purchaseOrders) supply.push({ quantity: po.openQuantity, at: po.expectedAt });
  return supply.sort((a, b) => compareInstants(a.at, b.at));
};

/** The date a lead time promises to a line queued at `queuedAt`, never earlier than the line before it. */
const byLeadTime = (queuedAt: IsoInstant, leadTimeDays: number, previous: IsoInstant | null): IsoInstant => {
  const date = startOfUtcDayAfter(queuedAt, leadTimeDays);
  return previous === null ? date : laterOf(date, previous);
};

/**
 * The promised date of every queued line, in queue order (rule 4 of sku.decide.ts): walking the queue against the
 * supply in date order, a line gets the date of the supply that covers its last unit. Beyond all supply it gets its
 * queuing day plus the lead time (start of that UTC day), but never earlier than the line before it, because FIFO
 * serves no line before an earlier one; without a lead time it gets null. A line held for the release is never
 * promised before `releaseAt`.
 */
export const promisedDates = (state: SkuState): (IsoInstant | null)[] => {
  const supply = supplyInDateOrder(state);
  const { leadTimeDays, releaseAt } = state.configuration;
  let supplyIndex = 0;
  let leftInCurrent = supply[0]?.quantity ?? 0;
  let previous: IsoInstant | null = null;
  const dates: (IsoInstant | null)[] = [];
  for (const line of valuesIn(state.queue)) {
    let needed = line.quantity;
    let coveredBy: IsoInstant | null = null;
    while (needed > 0 && supplyIndex < supply.length) {
      const taken = Math.min(needed, leftInCurrent);
      needed -= taken;
      leftInCurrent -= taken;
      if (needed === 0) coveredBy = supply[supplyIndex].at;
      if (leftInCurrent === 0) {
        supplyIndex += 1;
        leftInCurrent = supply[supplyIndex]?.quantity ?? 0;
      }
    }
    let date: IsoInstant | null = coveredBy ?? (leadTimeDays === null ? null : byLeadTime(line.queuedAt, leadTimeDays, previous));
    if (date !== null && releaseAt !== null && isHeldForRelease(state, line)) date = laterOf(date, releaseAt);
    previous = date;
    dates.push(date);
  }
  return dates;
};

/**
 * The date `promisedDates` would give a line of `quantity` units queued at `now` behind the current queue, computed
 * from the totals and the supply alone (O(purchase orders), whatever the queue's length).
 */
export const promiseForNewLine = (
  state: SkuState,
  quantity: number,
  now: IsoInstant,
  supply: readonly Supply[] = supplyInDateOrder(state),
): IsoInstant | null => {
  const lastUnit = state.backorderedUnits + quantity;
  const { leadTimeDays, releaseAt } = state.configuration;
  let cumulative = 0;
  let date: IsoInstant | null = null;
  for (const { quantity: units, at } of supply) {
    cumulative += units;
    if (cumulative >= lastUnit) {
      date = at;
      break;
    }
  }
  if (date === null && leadTimeDays !== null) date = byLeadTime(now, leadTimeDays, lastIn(state.queue)?.expectedAt ?? null);
  if (date !== null && releaseAt !== null && isHoldingPreorders(state)) date = laterOf(date, releaseAt);
  return date;
};
