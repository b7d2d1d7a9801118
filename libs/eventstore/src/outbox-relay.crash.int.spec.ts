import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { transformFile } from '@swc/core';
import { Kafka, logLevel } from 'kafkajs';
import { Inbox } from './inbox.js';
import type { PostgresEventStore } from './postgres-event-store.js';
import {
  createTestStore,
  createTestTopic,
  kafkaBrokers,
  readTopic,
  uniqueSuffix,
  type TestStore,
} from './testing-env.js';

const libraryDir = join(__dirname, '..');

/** The library as plain ESM JavaScript, so a child `node` process can run the code under test as it is now. */
async function transpileLibrary(outDir: string): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'package.json'), '{ "type": "module" }\n');
  const sources = readdirSync(__dirname).filter((file) => file.endsWith('.ts') && !file.endsWith('.spec.ts'));
  for (const file of sources) {
    const { code } = await transformFile(join(__dirname, file), {
      jsc: { parser: { syntax: 'typescript' }, target: 'es2022' },
      module: { type: 'es6' },
      swcrc: false,
    });
    writeFileSync(join(outDir, file.replace(/\.ts$/, '.js')), code);
  }
}

interface RelayProcess {
  child: ChildProcess;
  waitFor(event: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

function startRelayProcess(env: Record<string, string>): RelayProcess {
  const child = spawn(process.execPath, [join(libraryDir, 'test', 'relay-child.mjs')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const events: Record<string, unknown>[] = [];
  const waiters: { event: string; resolve: (e: Record<string, unknown>) => void }[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const parsed = JSON.parse(line) as Record<string, unknown>;
    events.push(parsed);
    for (const waiter of waiters.filter((w) => w.event === parsed.event)) waiter.resolve(parsed);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    exited,
    stderr: () => stderr,
    waitFor(event, timeoutMs = 20_000) {
      const seen = events.find((e) => e.event === event);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`relay child never reported ${event}; stderr:\n${stderr}`)),
          timeoutMs,
        );
        waiters.push({
          event,
          resolve: (e) => {
            clearTimeout(timer);
            resolve(e);
          },
        });
        void exited.then(({ code, signal }) =>
          reject(new Error(`relay child exited (${code ?? signal}) before ${event}; stderr:\n${stderr}`)),
        );
      });
    },
  };
}

async function kill(relay: RelayProcess): Promise<void> {
  relay.child.kill('SIGKILL');
  expect((await relay.exited).signal).toBe('SIGKILL');
}

describe('OutboxRelay killed in a separate process', () => {
  let t: TestStore;
  let store: PostgresEventStore;
  let topic: string;
  let removeTopic: () => Promise<void>;
  const compiled = join(libraryDir, '.local', `relay-child-${uniqueSuffix()}`);
  const children: RelayProcess[] = [];

  beforeAll(async () => {
    await transpileLibrary(compiled);
    t = await createTestStore();
    store = t.store;
    ({ topic, remove: removeTopic } = await createTestTopic(3));
  });
  afterAll(async () => {
    for (const relay of children) if (relay.child.exitCode === null && relay.child.signalCode === null) relay.child.kill('SIGKILL');
    await t?.close();
    await removeTopic?.();
    rmSync(compiled, { recursive: true, force: true });
  });

  const relayProcess = (crashPoint: string, batchSize = 500) => {
    const relay = startRelayProcess({
      ES_LIB: compiled,
      DATABASE_URL: t.database.url,
      KAFKA_BROKERS: kafkaBrokers().join(','),
      CRASH_POINT: crashPoint,
      BATCH_SIZE: String(batchSize),
    });
    children.push(relay);
    return relay;
  };
  const outboxCount = async () => Number((await t.pool.query('SELECT count(*) AS n FROM es_outbox')).rows[0].n);
  const topicSize = async () => (await readTopic(topic)).length;

  const appendWithOutbox = async (streams: string[], fromVersion: number, toVersion: number) => {
    for (let version = fromVersion; version <= toVersion; version++) {
      for (const stream of streams) {
        const id = randomUUID();
        await store.append(stream, version - 1, [{ id, type: 'Counted', data: { version } }], {
          outbox: [{ topic, key: stream, value: JSON.stringify({ id, stream, version }) }],
        });
      }
    }
  };

  /** A consumer group that applies each message's effect in one transaction with its inbox claim. */
  async function consumeWithInbox(expectedRecords: number): Promise<{ delivered: number; duplicatesDropped: number }> {
    await t.pool.query('CREATE TABLE effects (event_id uuid PRIMARY KEY, stream text NOT NULL, version int NOT NULL)');
    const inbox = new Inbox('crash-test-consumer');
    const consumer = new Kafka({ clientId: 'crash-test', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING }).consumer(
      { groupId: `crash-test-${uniqueSuffix()}` },
    );
    let delivered = 0;
    let duplicatesDropped = 0;
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`consumed only ${delivered} of ${expectedRecords}`)), 30_000);
        consumer
          .run({
            eachMessage: async ({ message }) => {
              const body = JSON.parse(message.value!.toString()) as { id: string; stream: string; version: number };
              await store.transaction(async (tx) => {
                const fresh = await inbox.claim(tx, [body.id]);
                if (!fresh.has(body.id)) {
                  duplicatesDropped++;
                  return;
                }
                await tx.query('INSERT INTO effects VALUES ($1, $2, $3)', [body.id, body.stream, body.version]);
              });
              if (++delivered === expectedRecords) {
                clearTimeout(timer);
                resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    return { delivered, duplicatesDropped };
  }

  it('loses nothing when killed before or after publishing, and an inbox consumer applies each event once', async () => {
    const streams = ['sku-1', 'sku-2', 'sku-3', 'sku-4', 'sku-5', 'sku-6'];
    await appendWithOutbox(streams, 1, 20);
    expect(await outboxCount()).toBe(120);

    // Killed between commit and publish: nothing reached the broker, every row is still there.
    const first = relayProcess('before-publish');
    await first.waitFor('about-to-publish');
    await kill(first);
    expect(await outboxCount()).toBe(120);
    expect(await topicSize()).toBe(0);

    // Killed after publishing a batch but before deleting its rows: the batch is on the broker and still queued.
    const second = relayProcess('after-publish', 50);
    const published = await second.waitFor('published');
    await kill(second);
    expect(published.positions).toHaveLength(50);
    expect(await outboxCount()).toBe(120);
    expect(await topicSize()).toBe(50);

    // More business happens while no relay runs.
    await appendWithOutbox(streams, 21, 25);

    const third = relayProcess('');
    await third.waitFor('started');
    const deadline = Date.now() + 20_000;
    while ((await outboxCount()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await outboxCount()).toBe(0);
    third.child.kill('SIGTERM');
    expect(await third.exited).toEqual({ code: 0, signal: null });

    // At least once: the 50 messages of the interrupted batch are on the topic twice.
    const records = await readTopic(topic);
    expect(records).toHaveLength(150 + 50);
    const ids = records.map((r) => (JSON.parse(r.value) as { id: string }).id);
    expect(new Set(ids).size).toBe(150);

    // Per key, first deliveries follow stream order.
    const firstSeen = new Map<string, number[]>();
    const counted = new Set<string>();
    for (const record of records) {
      const body = JSON.parse(record.value) as { id: string; stream: string; version: number };
      if (counted.has(body.id)) continue;
      counted.add(body.id);
      firstSeen.set(body.stream, [...(firstSeen.get(body.stream) ?? []), body.version]);
    }
    for (const stream of streams) {
      expect(firstSeen.get(stream)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    }

    // Exactly once effects.
    const { duplicatesDropped } = await consumeWithInbox(records.length);
    expect(duplicatesDropped).toBe(50);
    const effects = await t.pool.query<{ stream: string; versions: number[] }>(
      'SELECT stream, array_agg(version ORDER BY version) AS versions FROM effects GROUP BY stream ORDER BY stream',
    );
    expect(effects.rows).toEqual(
      streams.map((stream) => ({ stream, versions: Array.from({ length: 25 }, (_, i) => i + 1) })),
    );
  });
});
