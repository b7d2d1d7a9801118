// What the notification service needs from inventory.events: the changes a customer is told about (backordered,
// allocated, new date, out of stock) and free stock reappearing (back in stock). Each message is checked against the
// service's own path before the pact records it: the published decoder on the raw bytes, then the handler's type
// filter and notification-input.mapper.ts, which must give the notification domain the input below.
// Written to pacts/notification-service-inventory-service.json.
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { AnyEnvelope } from '@fulfillment/contracts';
import { isNotificationInputType, type NotificationInput } from '@fulfillment/notification-domain';
import { ISO_INSTANT, MessageConsumerContract, PACT_EXAMPLE as X } from '@fulfillment/testing';
import type { MatchersV3 } from '@pact-foundation/pact';
import { toNotificationInput } from '../../src/notify-customer/notification-input.mapper.js';

let inventory: MessageConsumerContract;

beforeAll(async () => {
  inventory = await MessageConsumerContract.create('notification-service', 'inventory-service');
});

/** What NotifyCustomerHandler hands the domain for one message: undefined for a type it skips. */
function inputFor(envelope: AnyEnvelope): NotificationInput | undefined {
  return isNotificationInputType(envelope.type) ? toNotificationInput(envelope) : undefined;
}

/** The order line and the customer to tell; all four are read. */
const line = (m: typeof MatchersV3) => ({
  sku: m.like(X.sku),
  orderId: m.like(X.orderId),
  lineId: m.like(X.lineId),
  customerId: m.like(X.customerId),
});
const LINE = { sku: X.sku, orderId: X.orderId, lineId: X.lineId, customerId: X.customerId };

describe('notification-service reads inventory-service changes customers are told about', () => {
  it('BackorderQueued: the line waits in the queue with a promised date', () =>
    inventory.expect(
      {
        description: 'a BackorderQueued event with a promised date',
        type: 'BackorderQueued',
        subject: X.sku,
        data: (m) => ({
          ...line(m),
          quantity: m.integer(2),
          position: m.integer(4),
          expectedAt: m.datetime(ISO_INSTANT, X.expectedAt),
          preorder: m.like(false),
          substitutes: m.like([]),
        }),
      },
      (envelope) => {
        expect(inputFor(envelope)).toEqual({
          type: 'BackorderQueued',
          eventId: envelope.id,
          occurredAt: envelope.time,
          data: { ...LINE, quantity: 2, position: 4, expectedAt: X.expectedAt, preorder: false, substitutes: [] },
        });
      },
    ));

  it('BackorderAllocated: units were allocated and some may still wait', () =>
    inventory.expect(
      {
        description: 'a BackorderAllocated event',
        type: 'BackorderAllocated',
        subject: X.sku,
        data: (m) => ({ ...line(m), quantity: m.integer(1), remaining: m.integer(1) }),
      },
      (envelope) => {
        expect(inputFor(envelope)).toEqual({
          type: 'BackorderAllocated',
          eventId: envelope.id,
          occurredAt: envelope.time,
          data: { ...LINE, quantity: 1, remaining: 1 },
        });
      },
    ));

  it('BackorderEtaChanged: the promised date moved, and from when', () =>
    inventory.expect(
      {
        description: 'a BackorderEtaChanged event',
        type: 'BackorderEtaChanged',
        subject: X.sku,
        data: (m) => ({
          ...line(m),
          previousExpectedAt: m.datetime(ISO_INSTANT, X.expectedAt),
          expectedAt: m.datetime(ISO_INSTANT, X.laterExpectedAt),
        }),
      },
      (envelope) => {
        expect(inputFor(envelope)).toEqual({
          type: 'BackorderEtaChanged',
          eventId: envelope.id,
          occurredAt: envelope.time,
          data: { ...LINE, previousExpectedAt: X.expectedAt, expectedAt: X.laterExpectedAt },
        });
      },
    ));

  it('BackorderEtaChanged without a new date: the customer is told the date is withdrawn', () =>
    inventory.expect(
      {
        description: 'a BackorderEtaChanged event that withdraws the promised date',
        type: 'BackorderEtaChanged',
        subject: X.sku,
        data: (m) => ({ ...line(m), previousExpectedAt: m.datetime(ISO_INSTANT, X.expectedAt), expectedAt: null }),
      },
      (envelope) => {
        expect(inputFor(envelope)).toEqual({
          type: 'BackorderEtaChanged',
          eventId: envelope.id,
          occurredAt: envelope.time,
          data: { ...LINE, previousExpectedAt: X.expectedAt, expectedAt: null },
        });
      },
    ));

  it('StockUnavailable: the units are out of stock, and the substitutes to suggest', () =>
    inventory.expect(
      {
        description: 'a StockUnavailable event naming substitutes',
        type: 'StockUnavailable',
        subject: X.sku,
        data: (m) => ({ ...line(m), quantity: m.integer(3), substitutes: m.eachLike(X.substitute) }),
      },
      (envelope) => {
        expect(inputFor(envelope)).toEqual({
          type: 'StockUnavailable',
          eventId: envelope.id,
          occurredAt: envelope.time,
          data: { ...LINE, quantity: 3, substitutes: [X.substitute] },
        });
      },
    ));

  it('BackInStock: the SKU has free stock again', () =>
    inventory.expect(
      {
        description: 'a BackInStock event',
        type: 'BackInStock',
        subject: X.sku,
        data: (m) => ({ sku: m.like(X.sku), available: m.integer(12) }),
      },
      (envelope) => {
        expect(inputFor(envelope)).toEqual({
          type: 'BackInStock',
          eventId: envelope.id,
          occurredAt: envelope.time,
          data: { sku: X.sku, available: 12 },
        });
      },
    ));
});
