// What the notification service needs from order.events: the customer's email address with the order, every status
// change with the lines as the customer sees them, and cancellations. Each message is checked against the service's
// own path before the pact records it: the published decoder on the raw bytes, then the handler's type filter and
// notification-input.mapper.ts, which must give the notification domain the input below.
// Written to pacts/notification-service-order-service.json.
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { AnyEnvelope } from '@fulfillment/contracts';
import { isNotificationInputType, type NotificationInput } from '@fulfillment/notification-domain';
import { ISO_INSTANT, MessageConsumerContract, PACT_EXAMPLE as X } from '@fulfillment/testing';
import { toNotificationInput } from '../../src/notify-customer/notification-input.mapper.js';

let orders: MessageConsumerContract;

beforeAll(async () => {
  orders = await MessageConsumerContract.create('notification-service', 'order-service');
});

/** What NotifyCustomerHandler hands the domain for one message: undefined for a type it skips. */
function inputFor(envelope: AnyEnvelope): NotificationInput | undefined {
  return isNotificationInputType(envelope.type) ? toNotificationInput(envelope) : undefined;
}

const PLACED_AT = '2026-11-27T09:58:12.431Z';

describe('notification-service reads order-service orders', () => {
  it("OrderPlaced: remembers the customer's email address for the order", () =>
    orders.expect(
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
      },
      (envelope) => {
        expect(inputFor(envelope)).toEqual({
          type: 'OrderPlaced',
          eventId: envelope.id,
          occurredAt: envelope.time,
          data: {
            orderId: X.orderId,
            customerId: X.customerId,
            email: X.email,
            lines: [{ lineId: X.lineId, sku: X.sku, quantity: 3 }],
            placedAt: PLACED_AT,
          },
        });
      },
    ));

  it('OrderStatusChanged for a confirmed order: the status and line views, with no promised date', () =>
    orders.expect(
      {
        description: 'an OrderStatusChanged event for a confirmed order',
        type: 'OrderStatusChanged',
        subject: X.orderId,
        data: (m) => ({
          orderId: m.like(X.orderId),
          customerId: m.like(X.customerId),
          status: 'confirmed',
          lines: m.eachLike({
            lineId: m.like(X.lineId),
            sku: m.like(X.sku),
            quantity: m.integer(2),
            reserved: m.integer(2),
            allocated: m.integer(0),
            backordered: m.integer(0),
            unavailable: m.integer(0),
            released: m.integer(0),
            shipped: m.integer(0),
            expectedAt: null,
          }),
        }),
      },
      (envelope) => {
        expect(inputFor(envelope)).toEqual({
          type: 'OrderStatusChanged',
          eventId: envelope.id,
          occurredAt: envelope.time,
          data: {
            orderId: X.orderId,
            customerId: X.customerId,
            status: 'confirmed',
            lines: [
              { lineId: X.lineId, sku: X.sku, quantity: 2, reserved: 2, allocated: 0, backordered: 0, unavailable: 0, released: 0, shipped: 0, expectedAt: null },
            ],
          },
        });
      },
    ));

  it('OrderStatusChanged for a backordered order: the waiting units with their promised date', () =>
    orders.expect(
      {
        description: 'an OrderStatusChanged event for a backordered order',
        type: 'OrderStatusChanged',
        subject: X.orderId,
        data: (m) => ({
          orderId: m.like(X.orderId),
          customerId: m.like(X.customerId),
          status: 'backordered',
          lines: m.eachLike({
            lineId: m.like(X.lineId),
            sku: m.like(X.sku),
            quantity: m.integer(2),
            reserved: m.integer(0),
            allocated: m.integer(0),
            backordered: m.integer(2),
            unavailable: m.integer(0),
            released: m.integer(0),
            shipped: m.integer(0),
            expectedAt: m.datetime(ISO_INSTANT, X.expectedAt),
          }),
        }),
      },
      (envelope) => {
        expect(inputFor(envelope)).toEqual({
          type: 'OrderStatusChanged',
          eventId: envelope.id,
          occurredAt: envelope.time,
          data: {
            orderId: X.orderId,
            customerId: X.customerId,
            status: 'backordered',
            lines: [
              {
                lineId: X.lineId,
                sku: X.sku,
                quantity: 2,
                reserved: 0,
                allocated: 0,
                backordered: 2,
                unavailable: 0,
                released: 0,
                shipped: 0,
                expectedAt: X.expectedAt,
              },
            ],
          },
        });
      },
    ));

  it('OrderCancelled: the order, its customer and the reason', () =>
    orders.expect(
      {
        description: 'an OrderCancelled event',
        type: 'OrderCancelled',
        subject: X.orderId,
        data: (m) => ({ orderId: m.like(X.orderId), customerId: m.like(X.customerId), reason: m.like('customer-request') }),
      },
      (envelope) => {
        expect(inputFor(envelope)).toEqual({
          type: 'OrderCancelled',
          eventId: envelope.id,
          occurredAt: envelope.time,
          data: { orderId: X.orderId, customerId: X.customerId, reason: 'customer-request' },
        });
      },
    ));
});
