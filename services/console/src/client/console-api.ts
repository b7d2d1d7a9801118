// What the console's own routes answer (/api/...), written once for both sides: the server's views build these and
// the page reads them. Types only, so the page loads nothing of the server; no DOM and no Node types here.

/** Queue depth over time, as this console sampled it. */
export interface History {
  points: { at: string; units: number; lines: number }[];
  sampleIntervalMs: number;
  samplesKept: number;
}

/** One row of the backorder board. */
export interface BoardRow {
  sku: string;
  /** lines waiting in the SKU's queue */
  queueLines: number;
  /** units those lines still wait for */
  units: number;
  oldestQueuedAt: string | null;
  /** how long the oldest line has waited at the report's time; null when inventory knows no queue time */
  oldestWaitSeconds: number | null;
  /** units of open purchase orders */
  incoming: number;
  /** waiting units open purchase orders cover */
  covered: number;
  /** waiting units nothing covers yet: they need a purchase order */
  uncovered: number;
  /** covered / units, 0..1 */
  coverage: number;
  onHand: number;
  demand7d: number;
  promiseKeptRatio: number | null;
}

export interface Board {
  asOf: string;
  rows: BoardRow[];
  totals: { skus: number; queueLines: number; units: number; uncovered: number };
}

/** `GET /api/board`: the board and its queue depth over time. */
export type BoardAnswer = Board & { history: History };

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
  incoming: { purchaseOrderId: string; quantity: number; expectedAt: string }[];
}

/** A purchase order as the supplier's `GET /purchase-orders` lists it. */
export interface PurchaseOrder {
  purchaseOrderId: string;
  sku: string;
  quantity: number;
  received: number;
  expectedAt: string;
  status: string;
}

/** `GET /api/skus/:sku`: the SKU's queue, its open purchase orders (or why they could not be read), its history. */
export type SkuPageAnswer = SkuQueue & { purchaseOrders: PurchaseOrder[] | null; purchaseOrdersError: string | null; history: History };

export interface OrderAnswer {
  orderId: string;
  customerId: string;
  status: string;
  lines: Record<string, unknown>[];
}

/** One moment of an order's life: an event of the order, or something the customer was told about it. */
export interface TimelineEntry {
  at: string;
  source: 'order' | 'notification';
  /** the event type or the notification kind */
  what: string;
  /** the event's fields in a line, or the notification's message */
  detail: string;
  /** the notification's channel (email, webhook, in-app); null for an event */
  channel: string | null;
  /** the event's version or the notification's id */
  ref: string;
}

export interface OrderTimeline {
  order: OrderAnswer;
  entries: TimelineEntry[];
  /** why the customer's notifications are missing from the timeline, when they could not be read */
  notificationsError: string | null;
}

/** A service's answer to `GET /admin/dead-letters` without a topic. */
export interface DeadLetterCounts {
  consumerGroup: string;
  topics: { topic: string; deadLetters: number; notRedriven: number }[];
}

export interface ServiceDeadLetters {
  service: string;
  consumerGroup: string | null;
  topics: DeadLetterCounts['topics'];
  /** why this service's dead letters could not be read (it does not answer, or refused) */
  error: { statusCode: number; message: string } | null;
}

export interface DeadLetterOverview {
  services: ServiceDeadLetters[];
  deadLetters: number;
  notRedriven: number;
}

/** A dead letter as a service's `GET /admin/dead-letters?topic=` lists it. */
export interface DeadLetter {
  partition: number;
  offset: string;
  key: string | null;
  type: string | null;
  id: string | null;
  reason: string | null;
  sourceTopic: string | null;
  sourcePartition: number | null;
  sourceOffset: string | null;
  failedAt: string | null;
  attempts: number | null;
  headers: Record<string, string>;
  value: string | null;
  valueEncoding: 'utf8' | 'base64';
  redrivenAt: string | null;
}

export interface DeadLetterListing {
  topic: string;
  dlqTopic: string;
  consumerGroup: string;
  total: number;
  deadLetters: DeadLetter[];
}

/** A service's answer to `POST /admin/dead-letters/redrive`. */
export interface RedriveResult {
  topic: string;
  redriven: string[];
  alreadyRedriven: string[];
  notFound: string[];
}
