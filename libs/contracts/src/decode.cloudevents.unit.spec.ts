// SPEC 11: CloudEvents as other clients send them. The records here are what the official CloudEvents JavaScript
// SDK's Kafka binding produces, with header values turned into text the way a kafkajs producer must (kafkajs refuses
// `undefined` header values, so `String(value)` is what SDK users write, and an unset attribute arrives as the text
// "undefined"), and what a hand-written client such as kcat sends.
import { describe, expect, it } from '@jest/globals';
import { CloudEvent, Kafka } from 'cloudevents';
import fc from 'fast-check';
import {
  CONTRACT_REGISTRY,
  createEnvelope,
  decodeMessage,
  encodeEnvelope,
  messageIdentity,
  type MessageContext,
  type MessageHeaders,
} from './index.js';

const ORDER_COMMANDS = 'order.commands';
const RECEIVED_AT = new Date('2026-12-01T09:30:00.000Z');
const placeOrder = { customerId: 'cust-42', lines: [{ sku: 'SKU-MUG', quantity: 2 }] };

/** Header values as a kafkajs consumer hands them over: Buffers. */
function asDelivered(headers: Record<string, unknown>): Record<string, Buffer> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, Buffer.from(String(value))]));
}

/** A record as the SDK's Kafka binding writes it, sent with kafkajs. */
function sdkRecord(mode: 'binary' | 'structured', event: CloudEvent<unknown>): { value: Buffer; context: MessageContext } {
  const message = mode === 'binary' ? Kafka.binary(event) : Kafka.structured(event);
  const value = typeof message.value === 'string' ? message.value : JSON.stringify(message.value);
  return {
    value: Buffer.from(value),
    context: { headers: asDelivered(message.headers), key: message.key ?? null, receivedAt: RECEIVED_AT },
  };
}

function decoded(topic: string, value: Buffer | string, context?: MessageContext) {
  const result = decodeMessage(topic, value, context);
  if (!result.ok) throw new Error(`expected the record to decode, it was refused: ${result.reason}`);
  return result.envelope;
}

function reasonFor(topic: string, value: Buffer | string | null, context?: MessageContext): string {
  const result = decodeMessage(topic, value, context);
  if (result.ok) throw new Error('expected the record to be refused');
  return result.reason;
}

const minimal = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ specversion: '1.0', id: 'kcat-order-1', source: 'kcat', type: 'PlaceOrder', data: placeOrder, ...overrides });

describe('decodeMessage: a minimal structured envelope (specversion, id, source, type, data)', () => {
  it('fills every other attribute with its default: correlationid = id, dataversion 1, time of receipt, subject = key', () => {
    const envelope = decoded(ORDER_COMMANDS, minimal(), { key: Buffer.from('cust-42-key'), receivedAt: RECEIVED_AT });
    expect(envelope).toEqual({
      specversion: '1.0',
      id: 'kcat-order-1',
      source: 'kcat',
      type: 'PlaceOrder',
      dataversion: 1,
      subject: 'cust-42-key',
      time: RECEIVED_AT.toISOString(),
      datacontenttype: 'application/json',
      correlationid: 'kcat-order-1',
      causationid: null,
      data: placeOrder,
    });
  });

  it("takes the subject from the contract's key of the data when the record has no key", () => {
    expect(decoded(ORDER_COMMANDS, minimal(), { key: null }).subject).toBe('cust-42');
    expect(decoded(ORDER_COMMANDS, minimal()).subject).toBe('cust-42');
    // A key that is not text cannot be a subject either.
    expect(decoded(ORDER_COMMANDS, minimal(), { key: Buffer.from([0xff, 0xfe]) }).subject).toBe('cust-42');
  });

  it('stamps the time of decoding when no receipt time is given', () => {
    const before = Date.now();
    const time = Date.parse(decoded(ORDER_COMMANDS, minimal()).time);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
  });

  it('keeps what the client did send over the defaults', () => {
    const given = { subject: 'sub-1', time: '2026-11-30T08:00:00+01:00', correlationid: 'req-9', causationid: 'c-1', dataversion: 1 };
    expect(decoded(ORDER_COMMANDS, minimal(given), { key: 'other', receivedAt: RECEIVED_AT })).toMatchObject(given);
  });

  it('accepts any non-empty string as id, and refuses an empty one', () => {
    for (const id of ['1', 'order 7 from the shop', 'A234-1234-1234', 'é'.repeat(500)]) {
      expect(decoded(ORDER_COMMANDS, minimal({ id })).id).toBe(id);
    }
    expect(reasonFor(ORDER_COMMANDS, minimal({ id: '' }))).toBe('envelope: "id" must not be empty');
    expect(reasonFor(ORDER_COMMANDS, minimal({ id: 42 }))).toBe('envelope: "id" must be a string');
  });

  it('still requires what CloudEvents requires, naming each missing attribute', () => {
    for (const attribute of ['specversion', 'id', 'source', 'type', 'data']) {
      expect(reasonFor(ORDER_COMMANDS, minimal({ [attribute]: undefined }))).toBe(
        `envelope: missing required attribute "${attribute}"`,
      );
    }
  });

  it('reads null as unset, as the CloudEvents JSON format says', () => {
    const envelope = decoded(ORDER_COMMANDS, minimal({ subject: null, time: null, correlationid: null, dataversion: null }), {
      key: 'k',
      receivedAt: RECEIVED_AT,
    });
    expect(envelope).toMatchObject({ subject: 'k', time: RECEIVED_AT.toISOString(), correlationid: 'kcat-order-1', dataversion: 1 });
    expect(reasonFor(ORDER_COMMANDS, minimal({ id: null }))).toBe('envelope: missing required attribute "id"');
  });

  it('accepts any JSON datacontenttype, and refuses one that is not JSON', () => {
    for (const datacontenttype of ['application/json; charset=utf-8', 'APPLICATION/JSON', 'application/vnd.shop+json']) {
      expect(decoded(ORDER_COMMANDS, minimal({ datacontenttype })).datacontenttype).toBe('application/json');
    }
    expect(reasonFor(ORDER_COMMANDS, minimal({ datacontenttype: 'application/xml' }))).toBe(
      'envelope: "datacontenttype" must be a JSON media type such as "application/json"',
    );
  });

  it('reads JSON data sent base64-encoded in data_base64', () => {
    const data_base64 = Buffer.from(JSON.stringify(placeOrder)).toString('base64');
    expect(decoded(ORDER_COMMANDS, minimal({ data: undefined, data_base64 })).data).toEqual(placeOrder);
    expect(reasonFor(ORDER_COMMANDS, minimal({ data: undefined, data_base64: Buffer.from('{').toString('base64') }))).toMatch(
      /^data_base64: not valid JSON: /,
    );
  });

  it('keeps unknown extension attributes without judging them, and an "__proto__" attribute stays an attribute', () => {
    const value = `{"specversion":"1.0","id":"x-1","source":"s","type":"PlaceOrder","data":${JSON.stringify(placeOrder)},` +
      '"traceparent":"00-4bf92f-00f067-01","comexampleothervalue":5,"__proto__":{"polluted":true}}';
    const envelope = decoded(ORDER_COMMANDS, value);
    expect(envelope).toMatchObject({ traceparent: '00-4bf92f-00f067-01', comexampleothervalue: 5 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((envelope as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('still validates data against the contract, naming the field', () => {
    expect(reasonFor(ORDER_COMMANDS, minimal({ data: { customerId: 'c', lines: [{ sku: 'S', quantity: 0 }] } }))).toBe(
      'data.lines[0].quantity: must be a positive integer',
    );
  });
});

describe('decodeMessage: structured content mode with its content-type header', () => {
  it("decodes the SDK's Kafka.structured record, keeping its generated id and time", () => {
    const event = new CloudEvent({ type: 'PlaceOrder', source: 'checkout', data: placeOrder });
    const { value, context } = sdkRecord('structured', event);
    expect(context.headers?.['content-type']?.toString()).toBe('application/cloudevents+json; charset=utf-8');
    expect(decoded(ORDER_COMMANDS, value, context)).toMatchObject({
      id: event.id,
      time: event.time,
      source: 'checkout',
      subject: 'cust-42',
      correlationid: event.id,
      dataversion: 1,
      data: placeOrder,
    });
  });

  it('reads the media type case-insensitively and ignores binary-mode headers next to it', () => {
    const headers = { 'Content-Type': 'Application/CloudEvents+JSON', ce_id: 'from-a-header' };
    expect(decoded(ORDER_COMMANDS, minimal(), { headers }).id).toBe('kcat-order-1');
  });

  it('refuses a batch and an event format other than JSON, saying what to send instead', () => {
    expect(reasonFor(ORDER_COMMANDS, `[${minimal()}]`, { headers: { 'content-type': 'application/cloudevents-batch+json' } })).toBe(
      'batched CloudEvents are not supported on Kafka: send one event per record',
    );
    expect(reasonFor(ORDER_COMMANDS, minimal(), { headers: { 'content-type': 'application/cloudevents+avro' } })).toBe(
      'event format "application/cloudevents+avro" is not supported: use application/cloudevents+json, or binary mode',
    );
  });
});

describe('decodeMessage: binary content mode (ce_* headers, the value is the data)', () => {
  it("decodes the SDK's Kafka.binary record, its unset attributes arriving as the text \"undefined\"", () => {
    const event = new CloudEvent({ type: 'PlaceOrder', source: 'checkout', data: placeOrder });
    const { value, context } = sdkRecord('binary', event);
    expect(context.headers?.ce_datacontentencoding?.toString()).toBe('undefined');
    expect(context.headers?.['content-type']?.toString()).toBe('undefined');
    expect(decoded(ORDER_COMMANDS, value, context)).toEqual({
      specversion: '1.0',
      id: event.id,
      source: 'checkout',
      type: 'PlaceOrder',
      time: event.time,
      dataversion: 1,
      subject: 'cust-42',
      datacontenttype: 'application/json',
      correlationid: event.id,
      causationid: null,
      data: placeOrder,
    });
  });

  it('reads extension attributes from their headers: dataversion as a number, correlationid, partitionkey as the key', () => {
    const event = new CloudEvent({
      type: 'PlaceOrder',
      source: 'checkout',
      subject: 'cust-42',
      partitionkey: 'cust-42',
      correlationid: 'checkout-req-7',
      dataversion: 1,
      datacontenttype: 'application/json',
      data: placeOrder,
    });
    const { value, context } = sdkRecord('binary', event);
    expect(decoded(ORDER_COMMANDS, value, context)).toMatchObject({
      subject: 'cust-42',
      correlationid: 'checkout-req-7',
      dataversion: 1,
      partitionkey: 'cust-42',
    });
  });

  const binaryHeaders = (overrides: Record<string, string | undefined> = {}): MessageHeaders =>
    Object.fromEntries(
      Object.entries({ ce_specversion: '1.0', ce_id: 'b-1', ce_source: 'shop', ce_type: 'PlaceOrder', ...overrides }).filter(
        ([, header]) => header !== undefined,
      ),
    ) as MessageHeaders;
  const data = JSON.stringify(placeOrder);

  it('names the header of a missing or wrong attribute', () => {
    expect(reasonFor(ORDER_COMMANDS, data, { headers: binaryHeaders({ ce_source: undefined }) })).toBe(
      'envelope: missing required attribute "source" (header ce_source)',
    );
    expect(reasonFor(ORDER_COMMANDS, data, { headers: binaryHeaders({ ce_specversion: '0.3' }) })).toBe(
      'envelope: "specversion" (header ce_specversion) must be "1.0"',
    );
    expect(reasonFor(ORDER_COMMANDS, data, { headers: binaryHeaders({ ce_dataversion: 'one' }) })).toBe(
      'envelope: "dataversion" (header ce_dataversion) must be a positive integer',
    );
    expect(reasonFor(ORDER_COMMANDS, data, { headers: binaryHeaders({ ce_time: 'yesterday' }) })).toBe(
      'envelope: "time" (header ce_time) must be an ISO-8601 date-time with a time zone',
    );
  });

  it('takes the content-type header as datacontenttype: any JSON type, nothing else', () => {
    const withType = (contentType: string) => ({ headers: { ...binaryHeaders(), 'content-type': contentType } });
    expect(decoded(ORDER_COMMANDS, data, withType('application/json; charset=utf-8')).datacontenttype).toBe('application/json');
    expect(reasonFor(ORDER_COMMANDS, 'two mugs', withType('text/plain'))).toBe(
      'binary mode: content-type "text/plain" is not JSON; data must be JSON (application/json)',
    );
  });

  it('refuses a value that is not JSON, or not an object, as data', () => {
    expect(reasonFor(ORDER_COMMANDS, 'ada@example.com', { headers: binaryHeaders() })).toMatch(/^data: not valid JSON: Unexpected token/);
    expect(reasonFor(ORDER_COMMANDS, 'ada@example.com', { headers: binaryHeaders() })).not.toContain('ada');
    expect(reasonFor(ORDER_COMMANDS, '[1]', { headers: binaryHeaders() })).toBe(
      'envelope: "data" (the record value) must be an object',
    );
    expect(reasonFor(ORDER_COMMANDS, null, { headers: binaryHeaders() })).toBe('message has no value (tombstone)');
  });

  it('takes the last of a repeated header, and ignores headers that are no attribute', () => {
    const headers = { ...binaryHeaders(), ce_id: [Buffer.from('first'), Buffer.from('last')], 'x-trace': 'abc', 'ce_Not-An-Attribute': 'x' };
    const envelope = decoded(ORDER_COMMANDS, data, { headers });
    expect(envelope.id).toBe('last');
    expect(Object.keys(envelope)).not.toContain('x-trace');
    expect(Object.keys(envelope)).not.toContain('not-an-attribute');
  });

  it('cannot take data from a header', () => {
    expect(decoded(ORDER_COMMANDS, data, { headers: { ...binaryHeaders(), ce_data: '{"customerId":"other"}' } }).data).toEqual(placeOrder);
  });

  it('refuses a header that is not UTF-8, naming it', () => {
    expect(reasonFor(ORDER_COMMANDS, data, { headers: { ...binaryHeaders(), ce_id: Buffer.from([0xc3, 0x28]) } })).toBe(
      'header "ce_id" is not valid UTF-8',
    );
  });
});

describe('decodeMessage: what we publish', () => {
  it('decodes our own structured envelopes exactly as they were written, with or without the context', () => {
    const envelope = createEnvelope('OrderPlaced', CONTRACT_REGISTRY.OrderPlaced.example, {
      source: 'order',
      correlationId: 'req-1',
      causationId: 'cause-1',
    });
    const value = Buffer.from(encodeEnvelope(envelope));
    expect(decoded('order.events', value)).toEqual(envelope);
    expect(decoded('order.events', value, { key: envelope.subject, headers: { traceparent: '00-ab-cd-01' }, receivedAt: RECEIVED_AT })).toEqual(
      envelope,
    );
  });

  it('never throws, whatever the headers and the key', () => {
    const headerValue = fc.oneof(fc.string(), fc.uint8Array().map((bytes) => Buffer.from(bytes)), fc.constant('undefined'));
    const headerName = fc.oneof(
      fc.constantFrom('content-type', 'ce_specversion', 'ce_id', 'ce_source', 'ce_type', 'ce_dataversion', 'ce_time', 'ce_subject'),
      fc.string(),
    );
    const contentType = fc.constantFrom('application/cloudevents+json', 'application/json', 'text/plain', 'application/cloudevents-batch+json');
    fc.assert(
      fc.property(
        fc.dictionary(headerName, headerValue),
        fc.option(contentType, { nil: undefined }),
        fc.oneof(fc.constant(minimal()), fc.constant(JSON.stringify(placeOrder)), fc.string(), fc.jsonValue().map((json) => JSON.stringify(json))),
        fc.option(fc.oneof(fc.string(), fc.uint8Array().map((bytes) => Buffer.from(bytes))), { nil: null }),
        (headers, type, value, key) => {
          const result = decodeMessage(ORDER_COMMANDS, value, { headers: type ? { ...headers, 'content-type': type } : headers, key });
          return result.ok ? result.envelope.subject.length > 0 : result.reason.length > 0;
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('messageIdentity', () => {
  it('is the source and the id together', () => {
    expect(messageIdentity({ source: 'order', id: '6f1c7d1e-3b7a-4c0e-9a55-2f0f3f3f8a10' })).toBe('order/6f1c7d1e-3b7a-4c0e-9a55-2f0f3f3f8a10');
    expect(messageIdentity({ source: 'shop-a', id: '1' })).not.toBe(messageIdentity({ source: 'shop-b', id: '1' }));
  });

  it('keeps a "/" in the source from making two pairs one', () => {
    expect(messageIdentity({ source: 'a/b', id: 'c' })).not.toBe(messageIdentity({ source: 'a', id: 'b/c' }));
    expect(messageIdentity({ source: 'a%2Fb', id: 'c' })).not.toBe(messageIdentity({ source: 'a/b', id: 'c' }));
  });

  it('gives two different pairs two different strings, and one pair always the same', () => {
    const pair = fc.record({ source: fc.string({ minLength: 1 }), id: fc.string({ minLength: 1 }) });
    fc.assert(
      fc.property(pair, pair, (a, b) => {
        const same = a.source === b.source && a.id === b.id;
        return (messageIdentity(a) === messageIdentity(b)) === same;
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '/', '%', '2', 'F') }),
        fc.string({ unit: fc.constantFrom('a', '/', '%', '2', 'F') }),
        fc.string({ unit: fc.constantFrom('a', '/', '%', '2', 'F') }),
        fc.string({ unit: fc.constantFrom('a', '/', '%', '2', 'F') }),
        (s1, i1, s2, i2) => (messageIdentity({ source: s1, id: i1 }) === messageIdentity({ source: s2, id: i2 })) === (s1 === s2 && i1 === i2),
      ),
      { numRuns: 5000 },
    );
  });

  it('reads the pair of a decoded message', () => {
    const envelope = decoded(ORDER_COMMANDS, minimal({ source: 'https://shop.example/checkout' }));
    expect(messageIdentity(envelope)).toBe('https:%2F%2Fshop.example%2Fcheckout/kcat-order-1');
  });
});
