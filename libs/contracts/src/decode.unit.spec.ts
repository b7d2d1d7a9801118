import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CONTRACT_REGISTRY, createEnvelope, decodeMessage, encodeEnvelope, MAX_MESSAGE_BYTES } from './index.js';
import { rawEnvelope } from './raw-envelope.spec-helper.js';

const ORDER_EVENTS = 'order.events';
const orderPlaced = () => structuredClone(CONTRACT_REGISTRY.OrderPlaced.example);

function reasonFor(topic: string, value: Buffer | string | null | undefined): string {
  const result = decodeMessage(topic, value);
  if (result.ok) throw new Error(`expected ${topic} message to be refused`);
  return result.reason;
}

describe('decodeMessage', () => {
  it('decodes a well-formed message from a Buffer, narrowing data by type', () => {
    const id = '7d1e6f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6';
    const result = decodeMessage(ORDER_EVENTS, Buffer.from(rawEnvelope('OrderPlaced', orderPlaced(), { id })));
    expect(result.ok).toBe(true);
    if (!result.ok || result.envelope.type !== 'OrderPlaced') throw new Error('not an OrderPlaced');
    expect(result.envelope.id).toBe(id);
    expect(result.envelope.data.lines[0].sku).toBe('SKU-MUG-350-BLUE');
  });

  it('refuses a tombstone', () => {
    expect(reasonFor(ORDER_EVENTS, null)).toBe('message has no value (tombstone)');
    expect(reasonFor(ORDER_EVENTS, undefined)).toBe('message has no value (tombstone)');
  });

  it('refuses a value that is neither Buffer nor string, for callers outside TypeScript', () => {
    expect(reasonFor(ORDER_EVENTS, 42 as unknown as string)).toBe('message value must be a Buffer or a string');
  });

  it('refuses bytes that are not UTF-8', () => {
    expect(reasonFor(ORDER_EVENTS, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))).toBe('not valid UTF-8');
  });

  it('refuses non-JSON with the parser diagnosis, without echoing the bytes', () => {
    const reason = reasonFor(ORDER_EVENTS, 'ada.lovelace@example.com wants a mug');
    expect(reason).toMatch(/^not valid JSON: Unexpected token/);
    expect(reason).not.toContain('lovelace');
    expect(reasonFor(ORDER_EVENTS, '{"specversion": ')).toBe('not valid JSON: Unexpected end of JSON input');
  });

  it('refuses JSON that is not an object', () => {
    expect(reasonFor(ORDER_EVENTS, '[1,2]')).toBe('envelope: must be a JSON object, not an array');
    expect(reasonFor(ORDER_EVENTS, 'null')).toBe('envelope: must be a JSON object, not null');
    expect(reasonFor(ORDER_EVENTS, '"OrderPlaced"')).toBe('envelope: must be a JSON object, not a string');
  });

  it('names a missing required attribute', () => {
    expect(reasonFor(ORDER_EVENTS, rawEnvelope('OrderPlaced', orderPlaced(), { id: undefined }))).toBe(
      'envelope: missing required attribute "id"',
    );
    expect(reasonFor(ORDER_EVENTS, rawEnvelope('OrderPlaced', undefined))).toBe(
      'envelope: missing required attribute "data"',
    );
  });

  it('names an attribute with the wrong value or type', () => {
    expect(reasonFor(ORDER_EVENTS, rawEnvelope('OrderPlaced', orderPlaced(), { specversion: '0.3' }))).toBe(
      'envelope: "specversion" must be "1.0"',
    );
    expect(reasonFor(ORDER_EVENTS, rawEnvelope('OrderPlaced', orderPlaced(), { dataversion: '1' }))).toBe(
      'envelope: "dataversion" must be a positive integer',
    );
    expect(reasonFor(ORDER_EVENTS, rawEnvelope('OrderPlaced', orderPlaced(), { dataversion: 0 }))).toBe(
      'envelope: "dataversion" must be a positive integer',
    );
    expect(reasonFor(ORDER_EVENTS, rawEnvelope('OrderPlaced', orderPlaced(), { id: '' }))).toBe(
      'envelope: "id" must not be empty',
    );
    expect(reasonFor(ORDER_EVENTS, rawEnvelope('OrderPlaced', orderPlaced(), { datacontenttype: 'text/xml' }))).toBe(
      'envelope: "datacontenttype" must be a JSON media type such as "application/json"',
    );
    expect(reasonFor(ORDER_EVENTS, rawEnvelope('OrderPlaced', [orderPlaced()]))).toBe(
      'envelope: "data" must be an object',
    );
  });

  it('names every attribute CloudEvents requires when none is there, and data', () => {
    expect(reasonFor(ORDER_EVENTS, '{}')).toBe(
      'envelope: missing required attribute "specversion"; envelope: missing required attribute "id"; ' +
        'envelope: missing required attribute "type"; envelope: missing required attribute "source"; ' +
        'envelope: missing required attribute "data"',
    );
  });

  it('lists the first few problems of a badly broken envelope and counts the rest', () => {
    const broken = { specversion: 2, id: 7, type: true, source: {}, subject: '', time: 'now', data: 'x' };
    expect(reasonFor(ORDER_EVENTS, JSON.stringify(broken))).toBe(
      'envelope: "specversion" must be "1.0"; envelope: "id" must be a string; envelope: "type" must be a string; ' +
        'envelope: "source" must be a string; envelope: "subject" must not be empty; and 2 more',
    );
  });

  it('reads an absent causationid as null, as CloudEvents leaves unset attributes out', () => {
    const result = decodeMessage(ORDER_EVENTS, rawEnvelope('OrderPlaced', orderPlaced(), { causationid: undefined }));
    expect(result.ok && result.envelope.causationid).toBeNull();
  });

  it('refuses an unknown type, naming it and the topic', () => {
    expect(reasonFor(ORDER_EVENTS, rawEnvelope('Foo', {}))).toBe('unknown type "Foo" on topic order.events');
    expect(reasonFor(ORDER_EVENTS, rawEnvelope('hasOwnProperty', {}))).toBe(
      'unknown type "hasOwnProperty" on topic order.events',
    );
  });

  it('refuses a known type on a topic it does not belong to', () => {
    expect(reasonFor('inventory.events', rawEnvelope('OrderPlaced', orderPlaced()))).toBe(
      'type OrderPlaced does not belong on topic inventory.events',
    );
  });

  it('names the data field that breaks the schema, with its path', () => {
    const data = orderPlaced();
    (data.lines[0] as { quantity: unknown }).quantity = '3';
    expect(reasonFor(ORDER_EVENTS, rawEnvelope('OrderPlaced', data))).toBe(
      'data.lines[0].quantity: must be a positive integer',
    );
    expect(reasonFor(ORDER_EVENTS, rawEnvelope('OrderPlaced', { ...orderPlaced(), orderId: 17 }))).toBe(
      'data.orderId: must be a string',
    );
    expect(reasonFor(ORDER_EVENTS, rawEnvelope('OrderPlaced', { ...orderPlaced(), email: 'ada@@example' }))).toBe(
      'data.email: must be an email address',
    );
  });

  it('refuses a dataversion the contract never published', () => {
    expect(reasonFor(ORDER_EVENTS, rawEnvelope('OrderPlaced', orderPlaced(), { dataversion: 9 }))).toBe(
      'unsupported dataversion 9 for OrderPlaced',
    );
  });

  it('refuses a message above 1 MiB before parsing it, counting bytes', () => {
    const twoMiB = 'x'.repeat(2 * 1024 * 1024);
    expect(reasonFor(ORDER_EVENTS, twoMiB)).toBe('message too large: 2097152 bytes > 1048576');
    expect(reasonFor(ORDER_EVENTS, Buffer.from(twoMiB))).toBe('message too large: 2097152 bytes > 1048576');
    expect(reasonFor(ORDER_EVENTS, 'é'.repeat(MAX_MESSAGE_BYTES / 2 + 1))).toBe(
      'message too large: 1048578 bytes > 1048576',
    );
  });

  it('accepts a message of exactly 1 MiB', () => {
    const envelope = createEnvelope('OrderPlaced', orderPlaced(), { source: 'order', correlationId: 'c' });
    const padding = MAX_MESSAGE_BYTES - Buffer.byteLength(encodeEnvelope(envelope)) - ',"xpad":""'.length;
    const value = encodeEnvelope({ ...envelope, xpad: 'x'.repeat(padding) });
    expect(Buffer.byteLength(value)).toBe(MAX_MESSAGE_BYTES);
    expect(decodeMessage(ORDER_EVENTS, value).ok).toBe(true);
  });

  it('drops data fields the current schema does not know, at any depth', () => {
    const data = { ...orderPlaced(), giftWrap: true, lines: [{ ...orderPlaced().lines[0], colour: 'blue' }] };
    const result = decodeMessage(ORDER_EVENTS, rawEnvelope('OrderPlaced', data));
    expect(result.ok && result.envelope.data).toEqual({ ...orderPlaced(), lines: [orderPlaced().lines[0]] });
  });

  it('keeps envelope attributes it does not know: they are CloudEvents extensions', () => {
    const value = rawEnvelope('OrderPlaced', orderPlaced(), { traceparent: '00-4bf92f-00f067-01', partitionkey: 'k' });
    const result = decodeMessage(ORDER_EVENTS, value);
    expect(result.ok && result.envelope).toMatchObject({ traceparent: '00-4bf92f-00f067-01', partitionkey: 'k' });
  });

  it('never throws, whatever the bytes', () => {
    const anyValue = fc.oneof(
      fc.string(),
      fc.uint8Array().map((bytes) => Buffer.from(bytes)),
      fc.jsonValue().map((json) => JSON.stringify(json)),
      fc
        .record({ type: fc.constantFrom('OrderPlaced', 'OrderStatusChanged', 'BackInStock', 'Nope'), data: fc.jsonValue() })
        .map(({ type, data }) => rawEnvelope(type, data)),
      fc.anything().map((data) => rawEnvelope('OrderPlaced', data, { dataversion: 1 })),
    );
    fc.assert(
      fc.property(fc.constantFrom(ORDER_EVENTS, 'inventory.events', 'elsewhere'), anyValue, (topic, value) => {
        const result = decodeMessage(topic, value);
        return result.ok ? result.envelope.dataversion >= 1 : result.reason.length > 0;
      }),
      { numRuns: 500 },
    );
  });
});
