import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ConcurrencyError } from './errors.js';
import { countRows, useTestStore } from './testing-env.js';
import type { NewEvent } from './types.js';

const event = (type: string, data: unknown = {}): NewEvent => ({ type, data });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgresEventStore', () => {
  const t = useTestStore({ poolSize: 20 });
  const { store } = t;


  const count = (table: string, where?: string, values?: unknown[]) => countRows(t.pool, table, where, values);

  describe('append and readStream', () => {
    it('keeps awkward text as it was given, in events, metadata and outbox rows (they travel as one JSON document)', async () => {
      const awkward = 'a "quoted" \\ back\\slash, {braces}, NULL, \n newline, émoji 📦, \'single\'';
      const streamId = `awkward-${randomUUID()}`;
      const outbox = [{ topic: 't', key: awkward, value: `{"v":${JSON.stringify(awkward)}}`, headers: { h: awkward } }, { topic: 't', key: 'NULL', value: 'NULL' }];
      await store.appendMany([{ streamId, expected: 'no_stream', events: [{ type: 'Awkward', data: { text: awkward, list: [awkward] }, metadata: { note: awkward } }] }], {
        outbox,
      });
      await store.append(streamId, 1, [{ type: 'Awkward', data: awkward }], { outbox: [{ topic: 't', key: 'k', value: awkward }] });
      const events = await store.readStream(streamId);
      expect(events.map((e) => [e.data, e.metadata])).toEqual([
        [{ text: awkward, list: [awkward] }, { note: awkward }],
        [awkward, {}],
      ]);
      const { rows } = await t.pool.query<{ key: string; value: string; headers: unknown }>(
        "SELECT key, value, headers FROM es_outbox WHERE topic = 't' ORDER BY position",
      );
      expect(rows).toEqual([
        { key: awkward, value: `{"v":${JSON.stringify(awkward)}}`, headers: { h: awkward } },
        { key: 'NULL', value: 'NULL', headers: {} },
        { key: 'k', value: awkward, headers: {} },
      ]);
    });

    it('numbers events from 1 and keeps ids, types, data and metadata', async () => {
      const id = randomUUID();
      const first = await store.append('order-1', 'no_stream', [
        { type: 'OrderPlaced', data: { lines: [1, 2] }, metadata: { correlationId: 'c-1' }, id },
      ]);
      const second = await store.append('order-1', 1, [event('OrderConfirmed', { ok: true }), event('OrderShipped', null)]);

      expect(first.nextVersion).toBe(1);
      expect(second.nextVersion).toBe(3);
      expect(second.lastGlobalPosition).toBeGreaterThan(first.lastGlobalPosition);

      const events = await store.readStream('order-1');
      expect(events.map((e) => [e.streamVersion, e.type, e.data])).toEqual([
        [1, 'OrderPlaced', { lines: [1, 2] }],
        [2, 'OrderConfirmed', { ok: true }],
        [3, 'OrderShipped', null],
      ]);
      expect(events[0]).toMatchObject({ streamId: 'order-1', id, metadata: { correlationId: 'c-1' } });
      expect(events[2]!.globalPosition).toBe(second.lastGlobalPosition);
      expect(events[0]!.createdAt).toBeInstanceOf(Date);
      expect((await store.readStream('order-1', { fromVersion: 2 })).map((e) => e.streamVersion)).toEqual([2, 3]);
      expect(await store.readStream('no-such-stream')).toEqual([]);
      expect(await store.currentVersion('order-1')).toBe(3);
    });

    it('rejects an append to an existing stream with no_stream or 0, reporting the actual version', async () => {
      await store.append('exists', 'no_stream', [event('A'), event('B')]);
      for (const expected of ['no_stream', 0] as const) {
        const error = await store.append('exists', expected, [event('C')]).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ streamId: 'exists', expected, actual: 2 });
      }
      expect(await store.currentVersion('exists')).toBe(2);
    });

    it('rejects a stale or future expected version, and an expected version on a missing stream', async () => {
      await store.append('stale', 0, [event('A'), event('B')]);
      const outbox = [{ topic: 'skus', key: 'stale', value: '{}' }];
      await expect(store.append('stale', 1, [event('C')], { outbox })).rejects.toMatchObject({ expected: 1, actual: 2 });
      expect(await count('es_outbox', 'key = $1', ['stale'])).toBe(0);
      await expect(store.append('stale', 5, [event('C')])).rejects.toMatchObject({ expected: 5, actual: 2 });
      await expect(store.append('missing', 3, [event('C')])).rejects.toMatchObject({ expected: 3, actual: 0 });
      expect(await store.readStream('missing')).toEqual([]);
      expect(await count('es_events', 'stream_id = $1', ['stale'])).toBe(2);
    });

    it("appends at the end with 'any', creating the stream if needed", async () => {
      expect((await store.append('any-1', 'any', [event('A')])).nextVersion).toBe(1);
      expect((await store.append('any-1', 'any', [event('B'), event('C')])).nextVersion).toBe(3);
      expect((await store.readStream('any-1')).map((e) => e.type)).toEqual(['A', 'B', 'C']);
    });

    it('refuses empty appends and invalid expected versions without touching the stream', async () => {
      await expect(store.append('bad', 'any', [])).rejects.toThrow(RangeError);
      for (const expected of [-1, 1.5, Number.NaN]) {
        await expect(store.append('bad', expected, [event('A')])).rejects.toThrow(RangeError);
      }
      expect(await store.currentVersion('bad')).toBe(0);
    });

    it('refuses an event id that is not a UUID and writes nothing of that append', async () => {
      await expect(store.append('bad-id', 'any', [{ type: 'A', data: {}, id: 'not-a-uuid' }])).rejects.toThrow();
      expect(await store.currentVersion('bad-id')).toBe(0);
    });

    it('reports events written around the stream table (e.g. by an import) as a conflict, not a crash', async () => {
      await t.pool.query(
        `INSERT INTO es_events (stream_id, stream_version, event_id, event_type, data)
         VALUES ('imported', 1, gen_random_uuid(), 'Imported', '{}')`,
      );
      const error = await store.append('imported', 'no_stream', [event('A')]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConcurrencyError);
      expect(await store.readStream('imported')).toHaveLength(1);
    });
  });

  describe('concurrent writers', () => {
    it('lets exactly one of two writers with the same expected version win, on many streams, round after round', async () => {
      const streams = Array.from({ length: 40 }, (_, i) => `race-${i}`);
      const rounds = 8;
      for (let round = 0; round < rounds; round++) {
        const expected = round === 0 ? ('no_stream' as const) : round;
        const outcomes = await Promise.all(
          streams.flatMap((stream) =>
            ['left', 'right'].map((writer) =>
              store.append(stream, expected, [event('Raced', { round, writer })]).then(
                () => ({ stream, won: true as const }),
                (error: unknown) => ({ stream, won: false as const, error }),
              ),
            ),
          ),
        );
        for (const stream of streams) {
          const mine = outcomes.filter((o) => o.stream === stream);
          expect(mine.filter((o) => o.won)).toHaveLength(1);
          const loser = mine.find((o) => !o.won) as { error: unknown };
          expect(loser.error).toBeInstanceOf(ConcurrencyError);
          expect(loser.error).toMatchObject({ streamId: stream, actual: round + 1 });
        }
      }
      for (const stream of streams) {
        const events = await store.readStream(stream);
        expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: rounds }, (_, i) => i + 1));
        expect(events.map((e) => (e.data as { round: number }).round)).toEqual(
          Array.from({ length: rounds }, (_, i) => i),
        );
      }
    });

    it("serialises concurrent 'any' appends into one gap-free sequence", async () => {
      const results = await Promise.all(
        Array.from({ length: 16 }, (_, i) => store.append('any-race', 'any', [event('A', { i }), event('B', { i })])),
      );
      expect(results.map((r) => r.nextVersion).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 16 }, (_, i) => 2 * (i + 1)),
      );
      const events = await store.readStream('any-race');
      expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 32 }, (_, i) => i + 1));
      // Each append's two events stay adjacent.
      for (let i = 0; i < 32; i += 2) expect(events[i]!.data).toEqual(events[i + 1]!.data);
    });
  });

  describe('transactions', () => {
    it('commits appends, outbox messages and other writes together', async () => {
      await t.pool.query('CREATE TABLE IF NOT EXISTS read_model (id text PRIMARY KEY)');
      await store.transaction(async (tx) => {
        await store.append('tx-commit', 'no_stream', [event('A')], {
          tx,
          outbox: [{ topic: 'orders', key: 'tx-commit', value: '{"n":1}', headers: { h: 'v' } }],
        });
        await store.enqueueOutbox(tx, [
          { topic: 'orders', key: 'tx-commit', value: '{"n":2}' },
          { topic: 'orders', key: 'tx-commit', value: '{"n":3}' },
        ]);
        await tx.query("INSERT INTO read_model VALUES ('tx-commit')");
      });
      expect(await store.currentVersion('tx-commit')).toBe(1);
      const outbox = await t.pool.query("SELECT value, headers FROM es_outbox WHERE key = 'tx-commit' ORDER BY position");
      expect(outbox.rows).toEqual([
        { value: '{"n":1}', headers: { h: 'v' } },
        { value: '{"n":2}', headers: {} },
        { value: '{"n":3}', headers: {} },
      ]);
      expect(await count('read_model', "id = 'tx-commit'")).toBe(1);
    });

    it('rolls everything back when the callback throws', async () => {
      const failure = new Error('handler failed');
      await expect(
        store.transaction(async (tx) => {
          await store.append('tx-rollback', 'no_stream', [event('A')], {
            tx,
            outbox: [{ topic: 'orders', key: 'tx-rollback', value: '{}' }],
          });
          await tx.query("INSERT INTO read_model VALUES ('tx-rollback')");
          throw failure;
        }),
      ).rejects.toBe(failure);
      expect(await store.currentVersion('tx-rollback')).toBe(0);
      expect(await count('es_events', 'stream_id = $1', ['tx-rollback'])).toBe(0);
      expect(await count('es_outbox', 'key = $1', ['tx-rollback'])).toBe(0);
      expect(await count('read_model', "id = 'tx-rollback'")).toBe(0);
    });

    it('keeps a transaction usable after a ConcurrencyError so the caller can decide what to commit', async () => {
      await store.append('tx-conflict', 'no_stream', [event('A')]);
      const conflict = await store.transaction(async (tx) => {
        const error = await store.append('tx-conflict', 'no_stream', [event('B')], { tx }).catch((e: unknown) => e);
        await store.append('tx-conflict-other', 'no_stream', [event('C')], { tx });
        return error;
      });
      expect(conflict).toBeInstanceOf(ConcurrencyError);
      expect(await store.currentVersion('tx-conflict')).toBe(1);
      expect(await store.currentVersion('tx-conflict-other')).toBe(1);
    });

    it('refuses queries on a transaction after its callback has finished', async () => {
      let leaked: { query(text: string): Promise<unknown> } | undefined;
      await store.transaction(async (tx) => {
        leaked = tx;
      });
      await expect(leaked!.query('SELECT 1')).rejects.toThrow('Transaction already finished');
    });

    it('rejects with the database error when COMMIT fails, and returns a healthy connection to the pool', async () => {
      await t.pool.query(
        'CREATE TABLE IF NOT EXISTS deferred_check (id int PRIMARY KEY, parent int REFERENCES deferred_check DEFERRABLE INITIALLY DEFERRED)',
      );
      await expect(
        store.transaction(async (tx) => {
          await tx.query('INSERT INTO deferred_check VALUES (1, 99)');
        }),
      ).rejects.toMatchObject({ code: '23503' });
      expect(await count('deferred_check')).toBe(0);
      // Every pooled connection must still work: none was left inside an aborted transaction.
      await Promise.all(Array.from({ length: 20 }, () => t.pool.query('SELECT 1')));
    });

    it('fails a transaction whose session is terminated between two queries, and the process goes on', async () => {
      const error = await store
        .transaction(async (tx) => {
          await store.append('tx-terminated', 'no_stream', [event('A')], { tx });
          const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
          // With no query of its own in flight, pg reports the end of the session as an 'error' event on the client.
          const ended = new Promise((resolve) => tx.client.once('end', resolve));
          await t.pool.query('SELECT pg_terminate_backend($1) FROM pg_stat_activity WHERE pid = $1 AND datname = current_database()', [rows[0]!.pid]);
          await ended;
          await tx.query('SELECT 1');
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      expect(await store.currentVersion('tx-terminated')).toBe(0);
      await Promise.all(Array.from({ length: 20 }, () => t.pool.query('SELECT 1')));
    });
  });

  describe('load', () => {
    const counter = { initialState: () => 0, evolve: (n: number) => n + 1 };

    it('folds a stream and returns the version to append at', async () => {
      await store.append('load-1', 'no_stream', [event('A'), event('B'), event('C')]);
      expect(await store.load('load-1', counter)).toEqual({ state: 3, version: 3, snapshotVersion: null, eventsFolded: 3 });
      expect(await store.load('load-none', counter)).toEqual({ state: 0, version: 0, snapshotVersion: null, eventsFolded: 0 });
    });

    it('needs a transaction for forUpdate', async () => {
      await expect(store.load('load-1', counter, { forUpdate: true })).rejects.toThrow('needs a transaction');
    });

    it('with forUpdate, makes competing deciders on one stream take turns instead of conflicting', async () => {
      const stream = `decider-${randomUUID()}`;
      const timeline: string[] = [];
      let firstHasLock!: () => void;
      const firstLocked = new Promise<void>((resolve) => (firstHasLock = resolve));

      const decide = (name: string, hold: number, onLocked?: () => void) =>
        store.transaction(async (tx) => {
          const { version } = await store.load(stream, counter, { tx, forUpdate: true });
          timeline.push(`${name} loaded v${version}`);
          onLocked?.();
          await sleep(hold);
          await store.append(stream, version, [event('Decided', { by: name })], { tx });
          timeline.push(`${name} appended`);
        });

      const first = decide('first', 300, firstHasLock);
      await firstLocked;
      // The stream does not exist yet: the lock must cover creation too.
      await Promise.all([first, decide('second', 0)]);

      expect(timeline).toEqual(['first loaded v0', 'first appended', 'second loaded v1', 'second appended']);
      expect((await store.readStream(stream)).map((e) => (e.data as { by: string }).by)).toEqual(['first', 'second']);
    });

    it('without forUpdate, the same race is caught by the version check', async () => {
      const stream = `optimistic-${randomUUID()}`;
      const attempt = (hold: number) =>
        store.transaction(async (tx) => {
          const { version } = await store.load(stream, counter, { tx });
          await sleep(hold);
          await store.append(stream, version, [event('Decided')], { tx });
        });
      const results = await Promise.allSettled([attempt(150), attempt(0)]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(
        ConcurrencyError,
      );
    });
  });
});
