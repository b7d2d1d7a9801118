// What the order service needs from inventory.events: inventory's answer for each order line. Each message is
// checked against the service's own path before the pact records it: the published decoder on the raw bytes, then
// the Kafka controller's filter and mapper (inventory-events.mapper.ts), which must turn it into the order command
// below. Written to pacts/order-service-inventory-service.json; inventory-service verifies it.
import { describe, expect, it } from '@jest/globals';
import type { AnyEnvelope, MessageType } from '@fulfillment/contracts';
import {
  causeOf,
  INVENTORY_MESSAGES as INVENTORY,
  lineAnswer,
  MessageConsumerContract,
  PACT_EXAMPLE as X,
  type MessageExpectation,
} from '@fulfillment/testing';
import { isInventoryOutcome, orderWorkOfOutcome } from '../../src/inventory-events/inventory-events.mapper.js';
import type { OrderWork } from '../../src/order/order.pipeline.js';

const NOW = '2026-11-27T10:00:05.000Z';

/** The Kafka controller's own decision for one message: an inventory outcome becomes work on its order. */
function workFor(envelope: AnyEnvelope): OrderWork | null {
  return isInventoryOutcome(envelope) ? orderWorkOfOutcome(envelope, NOW) : null;
}

/** The work the order service must derive: the command for the line, naming the message, caused by it, in its flow. */
const expectedWork = (envelope: AnyEnvelope, type: OrderWork['command']['type'], data: object) => ({
  id: X.orderId,
  command: { type, data: { ...data, eventId: envelope.id } },
  at: NOW,
  cause: causeOf(envelope),
});

const inventory = MessageConsumerContract.of('order-service', 'inventory-service');

/** An inventory answer about `quantity` units of the line, and perhaps a reason (the release of a cancelled line). */
const unitsAnswer = <T extends MessageType>(type: T, quantity: number, reason?: string): MessageExpectation<T> =>
  lineAnswer(`a ${type} event`, type, (m) => ({ quantity: m.integer(quantity), ...(reason === undefined ? {} : { reason: m.like(reason) }) }));

/** Each answer, and the command (with the data it carries besides the message's id) it must become on the order. */
const CASES: [title: string, message: MessageExpectation<MessageType>, command: OrderWork['command']['type'], data: object][] = [
  ['StockReserved: records the reserved units on the line', unitsAnswer('StockReserved', 2), 'RecordStockReserved', { lineId: X.lineId, quantity: 2 }],
  [
    'BackorderQueued: records the waiting units and their promised date',
    INVENTORY.backorderQueued,
    'RecordBackorderQueued',
    { lineId: X.lineId, quantity: 2, expectedAt: X.expectedAt, substitutes: [] },
  ],
  [
    'BackorderAllocated: moves the allocated units out of the backorder',
    INVENTORY.backorderAllocated,
    'RecordBackorderAllocated',
    { lineId: X.lineId, quantity: 1 },
  ],
  [
    'BackorderEtaChanged: moves the promised date of the line',
    INVENTORY.backorderEtaChanged,
    'RecordBackorderEtaChanged',
    { lineId: X.lineId, expectedAt: X.laterExpectedAt },
  ],
  [
    'BackorderEtaChanged without a new date: the line keeps waiting with no promised date',
    INVENTORY.backorderEtaWithdrawn,
    'RecordBackorderEtaChanged',
    { lineId: X.lineId, expectedAt: null },
  ],
  [
    'BackorderReleased: records the released units of a cancelled line',
    unitsAnswer('BackorderReleased', 2, 'order-cancelled'),
    'RecordBackorderReleased',
    { lineId: X.lineId, quantity: 2, reason: 'order-cancelled' },
  ],
  [
    'StockReleased: records the reserved units given back for a cancelled line',
    unitsAnswer('StockReleased', 1, 'order-cancelled'),
    'RecordStockReleased',
    { lineId: X.lineId, quantity: 1, reason: 'order-cancelled' },
  ],
  [
    'StockUnavailable: records the unavailable units with the substitutes',
    INVENTORY.stockUnavailable,
    'RecordStockUnavailable',
    { lineId: X.lineId, quantity: 3, substitutes: [X.substitute] },
  ],
  [
    'BackorderQueued naming substitutes: the waiting line remembers them, so the customer can take one',
    INVENTORY.backorderQueuedWithSubstitutes,
    'RecordBackorderQueued',
    { lineId: X.lineId, quantity: 2, expectedAt: X.expectedAt, substitutes: [X.substitute] },
  ],
  ['StockShipped: checks the shipped units against the line', unitsAnswer('StockShipped', 2), 'RecordStockShipped', { lineId: X.lineId, quantity: 2 }],
];

describe('order-service reads inventory-service answers about its lines', () => {
  it.each(CASES)('%s', (_title, message, command, data) =>
    inventory.expect(message, (envelope) => {
      expect(workFor(envelope)).toEqual(expectedWork(envelope, command, data));
    }),
  );
});
