import { createTestDatabase } from '@fulfillment/testing';
import pg from 'pg';
import { SessionClient } from '@fulfillment/eventstore';
import { EFFECTS_SCHEMA } from './effects.mjs';

export interface TestDatabase {
  url: string;
  pool: pg.Pool;
  drop(): Promise<void>;
}

/** A fresh database holding the effect tables, dropped (with its connections) by `drop`. */
export async function createEffectsDatabase(): Promise<TestDatabase> {
  const database = await createTestDatabase('test_messaging');
  const pool = new pg.Pool({ connectionString: database.url, max: 5, Client: SessionClient });
  // An idle client whose connection the server closes emits 'error' on the pool; unheard, that would crash the run
  // (SessionClient covers a client handed out).
  pool.on('error', () => undefined);
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
