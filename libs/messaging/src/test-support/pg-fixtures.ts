import { createTestDatabase } from '@fulfillment/testing';
import pg from 'pg';
import { sessionPool } from '@fulfillment/eventstore';
import { EFFECTS_SCHEMA } from './effects.mjs';

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh database holding the effect tables, dropped (with its connections) by `drop`. */
export async function createEffectsDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase('test_messaging');
  const pool = sessionPool({ connectionString: database.url, max: 5 });
  await pool.query(EFFECTS_SCHEMA);
  return {
    url: database.url,
    pool,
    async drop() {
      await pool.end();
      await database.drop();
    },
  };
}
