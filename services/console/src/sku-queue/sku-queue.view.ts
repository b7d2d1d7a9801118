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

/** A line of the queue as the page shows it: its place, the units ahead of it, its promised date and what covers it. */
export interface QueueRow {
  position: number;
  orderId: string;
  lineId: string;
  customerId: string;
  quantity: number;
  /** units earlier lines wait for: they are served first (FIFO, no overtaking) */
  unitsAhead: number;
  queuedAt: string;
  waitedSeconds: number;
  /** the date promised to the line; null: no date known */
  expectedAt: string | null;
  preorder: boolean;
  /** the open purchase order whose units, taken in date order, reach the line's last unit; null: none does */
  coveredBy: string | null;
}

export interface SkuQueue {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  backordered: number;
  pendingReplenishment: number;
  preordersUntil: string | null;
  queue: QueueRow[];
  incoming: SkuAnswer['incoming'];
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
