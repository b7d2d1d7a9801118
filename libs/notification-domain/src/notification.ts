import { assertNever } from './assert-never.js';

// The notification aggregate: what the domain remembers about each customer so that every customer-visible change is
// told exactly once per channel. The state is a map of customers, and every fact belongs to exactly one customer:
// the shell can keep one event stream per customer (key = customerId, like notification.events) and load only the
// customers an input concerns — the one it names, or for BackInStock the customers waiting for that SKU.

export const NOTIFICATION_KINDS = [
  'order-confirmed',
  'backordered',
  'backorder-eta-changed',
  'backorder-allocated',
  'out-of-stock',
  'order-cancelled',
  'back-in-stock',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Kinds about a whole order carry no SKU; every other kind is about one SKU of one order. */
export type OrderNotificationKind = 'order-confirmed' | 'order-cancelled';
export type LineNotificationKind = Exclude<NotificationKind, OrderNotificationKind>;

/** What a change is about. A back-in-stock names the latest order the customer was told the SKU was missing from. */
export type ChangeRef =
  | { readonly kind: OrderNotificationKind; readonly orderId: string; readonly sku: null }
  | { readonly kind: LineNotificationKind; readonly orderId: string; readonly sku: string };

/** Order of the channels inside one change; it is also the order of the notifications a decision returns. */
export const NOTIFICATION_CHANNELS = ['in-app', 'email', 'webhook'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

type NotificationBase = ChangeRef & {
  /** Name-based UUID of (sourceEventId, customerId, kind, channel): the de-duplication key of the store. */
  readonly notificationId: string;
  readonly customerId: string;
  readonly subject: string;
  readonly message: string;
  /** The source event's time: the read side lists by (occurredAt, sequence), so customers see changes in order. */
  readonly occurredAt: string;
  readonly sourceEventId: string;
};

export type InAppNotification = NotificationBase & { readonly channel: 'in-app' };

export type EmailNotification = NotificationBase & {
  readonly channel: 'email';
  /** The customer's latest address when the change was decided. Personal data: never log it, never publish it. */
  readonly emailTo: string;
};

export type WebhookNotification = NotificationBase & { readonly channel: 'webhook' };

export type Notification = InAppNotification | EmailNotification | WebhookNotification;

export interface NotificationConfig {
  /** Whether a webhook endpoint is configured; the URL itself is the shell's business. */
  readonly webhookEnabled: boolean;
  /** IANA time zone in which promised dates are told to customers. */
  readonly timeZone: string;
}

export const DEFAULT_NOTIFICATION_CONFIG: NotificationConfig = { webhookEnabled: false, timeZone: 'UTC' };

// ---- Facts: what the decider records. Every fact names its customer. ----

export interface EmailAddressGiven {
  readonly type: 'EmailAddressGiven';
  readonly data: { readonly customerId: string; readonly email: string; readonly givenAt: string };
}

/** The order had a waiting line, learnt from its status before any backorder notification arrived. */
export interface OrderBackorderNoted {
  readonly type: 'OrderBackorderNoted';
  readonly data: { readonly customerId: string; readonly orderId: string };
}

/** One customer-visible change was told, on the channels whose notification ids are listed. */
export interface ChangeNotified {
  readonly type: 'ChangeNotified';
  readonly data: ChangeRef & {
    readonly customerId: string;
    readonly sourceEventId: string;
    readonly occurredAt: string;
    readonly notificationIds: readonly string[];
  };
}

export type NotificationFact = EmailAddressGiven | OrderBackorderNoted | ChangeNotified;

// ---- State ----

export interface OrderMemory {
  /** Ever had a waiting line: such an order is never told `order-confirmed`. */
  readonly backordered: boolean;
  readonly confirmedNotified: boolean;
  readonly cancelledNotified: boolean;
}

export interface CustomerState {
  readonly email: { readonly address: string; readonly givenAt: string } | null;
  /** Source events already told to this customer: a redelivery of one of them is a no-op. */
  readonly handledEventIds: ReadonlySet<string>;
  readonly orders: ReadonlyMap<string, OrderMemory>;
  /** SKUs this customer was told are out of stock and not yet told are back: the latest order concerned, and when. */
  readonly awaitingRestock: ReadonlyMap<string, RestockWait>;
}

export interface RestockWait {
  readonly orderId: string;
  /** Time of the out-of-stock event: only stock that appears after it is news to the customer. */
  readonly since: string;
}

export interface NotificationState {
  readonly customers: ReadonlyMap<string, CustomerState>;
}

export const initialCustomerState: CustomerState = {
  email: null,
  handledEventIds: new Set(),
  orders: new Map(),
  awaitingRestock: new Map(),
};

export const initialState: NotificationState = { customers: new Map() };

const NO_ORDER_MEMORY: OrderMemory = { backordered: false, confirmedNotified: false, cancelledNotified: false };

export function customerStateOf(state: NotificationState, customerId: string): CustomerState {
  return state.customers.get(customerId) ?? initialCustomerState;
}

export function orderMemoryOf(customer: CustomerState, orderId: string): OrderMemory {
  return customer.orders.get(orderId) ?? NO_ORDER_MEMORY;
}

function withOrder(customer: CustomerState, orderId: string, change: Partial<OrderMemory>): CustomerState {
  const orders = new Map(customer.orders);
  orders.set(orderId, { ...orderMemoryOf(customer, orderId), ...change });
  return { ...customer, orders };
}

function afterChangeNotified(customer: CustomerState, data: ChangeNotified['data']): CustomerState {
  const handledEventIds = new Set(customer.handledEventIds);
  handledEventIds.add(data.sourceEventId);
  const next: CustomerState = { ...customer, handledEventIds };
  switch (data.kind) {
    case 'order-confirmed':
      return withOrder(next, data.orderId, { confirmedNotified: true });
    case 'order-cancelled':
      return withOrder(next, data.orderId, { cancelledNotified: true });
    case 'backordered':
    case 'backorder-allocated':
    case 'backorder-eta-changed':
      return withOrder(next, data.orderId, { backordered: true });
    case 'out-of-stock': {
      const awaitingRestock = new Map(next.awaitingRestock);
      awaitingRestock.set(data.sku, { orderId: data.orderId, since: data.occurredAt });
      return { ...next, awaitingRestock };
    }
    case 'back-in-stock': {
      const awaitingRestock = new Map(next.awaitingRestock);
      awaitingRestock.delete(data.sku);
      return { ...next, awaitingRestock };
    }
    default:
      return assertNever(data);
  }
}

/** Folds one customer's own stream; `evolve` is this applied to the customer the fact names. */
export function evolveCustomer(customer: CustomerState, fact: NotificationFact): CustomerState {
  switch (fact.type) {
    case 'EmailAddressGiven':
      return { ...customer, email: { address: fact.data.email, givenAt: fact.data.givenAt } };
    case 'OrderBackorderNoted':
      return withOrder(customer, fact.data.orderId, { backordered: true });
    case 'ChangeNotified':
      return afterChangeNotified(customer, fact.data);
    default:
      return assertNever(fact);
  }
}

export function evolve(state: NotificationState, fact: NotificationFact): NotificationState {
  const customerId = fact.data.customerId;
  const customers = new Map(state.customers);
  customers.set(customerId, evolveCustomer(customerStateOf(state, customerId), fact));
  return { customers };
}

export interface AwaitingCustomer extends RestockWait {
  readonly customerId: string;
  readonly customer: CustomerState;
}

/** Customers told `sku` is out of stock and not yet told it is back (whom a BackInStock concerns), by customer id. */
export function awaitingRestock(state: NotificationState, sku: string): AwaitingCustomer[] {
  return [...state.customers]
    .flatMap(([customerId, customer]) => {
      const waiting = customer.awaitingRestock.get(sku);
      return waiting === undefined ? [] : [{ ...waiting, customerId, customer }];
    })
    .sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
}
