import { assertNever, NOTIFICATION_KINDS, type NotificationKind } from '@fulfillment/kernel';

// The notification aggregate: what the domain remembers about each customer so that every customer-visible change is
// told exactly once per channel. The state is a map of customers, and every fact belongs to exactly one customer:
// the shell can keep one event stream per customer (key = customerId, like notification.events) and load only the
// customers an input concerns — the one it names, or for BackInStock the customers waiting for that SKU.

export { NOTIFICATION_KINDS, type NotificationKind };

/** Kinds about a whole order (or a whole shipment) carry no SKU; every other kind is about one SKU of one order. */
export type OrderNotificationKind = 'order-confirmed' | 'order-cancelled' | 'shipped';
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

/**
 * Closed orders (shipped, cancelled or rejected) whose memory a customer keeps, the most recently closed ones; older
 * ones are forgotten (SPEC 13: a customer's handled-event memory is bounded). Late copies of their events are then
 * stopped by the service's inbox and by the store's unique notification ids, which are derived from the source event.
 */
export const CLOSED_ORDERS_KEPT = 20;

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
    /** The line a line kind is about, where the source event names one (absent in facts stored before issue 12). */
    readonly lineId?: string;
  };
}

/**
 * The customer took a substitute (OrderLineSubstituted). What to tell depends on inventory's answer for the new line,
 * which comes later, so it waits in the order's memory until the order's next view (see `decide`).
 */
export interface SubstitutionNoted {
  readonly type: 'SubstitutionNoted';
  readonly data: PendingSubstitution & { readonly customerId: string; readonly orderId: string };
}

/** The order is over for the customer (shipped, cancelled or rejected): its memory may be forgotten later. */
export interface OrderClosed {
  readonly type: 'OrderClosed';
  readonly data: { readonly customerId: string; readonly orderId: string; readonly closedAt: string };
}

export type NotificationFact = EmailAddressGiven | OrderBackorderNoted | ChangeNotified | SubstitutionNoted | OrderClosed;

// ---- State ----

export interface PendingSubstitution {
  readonly sourceEventId: string;
  readonly occurredAt: string;
  readonly lineId: string;
  readonly newLineId: string;
  readonly sku: string;
  readonly substituteSku: string;
  readonly quantity: number;
}

export interface OrderMemory {
  /** Ever had a waiting line: such an order is never told `order-confirmed`. */
  readonly backordered: boolean;
  readonly confirmedNotified: boolean;
  readonly cancelledNotified: boolean;
  /** A shipment was told: a later cancellation concerns what has not shipped. */
  readonly shipped: boolean;
  /** The customer took a substitute: the substitute line is told by `substitute-accepted`, never `order-confirmed`. */
  readonly substituted: boolean;
  /** Substitutions told once inventory has answered their new line. */
  readonly substitutions: readonly PendingSubstitution[];
  /** Lines told `backorder-expired`, so each is told once. */
  readonly expiredLineIds: readonly string[];
  /** Source events of this order already told or noted: a redelivery of one of them is a no-op. */
  readonly eventIds: readonly string[];
  /** When the order closed (the time of the event that closed it); null while it is open. */
  readonly closedAt: string | null;
}

export interface CustomerState {
  readonly email: { readonly address: string; readonly givenAt: string } | null;
  /**
   * Source events already told to this customer: a redelivery of one of them is a no-op. It is the union of the
   * remembered orders' `eventIds`, so it shrinks as closed orders are forgotten. A BackInStock told is kept with the
   * order whose wait it answered: the copy of it parked behind a late out-of-stock of another order (one decided
   * before the stock came back but read after it) then closes that wait without telling the customer twice.
   */
  readonly handledEventIds: ReadonlySet<string>;
  readonly orders: ReadonlyMap<string, OrderMemory>;
  /** SKUs this customer was told are out of stock and not yet told are back: the latest order concerned, and when. */
  readonly awaitingRestock: ReadonlyMap<string, RestockWait>;
}

export interface RestockWait {
  readonly orderId: string;
  /** Time of the out-of-stock event: only stock that appears after it is news to the customer. */
  readonly since: string;
  /**
   * A wait that began after this one but was known first: an out-of-stock decided earlier but read later (it waited
   * for its OrderPlaced) opens the earlier wait in front of it. A BackInStock between the two answers the earlier
   * wait only; this one goes on for the next. Absent in waits stored before it existed.
   */
  readonly later?: { readonly orderId: string; readonly since: string };
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

const NO_ORDER_MEMORY: OrderMemory = {
  backordered: false,
  confirmedNotified: false,
  cancelledNotified: false,
  shipped: false,
  substituted: false,
  substitutions: [],
  expiredLineIds: [],
  eventIds: [],
  closedAt: null,
};

export function customerStateOf(state: NotificationState, customerId: string): CustomerState {
  return state.customers.get(customerId) ?? initialCustomerState;
}

/** The order's memory; fields a memory stored before issue 12 lacks read as their initial values. */
export function orderMemoryOf(customer: CustomerState, orderId: string): OrderMemory {
  const stored = customer.orders.get(orderId);
  return stored === undefined ? NO_ORDER_MEMORY : { ...NO_ORDER_MEMORY, ...stored };
}

function withOrder(
  customer: CustomerState,
  orderId: string,
  change: (order: OrderMemory) => Partial<OrderMemory>,
): CustomerState {
  const current = orderMemoryOf(customer, orderId);
  const orders = new Map(customer.orders);
  orders.set(orderId, { ...current, ...change(current) });
  return { ...customer, orders };
}

function remembering(customer: CustomerState, orderId: string, eventId: string): CustomerState {
  if (customer.handledEventIds.has(eventId)) return customer;
  const handledEventIds = new Set(customer.handledEventIds);
  handledEventIds.add(eventId);
  return withOrder({ ...customer, handledEventIds }, orderId, (order) => ({ eventIds: [...order.eventIds, eventId] }));
}

/** Keeps the `CLOSED_ORDERS_KEPT` most recently closed orders and forgets the others, with their event ids. */
function forgettingOldClosedOrders(customer: CustomerState): CustomerState {
  const closed = [...customer.orders].filter(([, order]) => order.closedAt !== null);
  if (closed.length <= CLOSED_ORDERS_KEPT) return customer;
  closed.sort(([idA, a], [idB, b]) => Date.parse(a.closedAt!) - Date.parse(b.closedAt!) || (idA < idB ? -1 : idA > idB ? 1 : 0));
  const orders = new Map(customer.orders);
  const handledEventIds = new Set(customer.handledEventIds);
  for (const [orderId, order] of closed.slice(0, closed.length - CLOSED_ORDERS_KEPT)) {
    orders.delete(orderId);
    for (const eventId of order.eventIds) handledEventIds.delete(eventId);
  }
  return { ...customer, orders, handledEventIds };
}

/**
 * The wait after an out-of-stock told for `told`: normally the newest out-of-stock is the wait; one that happened
 * before the wait already known (read late) goes in front of it, which stays as the `later` wait.
 */
function waitAfterOutOfStock(current: RestockWait | undefined, told: { orderId: string; since: string }): RestockWait {
  const at = Date.parse(told.since);
  const known = current === undefined ? [] : [{ orderId: current.orderId, since: current.since }, ...(current.later ? [current.later] : [])];
  const after = known.filter((wait) => Date.parse(wait.since) > at).sort((a, b) => Date.parse(b.since) - Date.parse(a.since))[0];
  return after === undefined ? told : { ...told, later: after };
}

function afterChangeNotified(customer: CustomerState, data: ChangeNotified['data']): CustomerState {
  const next = remembering(customer, data.orderId, data.sourceEventId);
  switch (data.kind) {
    case 'back-in-stock': {
      const awaitingRestock = new Map(next.awaitingRestock);
      awaitingRestock.delete(data.sku);
      return { ...next, awaitingRestock };
    }
    case 'order-confirmed':
      return withOrder(next, data.orderId, () => ({ confirmedNotified: true }));
    case 'order-cancelled':
      return withOrder(next, data.orderId, () => ({ cancelledNotified: true }));
    case 'backordered':
    case 'preordered':
    case 'backorder-allocated':
    case 'backorder-eta-changed':
      return withOrder(next, data.orderId, () => ({ backordered: true }));
    case 'out-of-stock': {
      const awaitingRestock = new Map(next.awaitingRestock);
      awaitingRestock.set(data.sku, waitAfterOutOfStock(next.awaitingRestock.get(data.sku), { orderId: data.orderId, since: data.occurredAt }));
      return { ...next, awaitingRestock };
    }
    case 'shipped':
      return withOrder(next, data.orderId, () => ({ shipped: true }));
    case 'substitute-accepted':
      return withOrder(next, data.orderId, (order) => ({
        substitutions: order.substitutions.filter((pending) => pending.sourceEventId !== data.sourceEventId),
      }));
    case 'backorder-expired': {
      const { lineId } = data;
      if (lineId === undefined) return next;
      return withOrder(next, data.orderId, (order) => ({ expiredLineIds: [...order.expiredLineIds, lineId] }));
    }
    case 'line-cancelled':
      return next;
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
      return withOrder(customer, fact.data.orderId, () => ({ backordered: true }));
    case 'ChangeNotified':
      return afterChangeNotified(customer, fact.data);
    case 'SubstitutionNoted': {
      const { customerId: _customerId, orderId, ...pending } = fact.data;
      // A substitution reopens an order closed as rejected: it is in play again until its next final view.
      return withOrder(remembering(customer, orderId, pending.sourceEventId), orderId, (order) => ({
        substituted: true,
        substitutions: [...order.substitutions, pending],
        closedAt: null,
      }));
    }
    case 'OrderClosed':
      return forgettingOldClosedOrders(withOrder(customer, fact.data.orderId, () => ({ closedAt: fact.data.closedAt })));
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
