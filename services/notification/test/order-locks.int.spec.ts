// The order locks that serialise parking and releasing, on the real PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore, sessionPool } from '@fulfillment/eventstore';
import { createTestDatabase, type TestDatabase } from '@fulfillment/testing';
import pg from 'pg';
import { ParkedEventsRepository } from '../src/notify-customer/parked-events.repository.js';

let database: TestDatabase;
let pool: pg.Pool;
let store: PostgresEventStore;
const parked = new ParkedEventsRepository();

beforeAll(async () => {
  database = await createTestDatabase('test_notification_locks');
  // The forced drop at the end may still find a session open: it must not fail the run as an unheard 'error'.
  pool = sessionPool({ connectionString: database.url, max: 6 });
  store = new PostgresEventStore(pool);
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

describe('lockOrders', () => {
  it('does not deadlock on order ids that share a lock key, whatever their id order', async () => {
    // Two pairs of ids with equal hashtext, chosen so that sorting by id would lock the two keys in opposite orders.
    const { rows } = await pool.query<{ ids: [string, string] }>(
      `SELECT array_agg(s ORDER BY s) AS ids FROM (SELECT 'order-' || g AS s FROM generate_series(1, 400000) g) t
       GROUP BY hashtext(s) HAVING count(*) = 2 LIMIT 40`,
    );
    let crossing: [string[], string[]] | undefined;
    for (const { ids: [x1, x2] } of rows) {
      for (const { ids: [y1, y2] } of rows) {
        if (x1 !== y1 && x1 < y2 && y1 < x2) crossing = [[x1, y2], [y1, x2]];
      }
    }
    expect(crossing).toBeDefined();
    const [first, second] = crossing!;
    const lock = (ids: string[]) => store.transaction((tx) => parked.lockOrders(tx, ids));
    for (let round = 0; round < 50; round++) {
      await Promise.all([lock(first), lock(second), lock(first), lock(second)]);
    }
  });
});
