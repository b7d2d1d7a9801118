// What the order service needs from inventory.events: inventory's answer for each order line. Each message is
// checked against the service's own path before the pact records it: the published decoder on the raw bytes, then
// the Kafka controller's filter and mapper (inventory-events.mapper.ts), which must turn it into the order command
// below. Written to pacts/order-service-inventory-service.json; inventory-service verifies it.
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { AnyEnvelope } from '@fulfillment/contracts';
import { ISO_INSTANT, MessageConsumerContract, PACT_EXAMPLE as X } from '@fulfillment/testing';
import type { MatchersV3 } from '@pact-foundation/pact';
import { isInventoryOutcome, orderWorkOfOutcome } from '../../src/inventory-events/inventory-events.mapper.js';
import type { OrderWork } from '../../src/order/order.pipeline.js';

const NOW = '2026-11-27T10:00:05.000Z';

/** The order line an answer is about; the order reads orderId and lineId, the decoder requires the other two. */
const line = (m: typeof MatchersV3) => ({
  sku: m.like(X.sku),
  orderId: m.like(X.orderId),
  lineId: m.like(X.lineId),
  customerId: m.like(X.customerId),
});

/** The Kafka controller's own decision for one message: an inventory outcome becomes work on its order. */
function workFor(envelope: AnyEnvelope): OrderWork | null {
  return isInventoryOutcome(envelope) ? orderWorkOfOutcome(envelope, NOW) : null;
}

/** The work the order service must derive: the command for the line, caused by the message, in its flow. */
const expectedWork = (envelope: AnyEnvelope, command: OrderWork['command']): OrderWork => ({
  id: X.orderId,
  command,
  at: NOW,
  cause: { correlationId: envelope.correlationid, causationId: envelope.id },
});

let inventory: MessageConsumerContract;

beforeAll(async () => {
  inventory = await MessageConsumerContract.create('order-service', 'inventory-service');
});

describe('order-service reads inventory-service answers about its lines', () => {
  it('StockReserved: records the reserved units on the line', () =>
    inventory.expect(
      { description: 'a StockReserved event', type: 'StockReserved', subject: X.sku, data: (m) => ({ ...line(m), quantity: m.integer(2) }) },
      (envelope) => {
        expect(workFor(envelope)).toEqual(
          expectedWork(envelope, { type: 'RecordStockReserved', data: { lineId: X.lineId, quantity: 2, eventId: envelope.id } }),
        );
      },
    ));

  it('BackorderQueued: records the waiting units and their promised date', () =>
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
        expect(workFor(envelope)).toEqual(
          expectedWork(envelope, {
            type: 'RecordBackorderQueued',
            data: { lineId: X.lineId, quantity: 2, expectedAt: X.expectedAt, substitutes: [], eventId: envelope.id },
          }),
        );
      },
    ));

  it('BackorderAllocated: moves the allocated units out of the backorder', () =>
    inventory.expect(
      {
        description: 'a BackorderAllocated event',
        type: 'BackorderAllocated',
        subject: X.sku,
        data: (m) => ({ ...line(m), quantity: m.integer(1), remaining: m.integer(1) }),
      },
      (envelope) => {
        expect(workFor(envelope)).toEqual(
          expectedWork(envelope, { type: 'RecordBackorderAllocated', data: { lineId: X.lineId, quantity: 1, eventId: envelope.id } }),
        );
      },
    ));

  it('BackorderEtaChanged: moves the promised date of the line', () =>
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
        expect(workFor(envelope)).toEqual(
          expectedWork(envelope, {
            type: 'RecordBackorderEtaChanged',
            data: { lineId: X.lineId, expectedAt: X.laterExpectedAt, eventId: envelope.id },
          }),
        );
      },
    ));

  it('BackorderEtaChanged without a new date: the line keeps waiting with no promised date', () =>
    inventory.expect(
      {
        description: 'a BackorderEtaChanged event that withdraws the promised date',
        type: 'BackorderEtaChanged',
        subject: X.sku,
        data: (m) => ({ ...line(m), previousExpectedAt: m.datetime(ISO_INSTANT, X.expectedAt), expectedAt: null }),
      },
      (envelope) => {
        expect(workFor(envelope)).toEqual(
          expectedWork(envelope, { type: 'RecordBackorderEtaChanged', data: { lineId: X.lineId, expectedAt: null, eventId: envelope.id } }),
        );
      },
    ));

  it('BackorderReleased: records the released units of a cancelled line', () =>
    inventory.expect(
      {
        description: 'a BackorderReleased event',
        type: 'BackorderReleased',
        subject: X.sku,
        data: (m) => ({ ...line(m), quantity: m.integer(2), reason: m.like('order-cancelled') }),
      },
      (envelope) => {
        expect(workFor(envelope)).toEqual(
          expectedWork(envelope, { type: 'RecordBackorderReleased', data: { lineId: X.lineId, quantity: 2, reason: 'order-cancelled', eventId: envelope.id } }),
        );
      },
    ));

  it('StockReleased: records the reserved units given back for a cancelled line', () =>
    inventory.expect(
      {
        description: 'a StockReleased event',
        type: 'StockReleased',
        subject: X.sku,
        data: (m) => ({ ...line(m), quantity: m.integer(1), reason: m.like('order-cancelled') }),
      },
      (envelope) => {
        expect(workFor(envelope)).toEqual(
          expectedWork(envelope, { type: 'RecordStockReleased', data: { lineId: X.lineId, quantity: 1, reason: 'order-cancelled', eventId: envelope.id } }),
        );
      },
    ));

  it('StockUnavailable: records the unavailable units with the substitutes', () =>
    inventory.expect(
      {
        description: 'a StockUnavailable event naming substitutes',
        type: 'StockUnavailable',
        subject: X.sku,
        data: (m) => ({ ...line(m), quantity: m.integer(3), substitutes: m.eachLike(X.substitute) }),
      },
      (envelope) => {
        expect(workFor(envelope)).toEqual(
          expectedWork(envelope, {
            type: 'RecordStockUnavailable',
            data: { lineId: X.lineId, quantity: 3, substitutes: [X.substitute], eventId: envelope.id },
          }),
        );
      },
    ));

  it('BackorderQueued naming substitutes: the waiting line remembers them, so the customer can take one', () =>
    inventory.expect(
      {
        description: 'a BackorderQueued event naming substitutes',
        type: 'BackorderQueued',
        subject: X.sku,
        data: (m) => ({
          ...line(m),
          quantity: m.integer(2),
          position: m.integer(1),
          expectedAt: m.datetime(ISO_INSTANT, X.expectedAt),
          preorder: m.like(false),
          substitutes: m.eachLike(X.substitute),
        }),
      },
      (envelope) => {
        expect(workFor(envelope)).toEqual(
          expectedWork(envelope, {
            type: 'RecordBackorderQueued',
            data: { lineId: X.lineId, quantity: 2, expectedAt: X.expectedAt, substitutes: [X.substitute], eventId: envelope.id },
          }),
        );
      },
    ));

  it('StockShipped: checks the shipped units against the line', () =>
    inventory.expect(
      { description: 'a StockShipped event', type: 'StockShipped', subject: X.sku, data: (m) => ({ ...line(m), quantity: m.integer(2) }) },
      (envelope) => {
        expect(workFor(envelope)).toEqual(
          expectedWork(envelope, { type: 'RecordStockShipped', data: { lineId: X.lineId, quantity: 2, eventId: envelope.id } }),
        );
      },
    ));
});

