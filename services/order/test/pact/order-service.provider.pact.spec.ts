// order-service keeps the promises its consumers recorded in pacts/*-order-service.json. Every message is produced
// the way the service produces it: the order domain decides a short history of commands on one order, and each
// decision goes through the service's mapper (order-events.mapper.ts) into the envelopes it publishes.
import { randomUUID } from 'node:crypto';
import { describe, it } from '@jest/globals';
import type { AnyEnvelope, Envelope } from '@fulfillment/contracts';
import { decide, evolve, initialState, isPlaced, type OrderCommand } from '@fulfillment/order-domain';
import { PACT_EXAMPLE as X, verifyMessageProvider, type EnvelopeProducer } from '@fulfillment/testing';
import { orderEnvelopes } from '../../src/order/order-events.mapper.js';

const NOW = '2026-11-27T10:00:00.000Z';
const cause = { correlationId: 'pact-verification', causationId: null };

const place = (quantity: number, email: string | null = null): OrderCommand => ({
  type: 'PlaceOrder',
  data: { orderId: X.orderId, customerId: X.customerId, email, lines: [{ lineId: X.lineId, sku: X.sku, quantity }], now: NOW },
});
const reserved = (quantity: number): OrderCommand => ({
  type: 'RecordStockReserved',
  data: { lineId: X.lineId, quantity, eventId: randomUUID() },
});
const queued = (quantity: number): OrderCommand => ({
  type: 'RecordBackorderQueued',
  data: { lineId: X.lineId, quantity, expectedAt: X.expectedAt, substitutes: [X.substitute], eventId: randomUUID() },
});
const cancel: OrderCommand = { type: 'CancelOrder', data: { orderId: X.orderId, reason: 'customer-request', now: NOW } };
const ship = (quantity: number): OrderCommand => ({
  type: 'ShipOrder',
  data: { orderId: X.orderId, shipmentId: 'shp-2026-004417', lines: [{ lineId: X.lineId, quantity }], carrier: 'DHL', trackingId: 'JD014600006281234567', now: NOW },
});
const cancelLine = (quantity: number): OrderCommand => ({
  type: 'CancelOrderLine',
  data: { orderId: X.orderId, lineId: X.lineId, quantity, reason: 'customer-request', now: NOW },
});
const substitute: OrderCommand = { type: 'SubstituteOrderLine', data: { orderId: X.orderId, lineId: X.lineId, sku: X.substitute, now: NOW } };

/**
 * The last `type` message the order service publishes after deciding `history` on one order, as
 * OrderCommandProcessor does it: each command decided on the state so far, the decision mapped with its event ids.
 */
function lastPublished(type: AnyEnvelope['type'], history: readonly OrderCommand[]): Envelope {
  let state = initialState();
  const published: AnyEnvelope[] = [];
  for (const command of history) {
    const events = decide(command, state);
    const after = events.reduce(evolve, state);
    if (!isPlaced(after)) throw new Error(`${command.type} left the order unplaced`);
    published.push(...orderEnvelopes({ events, eventIds: events.map(() => randomUUID()), after, occurredAt: NOW, cause }));
    state = after;
  }
  const found = published.filter((envelope) => envelope.type === type).at(-1);
  if (!found) throw new Error(`no ${type} after ${history.map((c) => c.type).join(', ')}`);
  return found;
}

const messages: Record<string, EnvelopeProducer> = {
  'an OrderPlaced event': () => lastPublished('OrderPlaced', [place(3)]),
  "an OrderPlaced event with the customer's email address": () => lastPublished('OrderPlaced', [place(3, X.email)]),
  'an OrderStatusChanged event for a confirmed order': () => lastPublished('OrderStatusChanged', [place(2), reserved(2)]),
  'an OrderStatusChanged event for a backordered order': () => lastPublished('OrderStatusChanged', [place(2), queued(2)]),
  'an OrderCancelled event': () => lastPublished('OrderCancelled', [place(2), reserved(2), cancel]),
  'an OrderStatusChanged event for a shipped order': () => lastPublished('OrderStatusChanged', [place(2), reserved(2), ship(2)]),
  'an OrderShipped event': () => lastPublished('OrderShipped', [place(2), reserved(2), ship(2)]),
  'an OrderLineCancelled event': () => lastPublished('OrderLineCancelled', [place(3), reserved(1), queued(2), cancelLine(2)]),
  'an OrderLineSubstituted event': () => lastPublished('OrderLineSubstituted', [place(2), queued(2), substitute]),
};

describe('order-service as a message provider', () => {
  it('produces every message its consumers expect', () => verifyMessageProvider({ provider: 'order-service', messages }), 60_000);
});
