import { describe, expect, it } from '@jest/globals';
import {
  ContractViolationError,
  CONTRACT_REGISTRY,
  createEnvelope,
  encodeEnvelope,
  MAX_MESSAGE_BYTES,
  type Envelope,
  type MessageData,
  type MessageType,
} from './index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const meta = { source: 'order', correlationId: 'req-7f3a' };

const orderPlaced = (): MessageData<'OrderPlaced'> => structuredClone(CONTRACT_REGISTRY.OrderPlaced.example);

/** The issues a createEnvelope call is refused with, or a failure when it is not refused. */
function violationOf<T extends MessageType>(type: T, data: unknown, metaOverrides: object = {}): ContractViolationError {
  try {
    createEnvelope(type, data as MessageData<T>, { ...meta, ...metaOverrides });
  } catch (error) {
    if (error instanceof ContractViolationError) return error;
    throw error;
  }
  throw new Error(`createEnvelope accepted ${type}`);
}

describe('createEnvelope', () => {
  it('fills the CloudEvents attributes from the registry and sensible defaults', () => {
    const before = Date.now();
    const envelope = createEnvelope('OrderPlaced', orderPlaced(), meta);
    expect(envelope).toEqual({
      specversion: '1.0',
      id: expect.stringMatching(UUID),
      type: 'OrderPlaced',
      dataversion: 1,
      source: 'order',
      subject: orderPlaced().orderId,
      time: expect.any(String),
      datacontenttype: 'application/json',
      correlationid: 'req-7f3a',
      causationid: null,
      data: orderPlaced(),
    });
    expect(Date.parse(envelope.time)).toBeGreaterThanOrEqual(before - 1);
    expect(envelope.time).toBe(new Date(envelope.time).toISOString());
  });

  it('gives every envelope its own id', () => {
    expect(createEnvelope('OrderPlaced', orderPlaced(), meta).id).not.toBe(
      createEnvelope('OrderPlaced', orderPlaced(), meta).id,
    );
  });

  it('takes id, time, causation and subject from meta when given', () => {
    const envelope = createEnvelope('BackInStock', { sku: 'SKU-1', available: 4 }, {
      ...meta,
      id: '0f8c2b1e-3d4a-4c5b-8e6f-7a8b9c0d1e2f',
      time: '2026-11-27T11:00:00+01:00',
      causationId: 'cause-1',
      subject: 'SKU-1-rekeyed',
    });
    expect(envelope).toMatchObject({
      id: '0f8c2b1e-3d4a-4c5b-8e6f-7a8b9c0d1e2f',
      time: '2026-11-27T11:00:00+01:00',
      causationid: 'cause-1',
      subject: 'SKU-1-rekeyed',
    });
  });

  it('is typed as the brief publishes it', () => {
    type Published<T extends string = string, D = unknown> = {
      specversion: '1.0';
      id: string;
      type: T;
      dataversion: number;
      source: string;
      subject: string;
      time: string;
      datacontenttype: 'application/json';
      correlationid: string;
      causationid: string | null;
      data: D;
      [ext: string]: unknown;
    };
    // Both directions must type-check: `Envelope` is derived from the zod schema, not written out.
    const created: Published<'BackInStock', MessageData<'BackInStock'>> = createEnvelope(
      'BackInStock',
      { sku: 'SKU-1', available: 1 },
      meta,
    );
    const back: Envelope<'BackInStock', MessageData<'BackInStock'>> = created;
    expect(back.data.available).toBe(1);
  });

  it('refuses data that breaks the schema, naming the field', () => {
    const data = orderPlaced();
    data.lines[1].quantity = 0;
    const error = violationOf('OrderPlaced', data);
    expect(error.messageType).toBe('OrderPlaced');
    expect(error.issues).toEqual(['data.lines[1].quantity: must be a positive integer']);
    expect(error.message).toBe('OrderPlaced: data.lines[1].quantity: must be a positive integer');
  });

  it('names a missing field', () => {
    const { placedAt: _placedAt, ...data } = orderPlaced();
    expect(violationOf('OrderPlaced', data).issues).toEqual(['data.placedAt: is required']);
  });

  it('names each broken field at once', () => {
    const data = { ...orderPlaced(), customerId: '', placedAt: 'yesterday', lines: [] };
    expect(violationOf('OrderPlaced', data).issues).toEqual([
      'data.customerId: must not be empty',
      'data.lines: must have at least 1 item',
      'data.placedAt: must be an ISO-8601 date-time with a time zone',
    ]);
  });

  it('refuses a value outside an enumeration, listing the allowed ones', () => {
    const data = { ...CONTRACT_REGISTRY.OrderStatusChanged.example, status: 'delivered' };
    expect(violationOf('OrderStatusChanged', data).issues).toEqual([
      'data.status: must be one of "pending", "confirmed", "backordered", "rejected", "cancelled", "partially-shipped", "shipped"',
    ]);
  });

  it('refuses a line view whose buckets do not add up to its quantity', () => {
    const data = structuredClone(CONTRACT_REGISTRY.OrderStatusChanged.example);
    data.lines[0].reserved += 1;
    expect(violationOf('OrderStatusChanged', data).issues).toEqual([
      'data.lines[0].quantity: must equal reserved + allocated + backordered + unavailable + released + shipped',
    ]);
  });

  it('refuses a substitution with more units waiting than substituted', () => {
    const data = { ...CONTRACT_REGISTRY.OrderLineSubstituted.example, quantity: 2, waiting: 3 };
    expect(violationOf('OrderLineSubstituted', data).issues).toEqual(['data.waiting: must be at most quantity']);
  });

  it('accepts BackorderAllocated with nothing remaining but not with a negative remainder', () => {
    const example = CONTRACT_REGISTRY.BackorderAllocated.example;
    expect(createEnvelope('BackorderAllocated', { ...example, remaining: 0 }, meta).data.remaining).toBe(0);
    expect(violationOf('BackorderAllocated', { ...example, remaining: -1 }).issues).toEqual([
      'data.remaining: must be an integer >= 0',
    ]);
  });

  it('refuses fields the contract does not know, so nothing leaks onto the wire unnoticed', () => {
    const data = orderPlaced();
    Object.assign(data.lines[0], { colour: 'blue' });
    Object.assign(data, { internalNote: 'vip' });
    expect(violationOf('OrderPlaced', data).issues).toEqual([
      'data.lines[0].colour: is not a field of OrderPlaced v1',
      'data.internalNote: is not a field of OrderPlaced v1',
    ]);
  });

  it('never quotes the refused value, which may be personal data', () => {
    const error = violationOf('PlaceOrder', { ...CONTRACT_REGISTRY.PlaceOrder.example, email: 'ada.lovelace@' });
    expect(error.issues).toEqual(['data.email: must be an email address']);
    expect(error.message).not.toContain('lovelace');
  });

  it('refuses envelope attributes that break CloudEvents, naming them', () => {
    expect(violationOf('BackInStock', { sku: 'S', available: 1 }, { id: 'not-a-uuid' }).issues).toEqual([
      'envelope: "id" must be a UUID',
    ]);
    expect(violationOf('BackInStock', { sku: 'S', available: 1 }, { correlationId: '' }).issues).toEqual([
      'envelope: "correlationid" must not be empty',
    ]);
    expect(violationOf('BackInStock', { sku: 'S', available: 1 }, { time: '27/11/2026' }).issues).toEqual([
      'envelope: "time" must be an ISO-8601 date-time with a time zone',
    ]);
  });

  it('refuses a type that is not in the registry', () => {
    expect(() => createEnvelope('OrderDelivered' as MessageType, {} as never, meta)).toThrow(
      'unknown message type "OrderDelivered"',
    );
  });
});

describe('encodeEnvelope', () => {
  it('writes the envelope as JSON', () => {
    const envelope = createEnvelope('OrderCancelled', CONTRACT_REGISTRY.OrderCancelled.example, meta);
    expect(JSON.parse(encodeEnvelope(envelope))).toEqual(envelope);
  });

  it('refuses to produce a message the consumers would dead-letter for its size', () => {
    const envelope = createEnvelope('OrderCancelled', CONTRACT_REGISTRY.OrderCancelled.example, meta);
    const padding = MAX_MESSAGE_BYTES - Buffer.byteLength(encodeEnvelope(envelope)) - ',"xpad":""'.length;
    const atLimit = { ...envelope, xpad: 'x'.repeat(padding) };
    expect(Buffer.byteLength(encodeEnvelope(atLimit))).toBe(MAX_MESSAGE_BYTES);

    // Multi-byte characters count as the bytes they take, not as one character each.
    const overLimit = { ...envelope, xpad: `${'x'.repeat(padding - 1)}é` };
    expect(() => encodeEnvelope(overLimit)).toThrow(
      new ContractViolationError('OrderCancelled', [`message too large: ${MAX_MESSAGE_BYTES + 1} bytes > 1048576`]),
    );
  });
});
