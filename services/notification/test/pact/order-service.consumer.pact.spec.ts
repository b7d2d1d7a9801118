// What the notification service needs from order.events: the customer's email address with the order, every status
// change with the lines as the customer sees them, cancellations, shipments (with the carrier and tracking id), line
// cancels and accepted substitutes. Each message is checked against the service's
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

  it('OrderShipped: what left, with the carrier and the tracking id to tell the customer', () =>
    orders.expect(
      {
        description: 'an OrderShipped event',
        type: 'OrderShipped',
        subject: X.orderId,
        data: (m) => ({
          orderId: m.like(X.orderId),
          customerId: m.like(X.customerId),
          shipmentId: m.like('shp-2026-004417'),
          lines: m.eachLike({ lineId: m.like(X.lineId), sku: m.like(X.sku), quantity: m.integer(2) }),
          carrier: m.like('DHL'),
          trackingId: m.like('JD014600006281234567'),
        }),
      },
      (envelope) => {
        expect(inputFor(envelope)).toEqual({
          type: 'OrderShipped',
          eventId: envelope.id,
          occurredAt: envelope.time,
          data: {
            orderId: X.orderId,
            customerId: X.customerId,
            shipmentId: 'shp-2026-004417',
            lines: [{ lineId: X.lineId, sku: X.sku, quantity: 2 }],
            carrier: 'DHL',
            trackingId: 'JD014600006281234567',
          },
        });
      },
    ));

  it('OrderLineCancelled: the line, its SKU and how many units were given up', () =>
    orders.expect(
      {
        description: 'an OrderLineCancelled event',
        type: 'OrderLineCancelled',
        subject: X.orderId,
        data: (m) => ({
          orderId: m.like(X.orderId),
          customerId: m.like(X.customerId),
          lineId: m.like(X.lineId),
          sku: m.like(X.sku),
          quantity: m.integer(2),
          reason: m.like('customer-request'),
        }),
      },
      (envelope) => {
        expect(inputFor(envelope)).toEqual({
          type: 'OrderLineCancelled',
          eventId: envelope.id,
          occurredAt: envelope.time,
          data: { orderId: X.orderId, customerId: X.customerId, lineId: X.lineId, sku: X.sku, quantity: 2, reason: 'customer-request' },
        });
      },
    ));

  it('OrderLineSubstituted: the SKU taken instead, and the new line inventory answers next', () =>
    orders.expect(
      {
        description: 'an OrderLineSubstituted event',
        type: 'OrderLineSubstituted',
        subject: X.orderId,
        data: (m) => ({
          orderId: m.like(X.orderId),
          customerId: m.like(X.customerId),
          lineId: m.like(X.lineId),
          newLineId: m.like(`${X.orderId}-2`),
          sku: m.like(X.sku),
          substituteSku: m.like(X.substitute),
          quantity: m.integer(2),
          waiting: m.integer(2),
        }),
      },
      (envelope) => {
        expect(inputFor(envelope)).toEqual({
          type: 'OrderLineSubstituted',
          eventId: envelope.id,
          occurredAt: envelope.time,
          data: {
            orderId: X.orderId,
            customerId: X.customerId,
            lineId: X.lineId,
            newLineId: `${X.orderId}-2`,
            sku: X.sku,
            substituteSku: X.substitute,
            quantity: 2,
            waiting: 2,
          },
        });
      },
    ));

  it('OrderStatusChanged for a shipped order: every unit shipped, which closes what is kept about the order', () =>
    orders.expect(
      {
        description: 'an OrderStatusChanged event for a shipped order',
        type: 'OrderStatusChanged',
        subject: X.orderId,
        data: (m) => ({
          orderId: m.like(X.orderId),
          customerId: m.like(X.customerId),
          status: 'shipped',
          lines: m.eachLike({
            lineId: m.like(X.lineId),
            sku: m.like(X.sku),
            quantity: m.integer(2),
            reserved: m.integer(0),
            allocated: m.integer(0),
            backordered: m.integer(0),
            unavailable: m.integer(0),
            released: m.integer(0),
            shipped: m.integer(2),
            expectedAt: null,
          }),
        }),
      },
      (envelope) => {
        expect(inputFor(envelope)).toMatchObject({
          type: 'OrderStatusChanged',
          data: { status: 'shipped', lines: [expect.objectContaining({ lineId: X.lineId, shipped: 2, reserved: 0 })] },
        });
      },
    ));
});

