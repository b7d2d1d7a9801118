import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SessionClient } from '@fulfillment/eventstore';
import { testInfra } from './infra.js';

export interface TestDatabase {
  name: string;
  url: string;
  /** drops the database, disconnecting whoever still uses it */
  drop(): Promise<void>;
  /** pg_terminate_backend on every session of the database, as a server restart or an operator would; how many */
  terminateSessions(): Promise<number>;
}

export function uniqueSuffix(): string {
  return `${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

/** Replaces the database part of a PostgreSQL URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const { databaseUrl } = await testInfra();
  const client = new SessionClient({ connectionString: databaseUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, uniquely named database for one test file; drop it in afterAll. */
export async function createTestDatabase(prefix = 'test'): Promise<TestDatabase> {
  const { databaseUrl } = await testInfra();
  const name = `${prefix}_${uniqueSuffix()}`.toLowerCase().replace(/[^a-z0-9_]/g, '_');
  await admin((c) => c.query(`CREATE DATABASE "${name}"`));
  return {
    name,
    url: withDatabase(databaseUrl, name),
    drop: () => admin(async (c) => void (await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`))),
    terminateSessions: () =>
      admin(async (c) => {
        const { rows } = await c.query<{ terminated: number }>(
          'SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS terminated FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [name],
        );
        return rows[0]!.terminated;
      }),
  };
}
