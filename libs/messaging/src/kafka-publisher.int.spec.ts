import { Writable } from 'node:stream';
import { describe, expect, it, jest } from '@jest/globals';
import pino from 'pino';
import { KafkaPublisher } from './kafka-publisher.js';
import { createKafka } from './kafka.js';
import { libraryKafka } from './test-support/harness.js';
import { headerOf, readTopic, uniqueName, useKafkaFixture } from './test-support/kafka-fixtures.js';
import { kafkaBrokers } from './test-support/testing-env.js';

jest.setTimeout(60_000);

const { fixtures, admin, newTopic } = useKafkaFixture();

describe('KafkaPublisher', () => {
  it('publishes to several topics in one call, keeping key, value, headers and per-key order', async () => {
    const [a, b] = [await newTopic('pub-a', { partitions: 3 }), await newTopic('pub-b')];
    const publisher = new KafkaPublisher(libraryKafka('pub'));
    await publisher.connect();
    const toA = Array.from({ length: 20 }, (_, i) => ({ topic: a, key: `order-${i % 2}`, value: `a-${i}`, headers: { seq: String(i) } }));
    await publisher.publish([...toA, { topic: b, key: 'k', value: 'only-b' }]);
    await publisher.publish([]);
    await publisher.disconnect();

    const readA = await readTopic(fixtures, a, 20);
    for (const key of ['order-0', 'order-1']) {
      const records = readA.filter((r) => r.key?.toString() === key);
      expect(records.map((r) => r.value?.toString())).toEqual(toA.filter((m) => m.key === key).map((m) => m.value));
      expect(records.map((r) => headerOf(r, 'seq'))).toEqual(toA.filter((m) => m.key === key).map((m) => m.headers.seq));
    }
    const readB = await readTopic(fixtures, b, 1);
    expect(readB.map((r) => [r.key?.toString(), r.value?.toString()])).toEqual([['k', 'only-b']]);
  });

  it('rejects a publish to a missing topic instead of creating it', async () => {
    const missing = uniqueName('pub-missing');
    const kafka = libraryKafka('pub');
    const publisher = new KafkaPublisher(kafka, {
      retry: { retries: 2, initialRetryTime: 50, maxRetryTime: 200 },
    });
    await publisher.connect();
    try {
      await expect(publisher.publish([{ topic: missing, key: 'k', value: 'v' }])).rejects.toThrow(/topic-partition/);
      // A failed publish does not wedge the ones queued behind it.
      const existing = await newTopic('pub-after');
      await expect(publisher.publish([{ topic: existing, key: 'k', value: 'v' }])).resolves.toBeUndefined();
    } finally {
      await publisher.disconnect();
    }
    expect(await admin.listTopics()).not.toContain(missing);
  });
});

describe('createKafka', () => {
  it("routes kafkajs' own logs to pino as structured records", async () => {
    const lines: Record<string, unknown>[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
        done();
      },
    });
    const kafka = createKafka({ brokers: kafkaBrokers(), clientId: uniqueName('logs') }, pino({ level: 'info' }, sink));
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 1, initialRetryTime: 50 } });
    await producer.connect();
    await expect(producer.send({ topic: uniqueName('no-such-topic'), messages: [{ value: 'v' }] })).rejects.toThrow();
    await producer.disconnect();

    const fromKafkajs = lines.filter((l) => l.component === 'kafkajs');
    expect(fromKafkajs.length).toBeGreaterThan(0);
    const metadataError = fromKafkajs.find((l) => l.level === 50 && l.namespace === 'Connection');
    expect(metadataError).toMatchObject({ broker: expect.any(String), error: expect.stringMatching(/topic-partition/) });
    // pino's own fields replace kafkajs' duplicates.
    expect(fromKafkajs.every((l) => !('timestamp' in l) && !('logger' in l) && typeof l.msg === 'string')).toBe(true);
  });

  it('refuses an empty broker list', () => {
    expect(() => createKafka({ brokers: [], clientId: 'x' })).toThrow(/broker/);
  });
});
