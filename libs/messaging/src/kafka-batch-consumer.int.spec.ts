import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DLQ_HEADERS } from '@fulfillment/contracts';
import { createTopicsReady } from '@fulfillment/testing';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { Registry } from 'prom-client';
import type { ConsumedMessage } from './consumed-message.js';
import { NonRetryableError } from './errors.js';
import type { KafkaBatchConsumer, KafkaBatchConsumerOptions } from './kafka-batch-consumer.js';
import { KafkaPublisher } from './kafka-publisher.js';
import { applyBatch, readEffects, recordDeliveries } from './test-support/effects.mjs';
import { backInStock, decodeAsInventoryEvents } from './test-support/envelopes.js';
import { FAST_RETRY, libraryKafka, testConsumer, testLogger } from './test-support/harness.js';
import { committedOffsets, headerOf, produce, readTopic, uniqueName, useKafkaFixture, waitFor } from './test-support/kafka-fixtures.js';
import { createEffectsDatabase, type TestDatabase } from './test-support/pg-fixtures.js';

jest.setTimeout(60_000);

const { fixtures, admin, newTopic: newTopicNamed, deleteAfterAll, drained } = useKafkaFixture();
const kafka = libraryKafka('messaging-int');
let db: TestDatabase;
const consumers: KafkaBatchConsumer[] = [];

beforeAll(async () => {
  db = await createEffectsDatabase();
});

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
  await db.pool.query('TRUNCATE inbox, totals, deliveries');
});

afterAll(() => db.drop());

const newTopic = (spec: { partitions?: number; config?: Record<string, string> } = {}) => newTopicNamed('msg-test', spec);

/** Produces `envelopes` to `topic` as they are: key and value. */
const produceAll = (topic: string, envelopes: { key: string; value: string }[]) =>
  produce(fixtures, topic, envelopes.map(({ key, value }) => ({ key, value })));

type ConsumerOptions = Partial<KafkaBatchConsumerOptions> & Pick<KafkaBatchConsumerOptions, 'handle'>;

/** Starts a consumer of `topic` in a fresh group (unless `options` name one). */
async function startConsumer(topic: string, options: ConsumerOptions): Promise<{ groupId: string; consumer: KafkaBatchConsumer }> {
  const groupId = options.groupId ?? uniqueName('group');
  const consumer = testConsumer(kafka, { topics: [topic], ...options, groupId }, consumers);
  await consumer.start();
  return { groupId, consumer };
}

/** Starts a consumer of `topic` (see startConsumer) and waits until it has committed every record there. */
async function consumeAll(topic: string, options: ConsumerOptions): Promise<{ groupId: string; consumer: KafkaBatchConsumer }> {
  const started = await startConsumer(topic, options);
  await drained(started.groupId, topic);
  return started;
}

/** The handler the services use: deliveries recorded, then one transaction with the inbox check. */
async function effectHandler(messages: ConsumedMessage[]): Promise<void> {
  await recordDeliveries(db.pool, messages);
  await applyBatch(db.pool, messages);
}

describe('KafkaBatchConsumer', () => {
  it('hands published messages over in partition order, in bounded chunks, and commits what it handled', async () => {
    const topic = await newTopic({ partitions: 2 });
    const publisher = new KafkaPublisher(kafka, { logger: testLogger });
    await publisher.connect();
    const envelopes = Array.from({ length: 12 }, (_, i) => backInStock({ sku: `SKU-${i % 3}`, available: i + 1 }));
    await publisher.publish(
      envelopes.map((e) => ({ topic, key: e.key, value: e.value, headers: { traceparent: `trace-${e.id}` } })),
    );
    await publisher.disconnect();

    const received: ConsumedMessage[] = [];
    const chunkSizes: number[] = [];
    const groupId = uniqueName('group');
    const consumer = testConsumer(
      kafka,
      {
        topics: [topic],
        groupId,
        maxBatchSize: 4,
        handle: async (messages) => {
          chunkSizes.push(messages.length);
          received.push(...messages);
        },
      },
      consumers,
    );
    expect(consumer.isHealthy()).toBe(false);
    await consumer.start();
    await waitFor(() => received.length === 12, { what: '12 messages' });
    expect(consumer.isHealthy()).toBe(true);

    expect(Math.max(...chunkSizes)).toBeLessThanOrEqual(4);
    for (const sku of ['SKU-0', 'SKU-1', 'SKU-2']) {
      const sent = envelopes.filter((e) => e.key === sku).map((e) => e.id);
      expect(received.filter((m) => m.key === sku).map((m) => m.envelope.id)).toEqual(sent);
    }
    const first = received.find((m) => m.envelope.id === envelopes[0]!.id)!;
    expect(first).toMatchObject({ topic, key: 'SKU-0', headers: { traceparent: `trace-${envelopes[0]!.id}` } });
    expect(first.envelope).toMatchObject({ type: 'BackInStock', data: { sku: 'SKU-0', available: 1 } });

    const ends = await admin.fetchTopicOffsets(topic);
    await drained(groupId, topic);
    const committed = await committedOffsets(admin, groupId, topic);
    expect(ends.some(({ high }) => high !== '0')).toBe(true);
    // A partition that never had a record has nothing to commit.
    for (const { partition, high } of ends) expect(committed.get(partition)).toBe(high === '0' ? -1n : BigInt(high));

    await consumer.stop();
    expect(consumer.isHealthy()).toBe(false);
  });

  it('dead-letters a poison message after the configured attempts and handles the 100 good ones behind it', async () => {
    const topic = await newTopic();
    const poison = backInStock({ sku: 'POISON' });
    const good = Array.from({ length: 100 }, (_, i) => backInStock({ sku: `SKU-${i % 7}`, available: 1 }));
    await produce(fixtures, topic, [poison, ...good].map(({ key, value }) => ({ key, value, headers: { origin: 'test' } })));

    let poisonCalls = 0;
    const metrics = new Registry();
    const { groupId } = await consumeAll(topic, {
      metrics,
      handle: async (messages) => {
        if (messages.some((m) => m.envelope.id === poison.id)) {
          if (messages.length === 1) poisonCalls++;
          throw new Error('cannot apply this one');
        }
        await effectHandler(messages);
      },
    });

    const effects = await readEffects(db.pool);
    expect(effects.handled).toBe(100);
    expect(poisonCalls).toBe(FAST_RETRY.attempts);

    const [dead, ...more] = await readTopic(fixtures, `${topic}.dlq`, 1);
    expect(more).toHaveLength(0);
    expect(dead!.key?.toString()).toBe('POISON');
    expect(dead!.value?.toString()).toBe(poison.value);
    expect(headerOf(dead!, 'origin')).toBe('test');
    expect(headerOf(dead!, DLQ_HEADERS.reason)).toBe('Error: cannot apply this one');
    expect(headerOf(dead!, DLQ_HEADERS.attempts)).toBe(String(FAST_RETRY.attempts));
    expect(headerOf(dead!, DLQ_HEADERS.sourceTopic)).toBe(topic);
    expect(headerOf(dead!, DLQ_HEADERS.sourcePartition)).toBe('0');
    expect(headerOf(dead!, DLQ_HEADERS.sourceOffset)).toBe('0');
    expect(headerOf(dead!, DLQ_HEADERS.consumerGroup)).toBe(groupId);
    expect(Number.isNaN(Date.parse(headerOf(dead!, DLQ_HEADERS.failedAt) ?? ''))).toBe(false);

    const text = await metrics.metrics();
    expect(text).toContain(`messaging_messages_dead_lettered_total{group="${groupId}",topic="${topic}",reason="retries-exhausted"} 1`);
    expect(text).toContain(`messaging_messages_consumed_total{group="${groupId}",topic="${topic}"} 101`);
    expect(text).toContain(
      `messaging_handler_retries_total{group="${groupId}",topic="${topic}",kind="message"} ${FAST_RETRY.attempts - 1}`,
    );
    expect(text).toMatch(new RegExp(`messaging_batch_duration_seconds_count\\{group="${groupId}",topic="${topic}"\\} [1-9]`));
  });

  it('dead-letters a NonRetryableError at once, without retrying it', async () => {
    const topic = await newTopic();
    const refused = backInStock({ sku: 'REFUSED' });
    const fine = backInStock({ sku: 'FINE' });
    await produceAll(topic, [refused, fine]);

    let refusedCalls = 0;
    await consumeAll(topic, {
      retry: { attempts: 5, initialDelayMs: 20, maxDelayMs: 100 },
      handle: async (messages) => {
        if (messages.some((m) => m.key === 'REFUSED')) {
          if (messages.length === 1) refusedCalls++;
          throw new NonRetryableError('SKU REFUSED is not sold here');
        }
        await effectHandler(messages);
      },
    });

    expect(refusedCalls).toBe(1);
    expect((await readEffects(db.pool)).totals).toEqual({ FINE: 1 });
    const [dead] = await readTopic(fixtures, `${topic}.dlq`, 1);
    expect(headerOf(dead!, DLQ_HEADERS.reason)).toBe('NonRetryableError: SKU REFUSED is not sold here');
    expect(headerOf(dead!, DLQ_HEADERS.attempts)).toBe('1');
  });

  it('dead-letters every kind of garbage at once with a reason naming the problem, and accepts extra fields', async () => {
    // 3 MB on the topic and its DLQ, so a 2 MB record can be produced and dead-lettered with its original bytes.
    const topic = await newTopic({ config: { 'max.message.bytes': String(3 * 1024 * 1024) } });
    const valid = JSON.parse(backInStock({ sku: 'SKU-G' }).value) as Record<string, unknown>;
    const withoutId = { ...valid };
    delete withoutId.id;
    const huge = backInStock({ sku: 'SKU-HUGE' }, { padding: 'x'.repeat(2 * 1024 * 1024) });
    const extra = backInStock({ sku: 'SKU-EXTRA' }, { myextension: 'kept', data: { sku: 'SKU-EXTRA', available: 2, colour: 'blue' } });
    const garbage: { name: string; value: string; reason: RegExp }[] = [
      { name: 'not JSON', value: 'this is {not json', reason: /JSON/ },
      { name: 'no id', value: JSON.stringify(withoutId), reason: /\bid\b/ },
      {
        name: 'wrong data type',
        value: JSON.stringify({ ...valid, id: randomUUID(), data: { sku: 'SKU-G', available: 'many' } }),
        reason: /available/,
      },
      { name: 'unknown type', value: JSON.stringify({ ...valid, id: randomUUID(), type: 'StockTeleported' }), reason: /unknown type/ },
      { name: '2 MB', value: huge.value, reason: /too large/ },
    ];
    await produce(fixtures, topic, [
      ...garbage.map(({ value }) => ({ key: 'SKU-G', value })),
      { key: extra.key, value: extra.value },
    ]);

    let calls = 0;
    await consumeAll(topic, {
      handle: async (messages) => {
        calls++;
        await effectHandler(messages);
      },
    });

    // Only the message with extra fields reached the handler, in one call (no retries for garbage).
    expect(calls).toBe(1);
    expect((await readEffects(db.pool)).totals).toEqual({ 'SKU-EXTRA': 2 });

    const dead = await readTopic(fixtures, `${topic}.dlq`, garbage.length);
    expect(dead).toHaveLength(garbage.length);
    garbage.forEach(({ name, value, reason }, offset) => {
      const record = dead.find((d) => headerOf(d, DLQ_HEADERS.sourceOffset) === String(offset));
      expect({ name, found: record !== undefined }).toEqual({ name, found: true });
      expect({ name, reason: headerOf(record!, DLQ_HEADERS.reason) }).toEqual({ name, reason: expect.stringMatching(reason) });
      expect({ name, attempts: headerOf(record!, DLQ_HEADERS.attempts) }).toEqual({ name, attempts: '0' });
      expect({ name, sameBytes: record!.value?.equals(Buffer.from(value)) }).toEqual({ name, sameBytes: true });
    });
  });

  it('gives the same final state when every message is delivered 1 to 5 times', async () => {
    const topic = await newTopic({ partitions: 3 });
    const originals = Array.from({ length: 40 }, (_, i) => backInStock({ sku: `SKU-${i % 5}`, available: i + 1 }));
    // A deterministic spread of 1..5 copies, interleaved so duplicates land in the same and in different chunks.
    const copies = originals.flatMap((e, i) => Array.from({ length: (i * 7) % 5 + 1 }, () => e));
    const shuffled = copies.map((e, i) => ({ e, rank: (i * 7919) % copies.length })).sort((a, b) => a.rank - b.rank);
    await produceAll(topic, shuffled.map(({ e }) => e));

    await consumeAll(topic, { maxBatchSize: 16, partitionsConsumedConcurrently: 3, handle: effectHandler });

    const expected: Record<string, number> = {};
    for (const e of originals) {
      const { data } = JSON.parse(e.value) as { data: { sku: string; available: number } };
      expected[data.sku] = (expected[data.sku] ?? 0) + data.available;
    }
    const effects = await readEffects(db.pool);
    // Every copy reached the handler; a rebalance on a loaded machine may hand a batch over again before its offsets
    // were committed (CI saw 160 of 120), which is one more copy and must change nothing either.
    expect(effects.deliveries).toBeGreaterThanOrEqual(copies.length);
    expect(effects.handled).toBe(originals.length);
    expect(effects.totals).toEqual(expected);
  });

  it('does not dead-letter during a database outage: it pauses, retries the same messages and handles each once', async () => {
    const topic = await newTopic();
    const envelopes = Array.from({ length: 30 }, (_, i) => backInStock({ sku: `SKU-${i % 4}`, available: 1 }));
    await produceAll(topic, envelopes);

    // A real pool against a port nothing listens on: node-postgres fails with a genuine ECONNREFUSED.
    const unreachable = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', max: 1 });
    let outage = true;
    let failures = 0;
    const metrics = new Registry();
    const { groupId } = await startConsumer(topic, {
      metrics,
      maxBatchSize: 10,
      retry: { attempts: 2, initialDelayMs: 20, maxDelayMs: 100 },
      handle: async (messages) => {
        if (outage) {
          failures++;
          await applyBatch(unreachable, messages);
        }
        await effectHandler(messages);
      },
    });
    // Far more failures than the retry bound: a bounded retry would have dead-lettered by now.
    await waitFor(() => failures >= 8, { what: 'repeated outage failures' });
    expect(await committedOffsets(admin, groupId, topic)).toEqual(new Map([[0, -1n]]));
    outage = false;
    await drained(groupId, topic);
    await unreachable.end();

    const effects = await readEffects(db.pool);
    expect(effects.handled).toBe(30);
    expect(effects.deliveries).toBe(30);
    expect(effects.totals).toEqual({ 'SKU-0': 8, 'SKU-1': 8, 'SKU-2': 7, 'SKU-3': 7 });
    const dlqEnd = await admin.fetchTopicOffsets(`${topic}.dlq`);
    expect(dlqEnd.map((p) => p.high)).toEqual(['0']);
    expect(await metrics.metrics()).toMatch(
      new RegExp(`messaging_handler_retries_total\\{group="${groupId}",topic="${topic}",kind="infrastructure"\\} ([89]|\\d{2,})`),
    );
  });

  it('on stop, finishes and commits the chunk in flight, leaves the rest uncommitted, and a restart resumes there', async () => {
    const topic = await newTopic();
    const envelopes = Array.from({ length: 30 }, (_, i) => backInStock({ sku: 'SKU-SLOW', available: i + 1 }));
    await produceAll(topic, envelopes);

    let chunksStarted = 0;
    const { groupId, consumer: slow } = await startConsumer(topic, {
      maxBatchSize: 5,
      handle: async (messages) => {
        chunksStarted++;
        await new Promise((resolve) => setTimeout(resolve, 300));
        await effectHandler(messages);
      },
    });
    await waitFor(() => chunksStarted === 2, { what: 'second chunk in flight' });
    const firstStop = slow.stop();
    // A second stop (say, a repeated SIGTERM) resolves only once the consumer has really stopped.
    await slow.stop();

    expect(chunksStarted).toBe(2);
    expect(await committedOffsets(admin, groupId, topic)).toEqual(new Map([[0, 10n]]));
    expect((await readEffects(db.pool)).handled).toBe(10);
    await firstStop;

    const offsetsSeen: string[] = [];
    await consumeAll(topic, {
      groupId,
      handle: async (messages) => {
        offsetsSeen.push(...messages.map((m) => m.offset));
        await effectHandler(messages);
      },
    });
    expect(offsetsSeen[0]).toBe('10');
    const effects = await readEffects(db.pool);
    expect(effects.deliveries).toBe(30);
    expect(effects.totals).toEqual({ 'SKU-SLOW': (30 * 31) / 2 });
  });

  it('keeps records uncommitted while their DLQ topic is missing, and dead-letters them once it exists', async () => {
    const topic = uniqueName('msg-test');
    await createTopicsReady(admin, [{ topic, numPartitions: 1 }]);
    deleteAfterAll(topic, `${topic}.dlq`);
    const good = backInStock({ sku: 'SKU-AFTER' });
    await produceAll(topic, [{ key: 'k', value: 'garbage' }, good]);

    const { groupId } = await startConsumer(topic, { handle: effectHandler });
    await waitFor(async () => (await readEffects(db.pool)).deliveries >= 1, { what: 'the good message handled' });
    // The DLQ producer gives up after a few seconds; nothing may be committed meanwhile.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    expect(await committedOffsets(admin, groupId, topic)).toEqual(new Map([[0, -1n]]));

    await createTopicsReady(admin, [{ topic: `${topic}.dlq`, numPartitions: 1 }]);
    await drained(groupId, topic);
    const dead = await readTopic(fixtures, `${topic}.dlq`, 1);
    expect(dead.map((d) => d.value?.toString())).toEqual(['garbage']);
    // The good message came back with the garbage; the inbox kept it to one effect.
    expect((await readEffects(db.pool)).totals).toEqual({ 'SKU-AFTER': 1 });
  });

  it('stays in the group through a batch that takes longer than the session timeout', async () => {
    const topic = await newTopic();
    const envelopes = Array.from({ length: 10 }, () => backInStock({ sku: 'SKU-LONG', available: 1 }));
    await produceAll(topic, envelopes);

    let calls = 0;
    const { consumer } = await consumeAll(topic, {
      // 6 s is the broker's minimum session timeout; the first batch takes 8 s.
      consumerConfig: { sessionTimeout: 6_000, heartbeatInterval: 500 },
      handle: async (messages) => {
        if (calls++ === 0) await new Promise((resolve) => setTimeout(resolve, 8_000));
        await effectHandler(messages);
      },
    });

    // Had the member been expelled, its commit would have failed and the batch would have come back.
    const effects = await readEffects(db.pool);
    expect(effects.deliveries).toBe(10);
    expect(effects.handled).toBe(10);
    expect(consumer.isHealthy()).toBe(true);
  });

  it('when an outage starts while messages are handled one by one, commits the ones done and resumes at the next', async () => {
    const topic = await newTopic();
    const poison = backInStock({ sku: 'POISON' });
    const rest = Array.from({ length: 19 }, (_, i) => backInStock({ sku: i === 4 ? 'SKU-OUTAGE' : 'SKU-OK', available: 1 }));
    await produceAll(topic, [poison, ...rest]);

    const unreachable = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/none', max: 1 });
    let outageCalls = 0;
    let poisonCalls = 0;
    await consumeAll(topic, {
      handle: async (messages) => {
        if (messages.some((m) => m.key === 'POISON')) {
          if (messages.length === 1) poisonCalls++;
          throw new Error('poison');
        }
        if (messages.some((m) => m.key === 'SKU-OUTAGE') && outageCalls < 3) {
          outageCalls++;
          await applyBatch(unreachable, messages);
        }
        await effectHandler(messages);
      },
    });
    await unreachable.end();

    // The poison was dead-lettered once, the four before the outage were not handled again after it.
    expect(poisonCalls).toBe(FAST_RETRY.attempts);
    expect(outageCalls).toBe(3);
    const effects = await readEffects(db.pool);
    expect(effects.handled).toBe(19);
    expect(effects.deliveries).toBe(19);
    const dlqEnd = await admin.fetchTopicOffsets(`${topic}.dlq`);
    expect(dlqEnd.map((p) => p.high)).toEqual(['1']);
  });

  it('stop() cuts a retry backoff short and leaves the failing message uncommitted and out of the DLQ', async () => {
    const topic = await newTopic();
    const failing = backInStock({ sku: 'SKU-FAILING' });
    await produceAll(topic, [failing]);

    let calls = 0;
    const { groupId, consumer } = await startConsumer(topic, {
      // A backoff longer than the test may run: stop() can only return by cutting it short.
      retry: { attempts: 5, initialDelayMs: 3_600_000, maxDelayMs: 3_600_000 },
      handle: async () => {
        calls++;
        throw new Error('not yet');
      },
    });
    // The batch call and the first individual call failed; the consumer now waits an hour before the next.
    await waitFor(() => calls === 2, { what: 'first individual failure' });
    await consumer.stop();
    expect(calls).toBe(2);
    expect(await committedOffsets(admin, groupId, topic)).toEqual(new Map([[0, -1n]]));
    expect((await admin.fetchTopicOffsets(`${topic}.dlq`)).map((p) => p.high)).toEqual(['0']);
  });

  it('dead-letters a record its decoder throws on, and goes on', async () => {
    const topic = await newTopic();
    const good = backInStock({ sku: 'SKU-DECODED' });
    await produceAll(topic, [{ key: 'x', value: 'explode' }, good]);

    await consumeAll(topic, {
      decode: (t, value) => {
        if (String(value) === 'explode') throw new TypeError('kaboom');
        return decodeAsInventoryEvents(t, value);
      },
      handle: effectHandler,
    });

    expect((await readEffects(db.pool)).totals).toEqual({ 'SKU-DECODED': 1 });
    const [dead] = await readTopic(fixtures, `${topic}.dlq`, 1);
    expect(headerOf(dead!, DLQ_HEADERS.reason)).toBe('decoder failed: TypeError: kaboom');
  });

  it('rejects start() when the broker is unreachable, and reports unhealthy', async () => {
    const unreachable = new Kafka({
      brokers: ['127.0.0.1:1'],
      clientId: uniqueName('unreachable'),
      connectionTimeout: 200,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
    const consumer = testConsumer(unreachable, { topics: [uniqueName('never')], handle: effectHandler }, consumers);
    await expect(consumer.start()).rejects.toThrow(/ECONNREFUSED|Connection error/);
    expect(consumer.isHealthy()).toBe(false);
    await expect(consumer.start()).rejects.toThrow(/cannot start/);
    await expect(consumer.stop()).resolves.toBeUndefined();
  });
});
