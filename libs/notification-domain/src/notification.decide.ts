import { assertNever } from '@fulfillment/kernel';
import type {
  BackInStockData,
  BackorderEtaChangedData,
  BackorderReleasedData,
  NotificationInput,
  OrderPlacedData,
  OrderShippedData,
  OrderStatusChangedData,
} from './notification-input.js';
import {
  awaitingRestock,
  customerStateOf,
  DEFAULT_NOTIFICATION_CONFIG,
  evolveCustomer,
  orderMemoryOf,
  type ChangeNotified,
  type ChangeRef,
  type CustomerState,
  type Notification,
  type NotificationConfig,
  type NotificationFact,
  type NotificationKind,
  type NotificationState,
  type OrderNotificationKind,
  type PendingSubstitution,
} from './notification.js';
import { notificationIdOf } from './notification-id.js';
import { renderMessage, sameCustomerDate, type MessageFacts } from './render-message.js';

export interface Decision {
  /** To append (one customer per fact) in the same transaction as the notifications are stored. */
  readonly facts: readonly NotificationFact[];
  /** Ordered by customer, then channel (in-app, email, webhook). */
  readonly notifications: readonly Notification[];
}

const NOTHING: Decision = { facts: [], notifications: [] };

type Change = {
  [K in NotificationKind]: {
    readonly kind: K;
    readonly orderId: string;
    readonly sku: K extends OrderNotificationKind ? null : string;
    readonly facts: MessageFacts[K];
  };
}[NotificationKind];

interface Source {
  readonly eventId: string;
  readonly occurredAt: string;
}

interface TellOptions {
  /** The line a line kind is about, remembered with the change. */
  readonly lineId?: string;
  /**
   * Told later than its source event was read (a substitution, once inventory answered the new line): the source is
   * remembered already, and what keeps it from being told twice is the pending entry the telling removes.
   */
  readonly deferred?: boolean;
}

function tell(
  customerId: string,
  customer: CustomerState,
  source: Source,
  change: Change,
  config: NotificationConfig,
  options: TellOptions = {},
): Decision {
  if (options.deferred !== true && customer.handledEventIds.has(source.eventId)) return NOTHING;
  const { subject, body } = renderMessage(change.kind, change.facts, { timeZone: config.timeZone });
  const ref: ChangeRef =
    change.sku === null
      ? { kind: change.kind, orderId: change.orderId, sku: null }
      : { kind: change.kind, orderId: change.orderId, sku: change.sku };
  const common = { ...ref, customerId, subject, message: body, occurredAt: source.occurredAt, sourceEventId: source.eventId };
  const idFor = (channel: Notification['channel']): string =>
    notificationIdOf({ sourceEventId: source.eventId, customerId, kind: change.kind, channel });

  const notifications: Notification[] = [{ ...common, channel: 'in-app', notificationId: idFor('in-app') }];
  if (customer.email !== null) {
    notifications.push({ ...common, channel: 'email', notificationId: idFor('email'), emailTo: customer.email.address });
  }
  if (config.webhookEnabled) {
    notifications.push({ ...common, channel: 'webhook', notificationId: idFor('webhook') });
  }
  const fact: ChangeNotified = {
    type: 'ChangeNotified',
    data: {
      ...ref,
      customerId,
      sourceEventId: source.eventId,
      occurredAt: source.occurredAt,
      notificationIds: notifications.map((notification) => notification.notificationId),
      ...(options.lineId === undefined ? {} : { lineId: options.lineId }),
    },
  };
  return { facts: [fact], notifications };
}

/** Decides `steps` in turn for one customer, each on the state the facts of the previous ones leave. */
function inTurn(customer: CustomerState, steps: readonly ((customer: CustomerState) => Decision)[]): Decision {
  const facts: NotificationFact[] = [];
  const notifications: Notification[] = [];
  let current = customer;
  for (const step of steps) {
    const decision = step(current);
    facts.push(...decision.facts);
    notifications.push(...decision.notifications);
    current = decision.facts.reduce(evolveCustomer, current);
  }
  return { facts, notifications };
}

/** Remembers that the order is over for the customer, once. */
function close(customerId: string, orderId: string, source: Source) {
  return (customer: CustomerState): Decision =>
    orderMemoryOf(customer, orderId).closedAt !== null
      ? NOTHING
      : { facts: [{ type: 'OrderClosed', data: { customerId, orderId, closedAt: source.occurredAt } }], notifications: [] };
}

const FINAL_STATUSES: ReadonlySet<OrderStatusChangedData['status']> = new Set(['shipped', 'cancelled', 'rejected']);

/**
 * substitute-accepted for each substitution whose new line inventory has answered in this view: a published view has
 * every line answered, and the order publishes it after the substitution (on the same partition, dated later); an
 * older view, redelivered, has no new line or an earlier time. Told at the substitution's time, so it lists before
 * what inventory then said about the new line. `view` null: told without an answer (the order was cancelled first).
 */
/** `tell` for an input about one line of an order: the customer it names is told, and the line is remembered. */
function tellOfLine(
  input: Source & { readonly data: { readonly customerId: string; readonly lineId: string } },
  customer: CustomerState,
  change: Change,
  config: NotificationConfig,
): Decision {
  return tell(input.data.customerId, customer, input, change, config, { lineId: input.data.lineId });
}

function tellSubstitutions(
  customerId: string,
  orderId: string,
  view: { readonly data: OrderStatusChangedData; readonly occurredAt: string } | null,
  config: NotificationConfig,
) {
  return (customer: CustomerState): Decision =>
    inTurn(
      customer,
      orderMemoryOf(customer, orderId).substitutions.map((pending) => (current: CustomerState) => {
        const line = view?.data.lines.find((candidate) => candidate.lineId === pending.newLineId);
        if (view !== null && (line === undefined || Date.parse(view.occurredAt) < Date.parse(pending.occurredAt))) return NOTHING;
        return tellSubstitution(customerId, current, orderId, pending, line === undefined ? 0 : line.reserved + line.allocated + line.shipped, config);
      }),
    );
}

function tellSubstitution(
  customerId: string,
  customer: CustomerState,
  orderId: string,
  pending: PendingSubstitution,
  setAside: number,
  config: NotificationConfig,
): Decision {
  const { sku, substituteSku, quantity } = pending;
  return tell(
    customerId,
    customer,
    { eventId: pending.sourceEventId, occurredAt: pending.occurredAt },
    { kind: 'substitute-accepted', orderId, sku: substituteSku, facts: { orderId, sku, substituteSku, quantity, setAside } },
    config,
    { lineId: pending.newLineId, deferred: true },
  );
}

function onShipped(source: NotificationInput, data: OrderShippedData, customer: CustomerState, config: NotificationConfig): Decision {
  const bySku = new Map<string, number>();
  for (const line of data.lines) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + line.quantity);
  const items = [...bySku].map(([sku, quantity]) => ({ sku, quantity }));
  const { orderId, carrier, trackingId } = data;
  return tell(data.customerId, customer, source, {
    kind: 'shipped',
    orderId,
    sku: null,
    facts: { orderId, items, carrier, trackingId },
  }, config);
}

function onBackorderReleased(
  source: NotificationInput,
  data: BackorderReleasedData,
  customer: CustomerState,
  config: NotificationConfig,
): Decision {
  // Every other release is one the customer asked for, told as line-cancelled or order-cancelled.
  if (data.reason !== 'expired') return NOTHING;
  const order = orderMemoryOf(customer, data.orderId);
  if (order.cancelledNotified || order.expiredLineIds.includes(data.lineId)) return NOTHING;
  const { orderId, sku, quantity } = data;
  return tell(data.customerId, customer, source, {
    kind: 'backorder-expired',
    orderId,
    sku,
    facts: { orderId, sku, quantity },
  }, config, { lineId: data.lineId });
}

function rememberEmail(data: OrderPlacedData, customer: CustomerState): Decision {
  const email = data.email?.trim() ?? '';
  if (email === '') return NOTHING;
  // Orders of one customer travel on different partitions, so an older OrderPlaced may arrive after a newer one:
  // the address given last in time wins, not the one read last.
  if (customer.email !== null && Date.parse(data.placedAt) <= Date.parse(customer.email.givenAt)) return NOTHING;
  return {
    facts: [{ type: 'EmailAddressGiven', data: { customerId: data.customerId, email, givenAt: data.placedAt } }],
    notifications: [],
  };
}

function onStatusChanged(
  source: NotificationInput,
  data: OrderStatusChangedData,
  customer: CustomerState,
  config: NotificationConfig,
): Decision {
  const { customerId, orderId } = data;
  return inTurn(customer, [
    tellSubstitutions(customerId, orderId, { data, occurredAt: source.occurredAt }, config),
    (current) => onStatus(source, data, current, config),
    (current) => (FINAL_STATUSES.has(data.status) ? close(customerId, orderId, source)(current) : NOTHING),
  ]);
}

function onStatus(
  source: NotificationInput,
  data: OrderStatusChangedData,
  customer: CustomerState,
  config: NotificationConfig,
): Decision {
  const order = orderMemoryOf(customer, data.orderId);
  switch (data.status) {
    case 'backordered':
      return noteBackorder(data.customerId, data.orderId, customer);
    case 'confirmed': {
      // Allocated units only ever come from a backorder: they prove the order waited even when nothing about the
      // wait has been read yet (the backorder events travel on inventory.events, not with the order).
      const waitedOnce = order.backordered || data.lines.some((line) => line.allocated > 0);
      // A substitute set aside at once is told by substitute-accepted, and nothing more is sent for it.
      if (waitedOnce || order.confirmedNotified || order.substituted) return NOTHING;
      return tell(data.customerId, customer, source, {
        kind: 'order-confirmed',
        orderId: data.orderId,
        sku: null,
        facts: { orderId: data.orderId, items: itemsSetAside(data) },
      }, config);
    }
    case 'pending':
    case 'rejected':
    case 'cancelled':
    case 'partially-shipped':
    case 'shipped':
      // A rejection is told line by line as out-of-stock, a cancellation by OrderCancelled, a shipment by OrderShipped.
      return NOTHING;
    default:
      return assertNever(data.status);
  }
}

/** Remembers that the order had a waiting line when no backorder notification has said so yet. */
function noteBackorder(customerId: string, orderId: string, customer: CustomerState): Decision {
  if (orderMemoryOf(customer, orderId).backordered) return NOTHING;
  return { facts: [{ type: 'OrderBackorderNoted', data: { customerId, orderId } }], notifications: [] };
}

function itemsSetAside(data: OrderStatusChangedData): { sku: string; quantity: number }[] {
  const bySku = new Map<string, number>();
  for (const line of data.lines) {
    const quantity = line.reserved + line.allocated;
    if (quantity > 0) bySku.set(line.sku, (bySku.get(line.sku) ?? 0) + quantity);
  }
  return [...bySku].map(([sku, quantity]) => ({ sku, quantity }));
}

function onEtaChanged(
  source: NotificationInput,
  data: BackorderEtaChangedData,
  customer: CustomerState,
  config: NotificationConfig,
): Decision {
  // The customer is told a day, not an instant: a move within the same day changes nothing they can see. The line
  // still waits, though, which must keep the order from ever being told order-confirmed.
  if (sameCustomerDate(data.previousExpectedAt, data.expectedAt, config.timeZone)) {
    return noteBackorder(data.customerId, data.orderId, customer);
  }
  return tell(data.customerId, customer, source, {
    kind: 'backorder-eta-changed',
    orderId: data.orderId,
    sku: data.sku,
    facts: { orderId: data.orderId, sku: data.sku, previousExpectedAt: data.previousExpectedAt, expectedAt: data.expectedAt },
  }, config, { lineId: data.lineId });
}

function onBackInStock(
  source: NotificationInput,
  data: BackInStockData,
  state: NotificationState,
  config: NotificationConfig,
): Decision {
  // A BackInStock older than the out-of-stock can only be a redelivery from before it: the stock it announced was gone
  // by the time the customer was told, so it is no news for them. Inventory dates a SKU's decisions strictly apart, so
  // one as old as the out-of-stock is from before it too (the out-of-stock decided right after it on the same clock
  // tick found that stock already gone).
  const afterTheyWereTold = awaitingRestock(state, data.sku).filter(
    (waiting) => Date.parse(source.occurredAt) > Date.parse(waiting.since),
  );
  const decisions = afterTheyWereTold.map(({ customerId, customer, orderId, later }) => {
    const answered = customer.handledEventIds.has(source.eventId)
      ? toldAlready(customerId, source, data.sku, orderId)
      : tell(customerId, customer, source, {
          kind: 'back-in-stock',
          orderId,
          sku: data.sku,
          facts: { sku: data.sku, available: data.available, orderId },
        }, config);
    // A later wait this stock came too early for goes on: it is the customer's wait from now on (nothing told anew).
    if (later === undefined || Date.parse(source.occurredAt) > Date.parse(later.since)) return answered;
    const stillWaiting: ChangeNotified = {
      type: 'ChangeNotified',
      data: { kind: 'out-of-stock', orderId: later.orderId, sku: data.sku, customerId, sourceEventId: source.eventId, occurredAt: later.since, notificationIds: [] },
    };
    return { facts: [...answered.facts, stillWaiting], notifications: answered.notifications };
  });
  return {
    facts: decisions.flatMap((decision) => decision.facts),
    notifications: decisions.flatMap((decision) => decision.notifications),
  };
}

/**
 * The customer was told this very stock is back, through the wait of another of their orders, before this wait was
 * known: an out-of-stock from before the BackInStock, decided late because it waited for its OrderPlaced, and the
 * BackInStock parked behind it comes again. The news reached them; the wait closes without telling it twice.
 */
function toldAlready(customerId: string, source: NotificationInput, sku: string, orderId: string): Decision {
  const fact: ChangeNotified = {
    type: 'ChangeNotified',
    data: { kind: 'back-in-stock', orderId, sku, customerId, sourceEventId: source.eventId, occurredAt: source.occurredAt, notificationIds: [] },
  };
  return { facts: [fact], notifications: [] };
}

/**
 * What to remember and whom to tell, in which words, after one published event. Pure: the ids are name-based and the
 * times come from the event, so deciding twice on the same event and state gives the same answer, and deciding on an
 * event already told (a redelivery) gives nothing.
 */
export function decide(
  input: NotificationInput,
  state: NotificationState,
  config: NotificationConfig = DEFAULT_NOTIFICATION_CONFIG,
): Decision {
  switch (input.type) {
    case 'OrderPlaced':
      return rememberEmail(input.data, customerStateOf(state, input.data.customerId));
    case 'OrderStatusChanged':
      return onStatusChanged(input, input.data, customerStateOf(state, input.data.customerId), config);
    case 'OrderCancelled': {
      const { orderId, customerId, reason } = input.data;
      const customer = customerStateOf(state, customerId);
      if (orderMemoryOf(customer, orderId).cancelledNotified || customer.handledEventIds.has(input.eventId)) return NOTHING;
      return inTurn(customer, [
        // A substitution not told yet happened before the cancellation: told first, without inventory's answer.
        tellSubstitutions(customerId, orderId, null, config),
        (current) =>
          tell(customerId, current, input, {
            kind: 'order-cancelled',
            orderId,
            sku: null,
            facts: { orderId, reason, partlyShipped: orderMemoryOf(current, orderId).shipped },
          }, config),
        close(customerId, orderId, input),
      ]);
    }
    case 'BackorderQueued': {
      const { orderId, customerId, sku, quantity, position, expectedAt, preorder } = input.data;
      const facts = { orderId, sku, quantity, position, expectedAt };
      const change: Change = preorder === true
        ? { kind: 'preordered', orderId, sku, facts }
        : { kind: 'backordered', orderId, sku, facts };
      return tellOfLine(input, customerStateOf(state, customerId), change, config);
    }
    case 'OrderShipped':
      return onShipped(input, input.data, customerStateOf(state, input.data.customerId), config);
    case 'OrderLineCancelled': {
      const { orderId, customerId, sku, quantity, reason } = input.data;
      const customer = customerStateOf(state, customerId);
      // A whole-order cancellation is OrderCancelled alone (the order domain emits no line cancels for it); a line
      // cancel that still comes for an order told cancelled adds nothing to order-cancelled.
      if (orderMemoryOf(customer, orderId).cancelledNotified) return NOTHING;
      return tellOfLine(input, customer, { kind: 'line-cancelled', orderId, sku, facts: { orderId, sku, quantity, reason } }, config);
    }
    case 'OrderLineSubstituted': {
      const { orderId, customerId, lineId, newLineId, sku, substituteSku, quantity } = input.data;
      const customer = customerStateOf(state, customerId);
      if (customer.handledEventIds.has(input.eventId)) return NOTHING;
      const pending: PendingSubstitution = {
        sourceEventId: input.eventId,
        occurredAt: input.occurredAt,
        lineId,
        newLineId,
        sku,
        substituteSku,
        quantity,
      };
      return { facts: [{ type: 'SubstitutionNoted', data: { customerId, orderId, ...pending } }], notifications: [] };
    }
    case 'BackorderReleased':
      return onBackorderReleased(input, input.data, customerStateOf(state, input.data.customerId), config);
    case 'BackorderAllocated': {
      const { orderId, sku, quantity, remaining } = input.data;
      const facts = { orderId, sku, quantity, remaining };
      return tellOfLine(input, customerStateOf(state, input.data.customerId), { kind: 'backorder-allocated', orderId, sku, facts }, config);
    }
    case 'BackorderEtaChanged':
      return onEtaChanged(input, input.data, customerStateOf(state, input.data.customerId), config);
    case 'StockUnavailable': {
      const { orderId, sku, quantity, substitutes } = input.data;
      const facts = { orderId, sku, quantity, substitutes };
      return tellOfLine(input, customerStateOf(state, input.data.customerId), { kind: 'out-of-stock', orderId, sku, facts }, config);
    }
    case 'BackInStock':
      return onBackInStock(input, input.data, state, config);
    default:
      return assertNever(input);
  }
}
