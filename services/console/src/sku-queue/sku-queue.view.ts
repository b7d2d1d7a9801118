import type { QueueRow, SkuQueue } from '../client/console-api.js';

export type { QueueRow, SkuQueue };

/** A SKU as inventory's `GET /skus/:sku` answers it (the fields the page shows). */
export interface SkuAnswer {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  backordered: number;
  queue: { orderId: string; lineId: string; customerId: string; quantity: number; queuedAt: string; expectedAt: string | null; preorder?: boolean }[];
  incoming: { purchaseOrderId: string; quantity: number; expectedAt: string }[];
  preordersUntil?: string | null;
  pendingReplenishment?: number;
}


/**
 * The SKU page from inventory's answer, the queue in inventory's FIFO order. `coveredBy` walks the open purchase orders
 * in the order inventory lists them (the order their units are promised) against the units queued so far.
 */
export function skuQueueOf(answer: SkuAnswer, now: Date): SkuQueue {
  const cumulative: { purchaseOrderId: string; upTo: number }[] = [];
  let total = 0;
  for (const po of answer.incoming) {
    total += po.quantity;
    cumulative.push({ purchaseOrderId: po.purchaseOrderId, upTo: total });
  }
  let ahead = 0;
  const queue = answer.queue.map((line, index): QueueRow => {
    const lastUnit = ahead + line.quantity;
    const row: QueueRow = {
      position: index + 1,
      orderId: line.orderId,
      lineId: line.lineId,
      customerId: line.customerId,
      quantity: line.quantity,
      unitsAhead: ahead,
      queuedAt: line.queuedAt,
      waitedSeconds: Math.max(0, Math.floor((now.getTime() - Date.parse(line.queuedAt)) / 1000)) || 0,
      expectedAt: line.expectedAt,
      preorder: line.preorder === true,
      coveredBy: cumulative.find((c) => c.upTo >= lastUnit)?.purchaseOrderId ?? null,
    };
    ahead = lastUnit;
    return row;
  });
  return {
    sku: answer.sku,
    onHand: answer.onHand,
    reserved: answer.reserved,
    available: answer.available,
    backordered: answer.backordered,
    pendingReplenishment: answer.pendingReplenishment ?? 0,
    preordersUntil: answer.preordersUntil ?? null,
    queue,
    incoming: answer.incoming,
  };
}
