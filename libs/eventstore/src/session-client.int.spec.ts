// A session ended under a client the pool has handed out. pg-pool stops listening for a client's 'error' when it hands
// the client out; when the server's FATAL arrives in the same read as the message that freed the client, the event is
// emitted before the new holder could listen, and an 'error' event nobody hears ends the process (the order service
// exited so in CI while the database-sessions test terminated its backends).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { SessionClient } from './session-client.js';
import { createTestDatabase, databaseUrl, type TestDatabase } from './testing-env.js';

const terminated = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01', severity: 'FATAL' });

describe('SessionClient', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('test_session');
  });
  afterAll(() => database.drop());

  // The race, step by step: a client freed while another caller waits is handed to that caller in the same tick; the
  // FATAL that was read with the freeing message follows before the caller's code runs.
  const handOverAndFail = async (Client: typeof pg.Client) => {
    const pool = new pg.Pool({ connectionString: database.url, max: 1, Client });
    pool.on('error', () => undefined);
    try {
      const first = await pool.connect();
      const waiting = pool.connect();
      let thrown: unknown;
      try {
        first.release();
        first.emit('error', terminated());
      } catch (error) {
        thrown = error;
      }
      const second = await waiting;
      second.release(true);
      return { sameClient: second === first, thrown };
    } finally {
      await pool.end();
    }
  };

  it("with pg's own Client the handed-over client's FATAL is an unheard 'error' event, thrown to the process", async () => {
    const { sameClient, thrown } = await handOverAndFail(pg.Client);
    expect(sameClient).toBe(true);
    // Node throws the event's error itself, or ERR_UNHANDLED_ERROR naming it when it is of another realm (Jest's).
    expect(thrown).toBeDefined();
    expect(String((thrown as Error).message)).toMatch(/administrator command/);
  });

  it('hears the FATAL of a handed-over client: nothing is thrown', async () => {
    const { sameClient, thrown } = await handOverAndFail(SessionClient);
    expect(sameClient).toBe(true);
    expect(thrown).toBeUndefined();
  });

  it('a real pg_terminate_backend of a checked-out, idle client: the process lives, the next query fails, the pool replaces the session', async () => {
    const pool = new pg.Pool({ connectionString: database.url, max: 2, Client: SessionClient });
    pool.on('error', () => undefined);
    const admin = new SessionClient({ connectionString: databaseUrl() });
    await admin.connect();
    try {
      const client = await pool.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // No listener of the holder's own: only SessionClient's.
      expect(client.listenerCount('error')).toBe(1);
      const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      await ended;
      await expect(client.query('SELECT 1')).rejects.toThrow(/not queryable|terminat/);
      client.release();
      expect(pool.totalCount).toBe(0);
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await admin.end();
      await pool.end();
    }
  });
});
