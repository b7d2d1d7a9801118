// The one place this library's tests learn where PostgreSQL and Kafka are (the relay child of outbox-relay.crash too).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Kafka, logLevel, Partitioners, type Admin, type ITopicConfig } from 'kafkajs';
import pg from 'pg';
import type { Publish } from './outbox-relay.js';
import { PostgresEventStore } from './postgres-event-store.js';
import { runEventStoreMigrations } from './schema.js';
import { SessionClient, sessionPool } from './session-client.js';
import { PgTx } from './tx.js';

export const databaseUrl = (): string => process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const kafkaBrokers = (): string[] =>
  (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092')
    .split(',')
    .map((broker) => broker.trim())
    .filter((broker) => broker.length > 0);

export const uniqueSuffix = (): string => randomUUID().replaceAll('-', '').slice(0, 12);

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/** Runs `fn` on a connection to the test server's own database. */
async function onServer(fn: (client: pg.Client) => Promise<unknown>): Promise<void> {
  const client = new SessionClient({ connectionString: databaseUrl() });
  await client.connect();
  try {
    await fn(client);
  } finally {
    await client.end();
  }
}

/** A uniquely named database on the test server, not created yet: `create` makes it empty, `drop` removes it. */
function testDatabase(prefix: string): TestDatabase & { create(): Promise<void> } {
  const name = `${prefix}_${uniqueSuffix()}`;
  const url = new URL(databaseUrl());
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    create: () => onServer((client) => client.query(`CREATE DATABASE ${name}`)),
    // Even with open connections.
    drop: () => onServer((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

/** Creates an empty, uniquely named database on the test server; `drop` removes it even with open connections. */
export async function createTestDatabase(prefix = 'test_es'): Promise<TestDatabase> {
  const database = testDatabase(prefix);
  await database.create();
  return database;
}

export interface TestStore {
  database: TestDatabase;
  pool: pg.Pool;
  store: PostgresEventStore;
  close(): Promise<void>;
}

/** The store's pool and database on a database not created yet. */
function testStoreOn(database: TestDatabase, options: { poolSize?: number }): TestStore {
  const pool = sessionPool({ connectionString: database.url, max: options.poolSize ?? 10 });
  return {
    database,
    pool,
    store: new PostgresEventStore(pool),
    async close() {
      // pool.end() resolves before the server has closed every session; the forced drop then terminates the
      // stragglers, which is expected here and must not surface as an unhandled pool error.
      pool.on('error', (error: Error & { code?: string }) => {
        if (error.code !== '57P01') throw error;
      });
      await pool.end();
      await database.drop();
    },
  };
}

/** A migrated event store on a fresh database; `close` ends the pool and drops the database. */
export async function createTestStore(options: { poolSize?: number } = {}): Promise<TestStore> {
  const database = await createTestDatabase();
  await runEventStoreMigrations(database.url);
  return testStoreOn(database, options);
}

/**
 * The file's event store: a migrated store on a fresh database, made before its tests and dropped after them. The
 * pool and store exist at once (they connect on first use), so a spec can name them where it starts. The hooks are
 * Jest's globals rather than @jest/globals: outbox-relay.crash's child process imports this file outside Jest.
 */
export function useTestStore(options: { poolSize?: number } = {}): TestStore {
  const database = testDatabase('test_es');
  const t = testStoreOn(database, options);
  beforeAll(async () => {
    await database.create();
    await runEventStoreMigrations(database.url);
  });
  afterAll(() => t.close());
  return t;
}

/** How many rows of `table` match `where` (SQL, with `$1`… taken from `values`). */
export async function countRows(pool: pg.Pool, table: string, where = 'true', values: unknown[] = []): Promise<number> {
  return Number((await pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`, values)).rows[0]!.n);
}

/** A transaction a test keeps open across steps and ends when it chooses (store.transaction ends with its callback). */
export async function openTransaction(pool: pg.Pool) {
  const client = await pool.connect();
  await client.query('BEGIN');
  const tx = new PgTx(client);
  const end = async (command: 'COMMIT' | 'ROLLBACK') => {
    await client.query(command);
    tx.finish(command === 'COMMIT');
    client.release();
  };
  return { tx, commit: () => end('COMMIT'), rollback: () => end('ROLLBACK') };
}

/**
 * Creates topics and waits until each partition has a leader, with the scripts' helper (infra/local/kafka-topics.mjs)
 * that @fulfillment/testing uses too. Not through that package: the relay child of outbox-relay.crash imports this
 * file in a plain node process, where @fulfillment/testing (made for Jest) does not load.
 */
async function createTopicsReady(admin: Admin, topics: ITopicConfig[]): Promise<boolean> {
  // A path, not a file: URL, so that Jest's CommonJS require can load it as well as Node's ESM loader.
  const helper = path.resolve(__dirname, '../../../infra/local/kafka-topics.mjs');
  const { createTopicsReady: create } = (await import(helper)) as { createTopicsReady: (admin: Admin, topics: ITopicConfig[]) => Promise<boolean> };
  return create(admin, topics);
}

const kafka = () => new Kafka({ clientId: 'eventstore-tests', brokers: kafkaBrokers(), logLevel: logLevel.NOTHING });

/** A fresh topic on the test broker (auto-creation is off); `remove` deletes it. */
export async function createTestTopic(partitions = 3): Promise<{ topic: string; remove(): Promise<void> }> {
  const topic = `test-eventstore-${uniqueSuffix()}`;
  const admin = kafka().admin();
  await admin.connect();
  try {
    await createTopicsReady(admin, [{ topic, numPartitions: partitions }]);
  } finally {
    await admin.disconnect();
  }
  return {
    topic,
    async remove() {
      const cleanup = kafka().admin();
      await cleanup.connect();
      try {
        await cleanup.deleteTopics({ topics: [topic] });
      } finally {
        await cleanup.disconnect();
      }
    },
  };
}

/**
 * A relay `publish` backed by a real idempotent producer: one in-flight request per broker keeps each partition in
 * the order given.
 */
export async function createKafkaPublisher(): Promise<{ publish: Publish; disconnect(): Promise<void> }> {
  const producer = kafka().producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  return {
    async publish(batch) {
      const byTopic = new Map<string, { key: string; value: string; headers: Record<string, string> }[]>();
      for (const { topic, key, value, headers } of batch) {
        const messages = byTopic.get(topic) ?? byTopic.set(topic, []).get(topic)!;
        messages.push({ key, value, headers: headers ?? {} });
      }
      await producer.sendBatch({
        acks: -1,
        topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })),
      });
    },
    disconnect: () => producer.disconnect(),
  };
}

export interface TopicRecord {
  partition: number;
  offset: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** Everything on the topic up to its current end, each partition in offset order. */
export async function readTopic(topic: string, timeoutMs = 30_000): Promise<TopicRecord[]> {
  const client = kafka();
  const admin = client.admin();
  await admin.connect();
  const groupId = `eventstore-test-reader-${uniqueSuffix()}`;
  try {
    const ends = new Map(
      (await admin.fetchTopicOffsets(topic))
        .filter((p) => BigInt(p.high) > BigInt(p.low))
        .map((p) => [p.partition, BigInt(p.high)]),
    );
    if (ends.size === 0) return [];
    const records: TopicRecord[] = [];
    const consumer = client.consumer({ groupId });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`Timed out reading ${topic}`)), timeoutMs);
        consumer
          .run({
            eachMessage: async ({ partition, message }) => {
              records.push({
                partition,
                offset: message.offset,
                key: message.key?.toString() ?? '',
                value: message.value?.toString() ?? '',
                headers: Object.fromEntries(
                  Object.entries(message.headers ?? {}).map(([name, value]) => [name, value?.toString() ?? '']),
                ),
              });
              if (BigInt(message.offset) + 1n >= (ends.get(partition) ?? 0n)) ends.delete(partition);
              if (ends.size === 0) {
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
    await admin.deleteGroups([groupId]).catch(() => undefined);
    return records;
  } finally {
    await admin.disconnect();
  }
}

/**
 * Waits until readAll can see every committed event. Any transaction still open on the server, in any database,
 * holds back the global read, and other test suites share this server.
 */
export async function waitUntilAllEventsReadable(pool: pg.Pool, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query<{ withheld: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM es_events WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot())) AS withheld',
    );
    if (!rows[0]!.withheld) return;
    if (Date.now() > deadline) throw new Error(`Events still withheld from readAll after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
