import { assertNever } from './assert-never.js';
import type {
  BackInStockData,
  BackorderEtaChangedData,
  NotificationInput,
  OrderPlacedData,
  OrderStatusChangedData,
} from './notification-input.js';
import {
  awaitingRestock,
  customerStateOf,
  DEFAULT_NOTIFICATION_CONFIG,
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

function tell(
  customerId: string,
  customer: CustomerState,
  source: { readonly eventId: string; readonly occurredAt: string },
  change: Change,
  config: NotificationConfig,
): Decision {
  if (customer.handledEventIds.has(source.eventId)) return NOTHING;
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
    },
  };
  return { facts: [fact], notifications };
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
  const order = orderMemoryOf(customer, data.orderId);
  switch (data.status) {
    case 'backordered':
      return noteBackorder(data.customerId, data.orderId, customer);
    case 'confirmed': {
      // Allocated units only ever come from a backorder: they prove the order waited even when nothing about the
      // wait has been read yet (the backorder events travel on inventory.events, not with the order).
      const waitedOnce = order.backordered || data.lines.some((line) => line.allocated > 0);
      if (waitedOnce || order.confirmedNotified) return NOTHING;
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
      // A rejection is told line by line as out-of-stock, a cancellation by OrderCancelled.
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
  }, config);
}

function onBackInStock(
  source: NotificationInput,
  data: BackInStockData,
  state: NotificationState,
  config: NotificationConfig,
): Decision {
  // A BackInStock older than the out-of-stock can only be a redelivery from before it: the stock it announced was gone
  // by the time the customer was told, so it is no news for them.
  const afterTheyWereTold = awaitingRestock(state, data.sku).filter(
    (waiting) => Date.parse(source.occurredAt) >= Date.parse(waiting.since),
  );
  const decisions = afterTheyWereTold.map(({ customerId, customer, orderId }) =>
    customer.handledEventIds.has(source.eventId)
      ? toldAlready(customerId, source, data.sku, orderId)
      : tell(customerId, customer, source, {
          kind: 'back-in-stock',
          orderId,
          sku: data.sku,
          facts: { sku: data.sku, available: data.available, orderId },
        }, config),
  );
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
      if (orderMemoryOf(customer, orderId).cancelledNotified) return NOTHING;
      return tell(customerId, customer, input, {
        kind: 'order-cancelled',
        orderId,
        sku: null,
        facts: { orderId, reason },
      }, config);
    }
    case 'BackorderQueued': {
      const { orderId, customerId, sku, quantity, position, expectedAt } = input.data;
      return tell(customerId, customerStateOf(state, customerId), input, {
        kind: 'backordered',
        orderId,
        sku,
        facts: { orderId, sku, quantity, position, expectedAt },
      }, config);
    }
    case 'BackorderAllocated': {
      const { orderId, customerId, sku, quantity, remaining } = input.data;
      return tell(customerId, customerStateOf(state, customerId), input, {
        kind: 'backorder-allocated',
        orderId,
        sku,
        facts: { orderId, sku, quantity, remaining },
      }, config);
    }
    case 'BackorderEtaChanged':
      return onEtaChanged(input, input.data, customerStateOf(state, input.data.customerId), config);
    case 'StockUnavailable': {
      const { orderId, customerId, sku, quantity, substitutes } = input.data;
      return tell(customerId, customerStateOf(state, customerId), input, {
        kind: 'out-of-stock',
        orderId,
        sku,
        facts: { orderId, sku, quantity, substitutes },
      }, config);
    }
    case 'BackInStock':
      return onBackInStock(input, input.data, state, config);
    default:
      return assertNever(input);
  }
}
