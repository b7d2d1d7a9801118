// What the notification service needs from order.events: the customer's email address with the order, every status
// change with the lines as the customer sees them, cancellations, shipments (with the carrier and tracking id), line
// cancels and accepted substitutes. Each message is checked against the service's
// own path before the pact records it: the published decoder on the raw bytes, then the handler's type filter and
// notification-input.mapper.ts, which must give the notification domain the input below.
// Written to pacts/notification-service-order-service.json.
import { describe, expect, it } from '@jest/globals';
import type { MessageType } from '@fulfillment/contracts';
import {
  ISO_INSTANT,
  MessageConsumerContract,
  ORDER_MESSAGES as ORDERS,
  PACT_EXAMPLE as X,
  type MessageExpectation,
} from '@fulfillment/testing';
import { expectInput, inputFor } from './support/notification-input.js';

const orders = MessageConsumerContract.of('notification-service', 'order-service');

const PLACED_AT = '2026-11-27T09:58:12.431Z';

/** How the one line (2 units) of an order in a status pact stands; the other counts are 0. */
type LineCounts = { reserved: number; backordered: number; shipped: number };

/** An OrderStatusChanged event of an order in `status`, its line counted as `counts` and promised for `expectedAt`. */
function statusChanged(status: string, counts: LineCounts, expectedAt: string | null): MessageExpectation<'OrderStatusChanged'> {
  return {
    description: `an OrderStatusChanged event for a ${status} order`,
    type: 'OrderStatusChanged',
    subject: X.orderId,
    data: (m) => ({
      orderId: m.like(X.orderId),
      customerId: m.like(X.customerId),
      status,
      lines: m.eachLike({
        lineId: m.like(X.lineId),
        sku: m.like(X.sku),
        quantity: m.integer(2),
        reserved: m.integer(counts.reserved),
        allocated: m.integer(0),
        backordered: m.integer(counts.backordered),
        unavailable: m.integer(0),
        released: m.integer(0),
        shipped: m.integer(counts.shipped),
        expectedAt: expectedAt === null ? null : m.datetime(ISO_INSTANT, expectedAt),
      }),
    }),
  };
}

/** The data the domain must be handed for `statusChanged(status, counts, expectedAt)`. */
const statusView = (status: string, counts: LineCounts, expectedAt: string | null) => ({
  orderId: X.orderId,
  customerId: X.customerId,
  status,
  lines: [{ lineId: X.lineId, sku: X.sku, quantity: 2, allocated: 0, unavailable: 0, released: 0, ...counts, expectedAt }],
});

const CONFIRMED = { reserved: 2, backordered: 0, shipped: 0 };
const BACKORDERED = { reserved: 0, backordered: 2, shipped: 0 };

/** Each message, and the data of the input the domain must be handed for it. */
const CASES: [title: string, message: MessageExpectation<MessageType>, data: unknown][] = [
  [
    "OrderPlaced: remembers the customer's email address for the order",
    {
      description: "an OrderPlaced event with the customer's email address",
      type: 'OrderPlaced',
      subject: X.orderId,
      data: (m) => ({
        orderId: m.like(X.orderId),
        customerId: m.like(X.customerId),
        // Optional in the contract: without it the customer is told in the app only.
        email: m.like(X.email),
        lines: m.eachLike({ lineId: m.like(X.lineId), sku: m.like(X.sku), quantity: m.integer(3) }),
        placedAt: m.datetime(ISO_INSTANT, PLACED_AT),
      }),
    } satisfies MessageExpectation<'OrderPlaced'>,
    {
      orderId: X.orderId,
      customerId: X.customerId,
      email: X.email,
      lines: [{ lineId: X.lineId, sku: X.sku, quantity: 3 }],
      placedAt: PLACED_AT,
    },
  ],
  [
    'OrderStatusChanged for a confirmed order: the status and line views, with no promised date',
    statusChanged('confirmed', CONFIRMED, null),
    statusView('confirmed', CONFIRMED, null),
  ],
  [
    'OrderStatusChanged for a backordered order: the waiting units with their promised date',
    statusChanged('backordered', BACKORDERED, X.expectedAt),
    statusView('backordered', BACKORDERED, X.expectedAt),
  ],
  [
    'OrderCancelled: the order, its customer and the reason',
    ORDERS.orderCancelled,
    { orderId: X.orderId, customerId: X.customerId, reason: 'customer-request' },
  ],
  [
    'OrderShipped: what left, with the carrier and the tracking id to tell the customer',
    ORDERS.orderShipped,
    {
      orderId: X.orderId,
      customerId: X.customerId,
      shipmentId: 'shp-2026-004417',
      lines: [{ lineId: X.lineId, sku: X.sku, quantity: 2 }],
      carrier: 'DHL',
      trackingId: 'JD014600006281234567',
    },
  ],
  [
    'OrderLineCancelled: the line, its SKU and how many units were given up',
    ORDERS.orderLineCancelled,
    { orderId: X.orderId, customerId: X.customerId, lineId: X.lineId, sku: X.sku, quantity: 2, reason: 'customer-request' },
  ],
  [
    'OrderLineSubstituted: the SKU taken instead, and the new line inventory answers next',
    ORDERS.orderLineSubstituted,
    {
      orderId: X.orderId,
      customerId: X.customerId,
      lineId: X.lineId,
      newLineId: `${X.orderId}-2`,
      sku: X.sku,
      substituteSku: X.substitute,
      quantity: 2,
      waiting: 2,
    },
  ],
];

describe('notification-service reads order-service orders', () => {
  it.each(CASES)('%s', (_title, message, data) => orders.expect(message, (envelope) => expectInput(envelope, data)));

  it('OrderStatusChanged for a shipped order: every unit shipped, which closes what is kept about the order', () =>
    orders.expect(statusChanged('shipped', { reserved: 0, backordered: 0, shipped: 2 }, null), (envelope) => {
      expect(inputFor(envelope)).toMatchObject({
        type: 'OrderStatusChanged',
        data: { status: 'shipped', lines: [expect.objectContaining({ lineId: X.lineId, shipped: 2, reserved: 0 })] },
      });
    }));
});
