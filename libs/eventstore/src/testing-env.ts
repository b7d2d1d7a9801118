// The one place this library's tests learn where PostgreSQL and Kafka are; to be swapped for @fulfillment/testing.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { PostgresEventStore } from './postgres-event-store.js';
import { runEventStoreMigrations } from './schema.js';
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

/** Creates an empty, uniquely named database on the test server; `drop` removes it even with open connections. */
export async function createTestDatabase(prefix = 'test_es'): Promise<TestDatabase> {
  const name = `${prefix}_${uniqueSuffix()}`;
  const admin = new pg.Client({ connectionString: databaseUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl());
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: databaseUrl() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface TestStore {
  database: TestDatabase;
  pool: pg.Pool;
  store: PostgresEventStore;
  close(): Promise<void>;
}

/** A migrated event store on a fresh database; `close` ends the pool and drops the database. */
export async function createTestStore(options: { poolSize?: number } = {}): Promise<TestStore> {
  const database = await createTestDatabase();
  await runEventStoreMigrations(database.url);
  const pool = new pg.Pool({ connectionString: database.url, max: options.poolSize ?? 10 });
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

/** A transaction a test keeps open across steps and ends when it chooses (store.transaction ends with its callback). */
export async function openTransaction(pool: pg.Pool) {
  const client = await pool.connect();
  await client.query('BEGIN');
  const tx = new PgTx(client);
  const end = async (command: 'COMMIT' | 'ROLLBACK') => {
    await client.query(command);
    tx.finish();
    client.release();
  };
  return { tx, commit: () => end('COMMIT'), rollback: () => end('ROLLBACK') };
}
