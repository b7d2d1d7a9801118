// Builders and a given/when helper for the specs; excluded from the library build.
import type {
  BackInStockData,
  BackorderAllocatedData,
  BackorderEtaChangedData,
  BackorderQueuedData,
  BackorderReleasedData,
  NotificationInput,
  OrderCancelledData,
  OrderLineCancelledData,
  OrderLineSubstitutedData,
  OrderLineView,
  OrderPlacedData,
  OrderShippedData,
  OrderStatusChangedData,
  StockUnavailableData,
} from './notification-input.js';
import {
  DEFAULT_NOTIFICATION_CONFIG,
  evolve,
  initialState,
  type Notification,
  type NotificationConfig,
  type NotificationFact,
  type NotificationState,
} from './notification.js';
import { decide, type Decision } from './notification.decide.js';

interface Envelope {
  readonly eventId: string;
  readonly occurredAt?: string;
}

const T0 = '2026-11-27T10:00:00.000Z';

export function orderPlaced(e: Envelope, data: Partial<OrderPlacedData> = {}): NotificationInput {
  return {
    type: 'OrderPlaced',
    eventId: e.eventId,
    occurredAt: e.occurredAt ?? T0,
    data: {
      orderId: 'order-1',
      customerId: 'customer-1',
      lines: [{ lineId: 'line-1', sku: 'SKU-A', quantity: 2 }],
      placedAt: e.occurredAt ?? T0,
      ...data,
    },
  };
}

export function line(view: Partial<OrderLineView> = {}): OrderLineView {
  return {
    lineId: 'line-1',
    sku: 'SKU-A',
    quantity: 2,
    reserved: 2,
    allocated: 0,
    backordered: 0,
    unavailable: 0,
    released: 0,
    shipped: 0,
    expectedAt: null,
    ...view,
  };
}

export function statusChanged(e: Envelope, data: Partial<OrderStatusChangedData> = {}): NotificationInput {
  return {
    type: 'OrderStatusChanged',
    eventId: e.eventId,
    occurredAt: e.occurredAt ?? T0,
    data: { orderId: 'order-1', customerId: 'customer-1', status: 'confirmed', lines: [line()], ...data },
  };
}

export function orderCancelled(e: Envelope, data: Partial<OrderCancelledData> = {}): NotificationInput {
  return {
    type: 'OrderCancelled',
    eventId: e.eventId,
    occurredAt: e.occurredAt ?? T0,
    data: { orderId: 'order-1', customerId: 'customer-1', reason: 'customer request', ...data },
  };
}

export function backorderQueued(e: Envelope, data: Partial<BackorderQueuedData> = {}): NotificationInput {
  return {
    type: 'BackorderQueued',
    eventId: e.eventId,
    occurredAt: e.occurredAt ?? T0,
    data: {
      sku: 'SKU-A',
      orderId: 'order-1',
      lineId: 'line-1',
      customerId: 'customer-1',
      quantity: 3,
      position: 2,
      expectedAt: '2026-12-08T09:00:00.000Z',
      preorder: false,
      substitutes: [],
      ...data,
    },
  };
}

export function backorderAllocated(e: Envelope, data: Partial<BackorderAllocatedData> = {}): NotificationInput {
  return {
    type: 'BackorderAllocated',
    eventId: e.eventId,
    occurredAt: e.occurredAt ?? T0,
    data: {
      sku: 'SKU-A',
      orderId: 'order-1',
      lineId: 'line-1',
      customerId: 'customer-1',
      quantity: 2,
      remaining: 1,
      ...data,
    },
  };
}

export function etaChanged(e: Envelope, data: Partial<BackorderEtaChangedData> = {}): NotificationInput {
  return {
    type: 'BackorderEtaChanged',
    eventId: e.eventId,
    occurredAt: e.occurredAt ?? T0,
    data: {
      sku: 'SKU-A',
      orderId: 'order-1',
      lineId: 'line-1',
      customerId: 'customer-1',
      previousExpectedAt: '2026-12-08T09:00:00.000Z',
      expectedAt: '2026-12-15T09:00:00.000Z',
      ...data,
    },
  };
}

export function stockUnavailable(e: Envelope, data: Partial<StockUnavailableData> = {}): NotificationInput {
  return {
    type: 'StockUnavailable',
    eventId: e.eventId,
    occurredAt: e.occurredAt ?? T0,
    data: {
      sku: 'SKU-A',
      orderId: 'order-1',
      lineId: 'line-1',
      customerId: 'customer-1',
      quantity: 2,
      substitutes: ['SKU-B'],
      ...data,
    },
  };
}

export function backorderReleased(e: Envelope, data: Partial<BackorderReleasedData> = {}): NotificationInput {
  return {
    type: 'BackorderReleased',
    eventId: e.eventId,
    occurredAt: e.occurredAt ?? T0,
    data: { sku: 'SKU-A', orderId: 'order-1', lineId: 'line-1', customerId: 'customer-1', quantity: 2, reason: 'expired', ...data },
  };
}

export function orderShipped(e: Envelope, data: Partial<OrderShippedData> = {}): NotificationInput {
  return {
    type: 'OrderShipped',
    eventId: e.eventId,
    occurredAt: e.occurredAt ?? T0,
    data: {
      orderId: 'order-1',
      customerId: 'customer-1',
      shipmentId: 'shp-1',
      lines: [{ lineId: 'line-1', sku: 'SKU-A', quantity: 2 }],
      carrier: 'DHL',
      trackingId: 'JD0146',
      ...data,
    },
  };
}

export function lineCancelled(e: Envelope, data: Partial<OrderLineCancelledData> = {}): NotificationInput {
  return {
    type: 'OrderLineCancelled',
    eventId: e.eventId,
    occurredAt: e.occurredAt ?? T0,
    data: { orderId: 'order-1', customerId: 'customer-1', lineId: 'line-1', sku: 'SKU-A', quantity: 1, reason: 'customer request', ...data },
  };
}

export function lineSubstituted(e: Envelope, data: Partial<OrderLineSubstitutedData> = {}): NotificationInput {
  return {
    type: 'OrderLineSubstituted',
    eventId: e.eventId,
    occurredAt: e.occurredAt ?? T0,
    data: {
      orderId: 'order-1',
      customerId: 'customer-1',
      lineId: 'line-1',
      newLineId: 'order-1-2',
      sku: 'SKU-A',
      substituteSku: 'SKU-B',
      quantity: 2,
      waiting: 0,
      ...data,
    },
  };
}

export function backInStock(e: Envelope, data: Partial<BackInStockData> = {}): NotificationInput {
  return {
    type: 'BackInStock',
    eventId: e.eventId,
    occurredAt: e.occurredAt ?? T0,
    data: { sku: 'SKU-A', available: 5, ...data },
  };
}

export interface Run {
  readonly state: NotificationState;
  readonly facts: readonly NotificationFact[];
  readonly notifications: readonly Notification[];
}

/** Delivers `inputs` one by one the way the service does: decide on the current state, then evolve with the facts. */
export function run(
  inputs: readonly NotificationInput[],
  config: NotificationConfig = DEFAULT_NOTIFICATION_CONFIG,
  from: NotificationState = initialState,
): Run {
  let state = from;
  const facts: NotificationFact[] = [];
  const notifications: Notification[] = [];
  for (const input of inputs) {
    const decision = decide(input, state, config);
    state = decision.facts.reduce(evolve, state);
    facts.push(...decision.facts);
    notifications.push(...decision.notifications);
  }
  return { state, facts, notifications };
}

/** `given(history).when(input)`: the decision on `input` after `history` was delivered. */
export function given(history: readonly NotificationInput[], config: NotificationConfig = DEFAULT_NOTIFICATION_CONFIG) {
  const before = run(history, config);
  return {
    state: before.state,
    when(input: NotificationInput): Decision {
      return decide(input, before.state, config);
    },
  };
}
