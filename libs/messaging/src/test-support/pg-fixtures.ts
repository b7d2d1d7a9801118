import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { EFFECTS_SCHEMA } from './effects.mjs';
import { databaseUrl } from './testing-env.js';

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh database holding the effect tables, dropped (with its connections) by `drop`. */
export async function createEffectsDatabase(): Promise<TestDatabase> {
  const name = `test_messaging_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: databaseUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(databaseUrl());
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 5 });
  // An idle client whose connection the server closes emits 'error' on the pool; unheard, that would crash the run.
  pool.on('error', () => undefined);
  await pool.query(EFFECTS_SCHEMA);
  return {
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
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
