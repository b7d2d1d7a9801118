// Builders and a given/when helper for the specs; excluded from the library build.
import { NO_UNITS } from '@fulfillment/kernel';
import type { NotificationInput, OrderLineView } from './notification-input.js';
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

type InputOf<Type extends NotificationInput['type']> = Extract<NotificationInput, { type: Type }>;
type DataOf<Type extends NotificationInput['type']> = InputOf<Type>['data'];

/** The builder of one input type: `defaults(occurredAt)` is the data a test does not set, `at` its default time. */
function builder<Type extends NotificationInput['type']>(type: Type, defaults: (occurredAt: string) => DataOf<Type>, at = T0) {
  return (e: Envelope, data: Partial<DataOf<Type>> = {}): NotificationInput => {
    const occurredAt = e.occurredAt ?? at;
    const input = { type, eventId: e.eventId, occurredAt, data: { ...defaults(occurredAt), ...data } };
    // `data` is of `type`, which the compiler cannot follow through a type parameter.
    return input as unknown as InputOf<Type>;
  };
}

/** The line every per-line input names unless told otherwise. */
const LINE_1 = { sku: 'SKU-A', orderId: 'order-1', lineId: 'line-1', customerId: 'customer-1' } as const;
const ORDER_1 = { orderId: 'order-1', customerId: 'customer-1' } as const;
const unitsOfLine1 = () => [{ lineId: 'line-1', sku: 'SKU-A', quantity: 2 }];

export function line(view: Partial<OrderLineView> = {}): OrderLineView {
  return {
    lineId: 'line-1',
    sku: 'SKU-A',
    quantity: 2,
    ...NO_UNITS,
    reserved: 2,
    expectedAt: null,
    ...view,
  };
}

export const orderPlaced = builder('OrderPlaced', (at) => ({ ...ORDER_1, lines: unitsOfLine1(), placedAt: at }));
export const statusChanged = builder('OrderStatusChanged', () => ({ ...ORDER_1, status: 'confirmed', lines: [line()] }));
export const orderCancelled = builder('OrderCancelled', () => ({ ...ORDER_1, reason: 'customer request' }));
export const backorderQueued = builder('BackorderQueued', () => ({
  ...LINE_1,
  quantity: 3,
  position: 2,
  expectedAt: '2026-12-08T09:00:00.000Z',
  preorder: false,
  substitutes: [],
}));
export const backorderAllocated = builder('BackorderAllocated', () => ({ ...LINE_1, quantity: 2, remaining: 1 }));
export const etaChanged = builder('BackorderEtaChanged', () => ({
  ...LINE_1,
  previousExpectedAt: '2026-12-08T09:00:00.000Z',
  expectedAt: '2026-12-15T09:00:00.000Z',
}));
export const stockUnavailable = builder('StockUnavailable', () => ({ ...LINE_1, quantity: 2, substitutes: ['SKU-B'] }));
export const backorderReleased = builder('BackorderReleased', () => ({ ...LINE_1, quantity: 2, reason: 'expired' }));
export const orderShipped = builder('OrderShipped', () => ({
  ...ORDER_1,
  shipmentId: 'shp-1',
  lines: unitsOfLine1(),
  carrier: 'DHL',
  trackingId: 'JD0146',
}));
export const lineCancelled = builder('OrderLineCancelled', () => ({
  ...ORDER_1,
  lineId: 'line-1',
  sku: 'SKU-A',
  quantity: 1,
  reason: 'customer request',
}));
export const lineSubstituted = builder('OrderLineSubstituted', () => ({
  ...ORDER_1,
  lineId: 'line-1',
  newLineId: 'order-1-2',
  sku: 'SKU-A',
  substituteSku: 'SKU-B',
  quantity: 2,
  waiting: 0,
}));
/**
 * Stock comes back after the refusals the other builders date T0: inventory dates a SKU's decisions strictly apart, and
 * a BackInStock as old as an out-of-stock was decided before it.
 */
export const backInStock = builder('BackInStock', () => ({ sku: 'SKU-A', available: 5 }), '2026-11-27T10:01:00.000Z');

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
