import type { AnyEnvelope, MessageType } from '@fulfillment/contracts';
import type { MatchersV3 } from '@pact-foundation/pact';
import { PACT_EXAMPLE as X } from './examples.js';
import { ISO_INSTANT, type MessageExpectation } from './message-consumer.js';

type Matchers = typeof MatchersV3;

/** Keeps the literal type of one expectation (a plain object literal would widen it to every message type). */
const message = <T extends MessageType>(expectation: MessageExpectation<T>): MessageExpectation<T> => expectation;

/** The order line an inventory answer is about: the decoder requires all four, whichever the consumer reads. */
export const answeredLine = (m: Matchers) => ({
  sku: m.like(X.sku),
  orderId: m.like(X.orderId),
  lineId: m.like(X.lineId),
  customerId: m.like(X.customerId),
});

/** The example values of `answeredLine`, as a consumer reads them back. */
export const ANSWERED_LINE = Object.freeze({ sku: X.sku, orderId: X.orderId, lineId: X.lineId, customerId: X.customerId });

/** The cause a consumer records for the work one message gave it: the message's flow, and the message itself. */
export const causeOf = (envelope: AnyEnvelope) => ({ correlationId: envelope.correlationid, causationId: envelope.id });

/** An inventory-service answer about the order line, keyed by its SKU: the line, with `fields`. */
export const lineAnswer = <T extends MessageType>(
  description: string,
  type: T,
  fields: (m: Matchers) => Record<string, unknown>,
): MessageExpectation<T> => ({ description, type, subject: X.sku, data: (m) => ({ ...answeredLine(m), ...fields(m) }) });

/** The line's 2 units wait in the queue at `position`, promised for X.expectedAt, with `substitutes` to offer. */
const queued = (description: string, position: number, substitutes: (m: Matchers) => unknown) =>
  lineAnswer(description, 'BackorderQueued', (m) => ({
    quantity: m.integer(2),
    position: m.integer(position),
    expectedAt: m.datetime(ISO_INSTANT, X.expectedAt),
    preorder: m.like(false),
    substitutes: substitutes(m),
  }));

/**
 * inventory-service messages the consumers expect, most of them alike in more than one. The provider verifies an
 * expectation by its description, so consumers meaning one message share it; each consumer checks the example on
 * its own path.
 */
export const INVENTORY_MESSAGES = Object.freeze({
  backorderQueued: queued('a BackorderQueued event with a promised date', 4, (m) => m.like([])),
  backorderQueuedWithSubstitutes: queued('a BackorderQueued event naming substitutes', 1, (m) => m.eachLike(X.substitute)),
  backorderAllocated: lineAnswer('a BackorderAllocated event', 'BackorderAllocated', (m) => ({
    quantity: m.integer(1),
    remaining: m.integer(1),
  })),
  backorderEtaChanged: lineAnswer('a BackorderEtaChanged event', 'BackorderEtaChanged', (m) => ({
    previousExpectedAt: m.datetime(ISO_INSTANT, X.expectedAt),
    expectedAt: m.datetime(ISO_INSTANT, X.laterExpectedAt),
  })),
  backorderEtaWithdrawn: lineAnswer('a BackorderEtaChanged event that withdraws the promised date', 'BackorderEtaChanged', (m) => ({
    previousExpectedAt: m.datetime(ISO_INSTANT, X.expectedAt),
    expectedAt: null,
  })),
  stockUnavailable: lineAnswer('a StockUnavailable event naming substitutes', 'StockUnavailable', (m) => ({
    quantity: m.integer(3),
    substitutes: m.eachLike(X.substitute),
  })),
});

/** order-service messages that more than one consumer expects alike (see INVENTORY_MESSAGES). */
export const ORDER_MESSAGES = Object.freeze({
  orderCancelled: message({
    description: 'an OrderCancelled event',
    type: 'OrderCancelled',
    subject: X.orderId,
    data: (m) => ({ orderId: m.like(X.orderId), customerId: m.like(X.customerId), reason: m.like('customer-request') }),
  }),
  orderShipped: message({
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
  }),
  orderLineCancelled: message({
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
  }),
  orderLineSubstituted: message({
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
  }),
});
