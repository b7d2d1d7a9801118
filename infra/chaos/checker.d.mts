// Types of checker.mjs, for the TypeScript tests that feed it histories.

import type { OrderLineView } from '@fulfillment/kernel';

export interface Envelope {
  id: string;
  type: string;
  time: string;
  subject?: string | null;
  causationid?: string | null;
  data: Record<string, unknown>;
}

/** One record of a topic as a consumer read it. */
export interface TopicRecord {
  partition: number;
  offset: string | number;
  envelope: Envelope;
}

/** A line of GET /orders/:id as a history holds it; `shipped` and `expectedAt` may be left out. */
export type LineView = Omit<OrderLineView, 'shipped' | 'expectedAt'> & Partial<Pick<OrderLineView, 'shipped' | 'expectedAt'>>;

export interface OrderView {
  orderId: string;
  customerId: string;
  status: string;
  lines: LineView[];
}

export interface SkuView {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  backordered: number;
  queue: { orderId: string; lineId: string; quantity: number }[];
}

export interface NotificationView {
  notificationId: string;
  kind: string;
  orderId: string | null;
  sku: string | null;
  channel: string;
}

export interface ReceivedEmail {
  to: string[];
  notificationId: string | null;
  kind?: string | null;
  /** when the mail server had the whole message (ms since the epoch) */
  receivedAt?: number;
}

export interface History {
  /** orders the load was told were accepted (202, or a PlaceOrder the broker acknowledged) */
  accepted: { orderId: string; customerId: string; lines: { sku: string; quantity: number }[] }[];
  /** units put into each SKU: adjustments and acknowledged receipts */
  received: Record<string, number>;
  /** acknowledged ReceiveRestock commands */
  receipts: { commandId: string; sku: string; quantity: number }[];
  /** every record of order.events, inventory.events, supplier.events, notification.events */
  topics: Record<string, TopicRecord[]>;
  /** records per `.dlq` topic */
  deadLetters: Record<string, number>;
  /** GET /orders/:id per order (null: not found) */
  orders: Record<string, OrderView | null>;
  /** GET /skus/:sku per SKU (null: not found) */
  skus: Record<string, SkuView | null>;
  /** GET /customers/:id/notifications per customer */
  notifications: Record<string, NotificationView[]>;
  /** what the mail server received */
  emails: ReceivedEmail[];
  /**
   * When something could stop a sender between the mail server taking an email and the sender recording it: a
   * notification instance killed or ended by itself, the services' database sessions terminated (ms since the epoch)
   */
  senderFaults?: { at: number; what: string }[];
  /** the time zone customers are told dates in (default UTC) */
  timeZone?: string;
}

export type CountName =
  | 'lost'
  | 'oversold'
  | 'fifo_breaks'
  | 'alloc_mismatch'
  | 'dup_notifications'
  | 'missing_notifications'
  | 'dup_emails'
  | 'dlq';
export type Counts = Record<CountName, number>;

export declare const COUNT_NAMES: readonly CountName[];
export declare function check(history: History): {
  counts: Counts;
  problems: string[];
  /** emails received again after a sender fault right after their first copy: SMTP's at-least-once, not duplicates */
  resentAfterSenderFault: number;
};
export declare function summaryLine(run: {
  orders: number;
  kills: number;
  brokerRestarts: number;
  counts: Record<CountName, number | string>;
  settleS: string;
}): string;
