import { describe, expect, it } from '@jest/globals';
import { DLQ_HEADERS } from '@fulfillment/contracts';
import { headersToRecord } from './consumed-message.js';
import { deadLetterOf } from './dead-letter.js';

const source = {
  topic: 'inventory.events',
  partition: 3,
  offset: '42',
  key: Buffer.from('SKU-1'),
  value: Buffer.from([0xff, 0x00, 0x7b]),
  headers: { traceparent: Buffer.from('00-abc-01'), [DLQ_HEADERS.reason]: Buffer.from('an older failure') },
};
const failure = { reason: 'not valid JSON', attempts: 0, consumerGroup: 'inventory', failedAt: new Date('2026-11-27T10:00:00Z') };

describe('deadLetterOf', () => {
  it('goes to the .dlq twin with the original key, bytes and headers', () => {
    const { topic, message } = deadLetterOf(source, failure);
    expect(topic).toBe('inventory.events.dlq');
    expect(message.key).toBe(source.key);
    expect(message.value).toBe(source.value);
    expect(message.headers?.traceparent).toBe(source.headers.traceparent);
  });

  it('says why and where from, replacing the headers of an earlier dead-lettering', () => {
    const { message } = deadLetterOf(source, failure);
    expect(headersToRecord(message.headers)).toMatchObject({
      [DLQ_HEADERS.reason]: 'not valid JSON',
      [DLQ_HEADERS.sourceTopic]: 'inventory.events',
      [DLQ_HEADERS.sourcePartition]: '3',
      [DLQ_HEADERS.sourceOffset]: '42',
      [DLQ_HEADERS.failedAt]: '2026-11-27T10:00:00.000Z',
      [DLQ_HEADERS.attempts]: '0',
      [DLQ_HEADERS.consumerGroup]: 'inventory',
    });
  });

  it('keeps a tombstone a tombstone', () => {
    const { message } = deadLetterOf({ ...source, key: null, value: null }, failure);
    expect(message.key).toBeNull();
    expect(message.value).toBeNull();
  });

  it('bounds the reason header', () => {
    const { message } = deadLetterOf(source, { ...failure, reason: 'r'.repeat(10_000) });
    expect(String(message.headers?.[DLQ_HEADERS.reason]).length).toBe(1_000);
  });
});

describe('headersToRecord', () => {
  it('decodes bytes, keeps the last of repeated headers and skips absent ones', () => {
    expect(headersToRecord({ a: Buffer.from('x'), b: [Buffer.from('1'), '2'], c: undefined, d: 'plain' })).toEqual({
      a: 'x',
      b: '2',
      d: 'plain',
    });
    expect(headersToRecord(undefined)).toEqual({});
  });
});
