import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { LockClass } from './locks.js';
import { OutboxRelay, type OutboxRelayOptions, type Publish } from './outbox-relay.js';
import type { PostgresEventStore } from './postgres-event-store.js';
import {
  createKafkaPublisher,
  createTestStore,
  createTestTopic,
  openTransaction,
  readTopic,
  type TestStore,
  type TopicRecord,
} from './testing-env.js';
import type { EventStoreLogger, OutboxMessage, OutboxRecord } from './types.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms; last value ${String(value)}`);
    await sleep(20);
  }
}

function capturingLogger(): EventStoreLogger & { entries: { level: string; obj: object; msg?: string }[] } {
  const entries: { level: string; obj: object; msg?: string }[] = [];
  const log = (level: string) => (obj: object, msg?: string) => void entries.push({ level, obj, msg });
  return { entries, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

const valuesByKey = (records: TopicRecord[]) => {
  const byKey = new Map<string, unknown[]>();
  for (const record of records) {
    const values = byKey.get(record.key) ?? byKey.set(record.key, []).get(record.key)!;
    values.push(JSON.parse(record.value));
  }
  return byKey;
};

describe('OutboxRelay', () => {
  let t: TestStore;
  let store: PostgresEventStore;
  let kafka: Awaited<ReturnType<typeof createKafkaPublisher>>;
  let topic: string;
  let removeTopic: () => Promise<void>;
  const relays: OutboxRelay[] = [];

  // A producer per test: kafkajs keeps refreshing metadata of every topic it ever sent to, and fails once one of
  // them has been deleted.
  beforeEach(async () => {
    t = await createTestStore();
    store = t.store;
    ({ topic, remove: removeTopic } = await createTestTopic(3));
    kafka = await createKafkaPublisher();
  });
  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    await kafka.disconnect();
    await t.close();
    await removeTopic();
  });

  const relay = (publish: Publish = kafka.publish, options: OutboxRelayOptions = {}) => {
    const instance = new OutboxRelay(t.pool, publish, { logger: capturingLogger(), ...options });
    relays.push(instance);
    return instance;
  };
  const outboxCount = async () => Number((await t.pool.query('SELECT count(*) AS n FROM es_outbox')).rows[0].n);
  const message = (key: string, body: Record<string, unknown>): OutboxMessage => ({
    topic,
    key,
    value: JSON.stringify(body),
    headers: { 'ce-type': 'Counted' },
  });
  const enqueue = (count: number, key = 'k', from = 0) =>
    store.transaction((tx) =>
      store.enqueueOutbox(
        tx,
        Array.from({ length: count }, (_, i) => message(key, { n: from + i })),
      ),
    );

  it('publishes every message appended with its events, in stream order per key, and then deletes it', async () => {
    const streams = ['sku-a', 'sku-b', 'sku-c'];
    for (let version = 1; version <= 30; version++) {
      for (const stream of streams) {
        await store.append(stream, version - 1, [{ type: 'Counted', data: { version } }], {
          outbox: [message(stream, { stream, version })],
        });
      }
    }
    const relaying = relay();
    await relaying.start();
    expect(relaying.isLeader).toBe(true);
    await relaying.drain();

    const records = await readTopic(topic);
    expect(records).toHaveLength(90);
    const byKey = valuesByKey(records);
    for (const stream of streams) {
      expect(byKey.get(stream)).toEqual(Array.from({ length: 30 }, (_, i) => ({ stream, version: i + 1 })));
    }
    expect(records[0]!.headers).toEqual({ 'ce-type': 'Counted' });
    expect(await outboxCount()).toBe(0);
  });

  it('hands publish at most batchSize rows at a time, in outbox order', async () => {
    await enqueue(1100);
    const calls: OutboxRecord[][] = [];
    const relaying = relay(
      async (batch) => {
        calls.push(batch);
        await kafka.publish(batch);
      },
      { batchSize: 500 },
    );
    await relaying.start();
    await relaying.drain();
    expect(calls.map((batch) => batch.length)).toEqual([500, 500, 100]);
    const positions = calls.flat().map((record) => record.position);
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
    expect(new Set(positions).size).toBe(1100);
  });

  it('cuts a batch at maxBatchBytes and goes on at once with the rest; a row larger than that goes alone', async () => {
    const sized = (n: number, length: number) => message('k', { n, pad: 'x'.repeat(length) });
    await store.transaction((tx) =>
      store.enqueueOutbox(tx, [...Array.from({ length: 20 }, (_, n) => sized(n, 200)), sized(20, 5000), sized(21, 200)]),
    );
    const calls: OutboxRecord[][] = [];
    const relaying = relay(
      async (batch) => {
        calls.push(batch);
        await kafka.publish(batch);
      },
      // A poll far longer than the test: only going on at once after a cut batch can empty the outbox in time.
      { batchSize: 100, maxBatchBytes: 1000, pollIntervalMs: 60_000 },
    );
    await relaying.start();
    await eventually(outboxCount, (n) => n === 0, 5_000);

    const bytes = (batch: OutboxRecord[]) =>
      batch.reduce((sum, r) => sum + Buffer.byteLength(r.key) + Buffer.byteLength(r.value) + JSON.stringify(r.headers).length + 1, 0);
    expect(calls.length).toBeGreaterThan(4);
    for (const batch of calls) expect(batch.length === 1 || bytes(batch) <= 1000).toBe(true);
    expect(calls.find((batch) => batch.some((r) => r.value.length > 5000))).toHaveLength(1);
    const published = calls.flat().map((record) => (JSON.parse(record.value) as { n: number }).n);
    expect(published).toEqual(Array.from({ length: 22 }, (_, n) => n));
  });

  it('does not lose a row that commits with a lower position while a later one is being published', async () => {
    const slow = await openTransaction(t.pool);
    await store.enqueueOutbox(slow.tx, [message('k', { n: 'committed-late' })]);
    await enqueue(1);
    let committedDuringPublish = false;
    const relaying = relay(async (batch) => {
      if (!committedDuringPublish) {
        committedDuringPublish = true;
        await slow.commit();
      }
      await kafka.publish(batch);
    });
    await relaying.start();
    await relaying.drain();
    expect(committedDuringPublish).toBe(true);
    const values = (await readTopic(topic)).map((r) => (JSON.parse(r.value) as { n: unknown }).n);
    expect(values).toEqual([0, 'committed-late']);
  });

  it('wakes up on the notification of a committed append instead of waiting for its poll', async () => {
    // A poll that never comes within the test: only the notification can make the relay look at the outbox again.
    const relaying = relay(kafka.publish, { pollIntervalMs: 3_600_000 });
    await relaying.start();
    await sleep(100); // let it find the outbox empty and go to sleep

    await store.append('notified', 'no_stream', [{ type: 'Counted', data: {} }], {
      outbox: [message('notified', { n: 1 })],
    });
    await eventually(outboxCount, (n) => n === 0, 30_000);
    expect((await readTopic(topic)).map((r) => (JSON.parse(r.value) as { n: unknown }).n)).toEqual([1]);
  });

  it('still publishes by polling when it hears no notification', async () => {
    const relaying = relay(kafka.publish, { channel: 'nobody_notifies_this_channel', pollIntervalMs: 200 });
    await relaying.start();
    await sleep(100);
    await enqueue(3);
    await eventually(outboxCount, (n) => n === 0, 5_000);
  });

  it('keeps the rows when publish fails and retries them in the same order', async () => {
    const secret = 'alice@example.com';
    await store.transaction((tx) =>
      store.enqueueOutbox(
        tx,
        Array.from({ length: 20 }, (_, i) => message('retry', { n: i, email: secret })),
      ),
    );
    const logger = capturingLogger();
    let failuresLeft = 3;
    let rowsWhileFailing = -1;
    const relaying = relay(
      async (batch) => {
        if (failuresLeft > 0) {
          failuresLeft--;
          rowsWhileFailing = await outboxCount();
          throw new Error('broker unavailable');
        }
        await kafka.publish(batch);
      },
      { maxBackoffMs: 50, logger },
    );
    await relaying.start();
    await relaying.drain();

    expect(failuresLeft).toBe(0);
    expect(rowsWhileFailing).toBe(20);
    const records = await readTopic(topic);
    expect(records.map((r) => (JSON.parse(r.value) as { n: number }).n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(logger.entries.filter((e) => e.level === 'error')).toHaveLength(3);
    // Message payloads may carry customer data: they never reach the logs.
    expect(JSON.stringify(logger.entries)).not.toContain(secret);
  });

  it('lets only one relay per database publish; a standby takes over when the leader stops', async () => {
    const publishedBy: string[] = [];
    const tracked = (name: string): Publish => async (batch) => {
      publishedBy.push(...batch.map(() => name));
      await kafka.publish(batch);
    };
    const a = relay(tracked('a'), { pollIntervalMs: 100 });
    const b = relay(tracked('b'), { pollIntervalMs: 100 });
    await Promise.all([a.start(), b.start()]);
    expect([a.isLeader, b.isLeader].filter(Boolean)).toHaveLength(1);
    const [leader, standby] = a.isLeader ? [a, b] : [b, a];
    const leaderName = a.isLeader ? 'a' : 'b';

    await enqueue(50, 'k', 0);
    await leader.drain();
    expect(new Set(publishedBy)).toEqual(new Set([leaderName]));

    await leader.stop();
    await eventually(async () => standby.isLeader, Boolean, 5_000);
    await enqueue(50, 'k', 50);
    await standby.drain();
    expect(publishedBy.slice(50)).toEqual(Array.from({ length: 50 }, () => (leaderName === 'a' ? 'b' : 'a')));

    const records = await readTopic(topic);
    expect(records.map((r) => (JSON.parse(r.value) as { n: number }).n)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('reconnects and takes the lead again after its database session is killed', async () => {
    const logger = capturingLogger();
    const relaying = relay(kafka.publish, { pollIntervalMs: 100, maxBackoffMs: 100, logger });
    await relaying.start();
    const leaderPid = async () =>
      (
        await t.pool.query<{ pid: number }>(
          `SELECT pid FROM pg_locks
           WHERE locktype = 'advisory' AND classid = $1 AND granted
             AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
          [LockClass.outboxRelay],
        )
      ).rows[0]?.pid;
    const before = await leaderPid();
    expect(before).toBeDefined();

    // Only if that pid is still a session of this test's database: pids are server-wide and get reused.
    await t.pool.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = $1 AND datname = current_database()', [before]);
    const after = await eventually(leaderPid, (pid) => pid !== undefined && pid !== before, 5_000);
    expect(after).not.toBe(before);
    // The lock is granted on the server a moment before the relay has recorded it.
    await eventually(async () => relaying.isLeader, Boolean, 5_000);

    await enqueue(5);
    await relaying.drain();
    expect(await readTopic(topic)).toHaveLength(5);
    // Reported as a connection error when idle, or as the failure of the query it was running.
    expect(
      logger.entries.some(
        (e) => e.msg === 'outbox relay connection lost' || e.msg === 'outbox relay database error; reconnecting',
      ),
    ).toBe(true);
  });

  it('finishes the publish in flight and deletes its rows before stop resolves', async () => {
    await enqueue(10);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let publishing!: () => void;
    const started = new Promise<void>((resolve) => (publishing = resolve));
    const relaying = relay(async (batch) => {
      publishing();
      await released;
      await kafka.publish(batch);
    });
    await relaying.start();
    await started;

    let stopped = false;
    const stopping = relaying.stop().then(() => (stopped = true));
    await sleep(100);
    expect(stopped).toBe(false);
    release();
    await stopping;
    expect(await outboxCount()).toBe(0);
    expect(relaying.isLeader).toBe(false);
  });

  it('drain rejects when nothing publishes within its timeout', async () => {
    await enqueue(1);
    const idle = relay();
    await expect(idle.drain({ timeoutMs: 200 })).rejects.toThrow('not drained within 200 ms');
    expect(await outboxCount()).toBe(1);
  });

  it('refuses a batch size or byte bound that is not a positive integer', () => {
    expect(() => new OutboxRelay(t.pool, kafka.publish, { batchSize: 0 })).toThrow(RangeError);
    expect(() => new OutboxRelay(t.pool, kafka.publish, { maxBatchBytes: 0 })).toThrow(RangeError);
  });
});
