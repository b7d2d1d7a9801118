import { describe, expect, it } from '@jest/globals';
import { ConcurrencyError } from './errors.js';
import type { Fold } from './postgres-event-store.js';
import { countRows, openTransaction, useTestStore } from './testing-env.js';
import type { NewEvent, StoredEvent } from './types.js';

const event = (type: string, data: unknown = {}): NewEvent => ({ type, data });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Folds the event types of a stream into a list, so a test sees exactly which events a load folded. */
const typesFold = (every?: number): Fold<string[]> => ({
  initialState: () => [],
  evolve: (types: string[], e: StoredEvent) => [...types, e.type],
  ...(every === undefined ? {} : { snapshot: { every, schemaVersion: 1 } }),
});

describe('many streams at once', () => {
  const t = useTestStore({ poolSize: 20 });
  const { store } = t;


  const count = (table: string, where?: string, values?: unknown[]) => countRows(t.pool, table, where, values);
  const types = async (streamId: string) => (await store.readStream(streamId)).map((e) => e.type);

  describe('appendMany', () => {
    it('appends to new, existing and any streams in one call, numbering each stream on from its version', async () => {
      await store.append('m-existing', 'no_stream', [event('A'), event('B')]);
      await store.append('m-any-existing', 'no_stream', [event('A')]);

      const results = await store.appendMany(
        [
          { streamId: 'm-new', expected: 'no_stream', events: [event('N1'), event('N2')] },
          { streamId: 'm-existing', expected: 2, events: [event('C')] },
          { streamId: 'm-any-existing', expected: 'any', events: [event('B'), event('C')] },
          { streamId: 'm-any-new', expected: 'any', events: [event('X')] },
        ],
        {
          outbox: [
            { topic: 't', key: 'm-2', value: 'second-stream', headers: { h: '1' } },
            { topic: 't', key: 'm-1', value: 'first-stream' },
          ],
        },
      );

      expect(Object.fromEntries([...results].map(([id, r]) => [id, r.nextVersion]))).toEqual({
        'm-new': 2,
        'm-existing': 3,
        'm-any-existing': 3,
        'm-any-new': 1,
      });
      expect(await types('m-new')).toEqual(['N1', 'N2']);
      expect(await types('m-existing')).toEqual(['A', 'B', 'C']);
      expect(await types('m-any-existing')).toEqual(['A', 'B', 'C']);
      expect(await types('m-any-new')).toEqual(['X']);
      for (const [streamId, result] of results) {
        expect((await store.readStream(streamId)).at(-1)!.globalPosition).toBe(result.lastGlobalPosition);
      }
      // Events go in in the order given, across streams.
      const positions = (await store.readStream('m-new')).map((e) => e.globalPosition);
      expect(positions[1]).toBeLessThan((await store.readStream('m-existing')).at(-1)!.globalPosition);
      const outbox = await t.pool.query("SELECT value, headers FROM es_outbox WHERE key LIKE 'm-%' ORDER BY position");
      expect(outbox.rows).toEqual([
        { value: 'second-stream', headers: { h: '1' } },
        { value: 'first-stream', headers: {} },
      ]);
      for (const streamId of results.keys()) expect(await store.currentVersion(streamId)).toBe(results.get(streamId)!.nextVersion);
    });

    it('fails the whole call when one stream of many is elsewhere, naming it, and writes nothing', async () => {
      await store.append('c-1', 'no_stream', [event('A')]);
      await store.append('c-2', 'no_stream', [event('A'), event('B')]);
      const outbox = [{ topic: 't', key: 'c-outbox', value: '{}' }];
      const attempts: { expected: number | 'no_stream'; actual: number }[] = [
        { expected: 1, actual: 2 }, // stale
        { expected: 5, actual: 2 }, // ahead of the stream
        { expected: 'no_stream', actual: 2 }, // exists already
      ];
      for (const { expected, actual } of attempts) {
        const error = await store
          .appendMany(
            [
              { streamId: 'c-1', expected: 1, events: [event('B')] },
              { streamId: 'c-new', expected: 'no_stream', events: [event('A')] },
              { streamId: 'c-2', expected, events: [event('C')] },
            ],
            { outbox },
          )
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ConcurrencyError);
        expect(error).toMatchObject({ streamId: 'c-2', expected, actual });
      }
      const missing = await store
        .appendMany([
          { streamId: 'c-1', expected: 1, events: [event('B')] },
          { streamId: 'c-missing', expected: 3, events: [event('A')] },
        ])
        .catch((e: unknown) => e);
      expect(missing).toMatchObject({ streamId: 'c-missing', expected: 3, actual: 0 });

      expect(await store.currentVersion('c-1')).toBe(1);
      expect(await store.currentVersion('c-2')).toBe(2);
      expect(await store.currentVersion('c-new')).toBe(0);
      expect(await count('es_events', "stream_id IN ('c-1', 'c-2', 'c-new', 'c-missing')")).toBe(3);
      expect(await count('es_outbox', "key = 'c-outbox'")).toBe(0);
    });

    it('keeps the transaction usable after such a conflict', async () => {
      await store.append('u-1', 'no_stream', [event('A')]);
      const conflict = await store.transaction(async (tx) => {
        const error = await store
          .appendMany(
            [
              { streamId: 'u-2', expected: 'no_stream', events: [event('A')] },
              { streamId: 'u-1', expected: 'no_stream', events: [event('B')] },
            ],
            { tx },
          )
          .catch((e: unknown) => e);
        await store.appendMany([{ streamId: 'u-3', expected: 'no_stream', events: [event('C')] }], { tx });
        return error;
      });
      expect(conflict).toMatchObject({ name: 'ConcurrencyError', streamId: 'u-1', actual: 1 });
      expect(await store.currentVersion('u-2')).toBe(0);
      expect(await store.currentVersion('u-3')).toBe(1);
    });

    it('reports a new stream created by another transaction meanwhile as a conflict, and writes nothing', async () => {
      const other = await openTransaction(t.pool);
      await store.append('w-raced', 'no_stream', [event('Theirs')], { tx: other.tx });
      // Does not see the uncommitted stream, so it tries to create it too, and waits on its key.
      const mine = store
        .appendMany([
          { streamId: 'w-mine', expected: 'no_stream', events: [event('Mine')] },
          { streamId: 'w-raced', expected: 'no_stream', events: [event('Mine')] },
        ])
        .catch((e: unknown) => e);
      await sleep(150);
      await other.commit();
      expect(await mine).toMatchObject({ name: 'ConcurrencyError', streamId: 'w-raced', expected: 'no_stream', actual: 1 });
      expect(await types('w-raced')).toEqual(['Theirs']);
      expect(await store.currentVersion('w-mine')).toBe(0);
    });

    it('lets one of two writers of overlapping streams win, whatever order they name them in, without deadlock', async () => {
      const streams = ['o-a', 'o-b', 'o-c'];
      const rounds = 6;
      for (let round = 0; round < rounds; round++) {
        const expected = round === 0 ? ('no_stream' as const) : round;
        const write = (names: string[], writer: string) =>
          store.transaction((tx) =>
            store.appendMany(
              names.map((streamId) => ({ streamId, expected, events: [event('Raced', { round, writer })] })),
              { tx },
            ),
          );
        const outcomes = await Promise.allSettled([write(streams, 'forward'), write([...streams].reverse(), 'backward')]);
        expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
        const loser = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')!;
        expect(loser.reason).toBeInstanceOf(ConcurrencyError);
        expect(loser.reason).toMatchObject({ actual: round + 1 });
        const winners = await Promise.all(streams.map(async (s) => ((await store.readStream(s)).at(-1)!.data as { writer: string }).writer));
        expect(new Set(winners).size).toBe(1);
      }
      for (const streamId of streams) expect(await store.currentVersion(streamId)).toBe(rounds);
    });

    it("serialises concurrent 'any' appends to a stream that does not exist yet", async () => {
      await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          store.appendMany([{ streamId: 'any-race-many', expected: 'any', events: [event('A', { i }), event('B', { i })] }]),
        ),
      );
      const events = await store.readStream('any-race-many');
      expect(events.map((e) => e.streamVersion)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
      for (let i = 0; i < 16; i += 2) expect(events[i]!.data).toEqual(events[i + 1]!.data);
    });

    it('refuses an empty call, a stream named twice, an empty stream part and a bad expected version', async () => {
      await expect(store.appendMany([])).rejects.toThrow(RangeError);
      await expect(
        store.appendMany([
          { streamId: 'r-twice', expected: 'any', events: [event('A')] },
          { streamId: 'r-twice', expected: 'any', events: [event('B')] },
        ]),
      ).rejects.toThrow('given twice');
      await expect(
        store.appendMany([
          { streamId: 'r-ok', expected: 'any', events: [event('A')] },
          { streamId: 'r-empty', expected: 'any', events: [] },
        ]),
      ).rejects.toThrow(RangeError);
      await expect(store.appendMany([{ streamId: 'r-bad', expected: -1, events: [event('A')] }])).rejects.toThrow(RangeError);
      expect(await count('es_streams', "stream_id LIKE 'r-%'")).toBe(0);
    });
  });

  describe('loadMany', () => {
    it('loads every stream asked for as load would, a missing one empty, and writes the due snapshots', async () => {
      await store.append('l-short', 'no_stream', [event('A'), event('B')]);
      await store.append('l-long', 'no_stream', Array.from({ length: 5 }, (_, i) => event(`E${i}`)));
      const fold = typesFold(4);

      const first = await store.loadMany(['l-long', 'l-short', 'l-missing', 'l-short'], fold);
      expect([...first.keys()].sort()).toEqual(['l-long', 'l-missing', 'l-short']);
      expect(first.get('l-short')).toEqual({ state: ['A', 'B'], version: 2, snapshotVersion: null, eventsFolded: 2 });
      expect(first.get('l-missing')).toEqual({ state: [], version: 0, snapshotVersion: null, eventsFolded: 0 });
      expect(first.get('l-long')).toMatchObject({ version: 5, snapshotVersion: null, eventsFolded: 5 });
      // Only the stream with `every` events folded got a snapshot.
      const snapshots = await t.pool.query("SELECT stream_id, stream_version FROM es_snapshots WHERE stream_id LIKE 'l-%'");
      expect(snapshots.rows).toEqual([{ stream_id: 'l-long', stream_version: '5' }]);

      await store.append('l-long', 5, [event('E5')]);
      const second = await store.loadMany(['l-long', 'l-short'], fold);
      expect(second.get('l-long')).toEqual({
        state: ['E0', 'E1', 'E2', 'E3', 'E4', 'E5'],
        version: 6,
        snapshotVersion: 5,
        eventsFolded: 1,
      });
      for (const streamId of ['l-long', 'l-short']) {
        expect(second.get(streamId)).toEqual(await store.load(streamId, fold));
      }
      const plain = await store.loadMany(['l-long'], typesFold());
      expect(plain.get('l-long')).toMatchObject({ version: 6, snapshotVersion: null, eventsFolded: 6 });
      expect(await store.loadMany([], fold)).toEqual(new Map());
    });

    it('needs a transaction for forUpdate', async () => {
      await expect(store.loadMany(['x'], typesFold(), { forUpdate: true })).rejects.toThrow('needs a transaction');
    });

    it('with forUpdate, holds every stream until the transaction ends, including streams that do not exist yet', async () => {
      const holder = await openTransaction(t.pool);
      const held = await store.loadMany(['f-b', 'f-a'], typesFold(), { tx: holder.tx, forUpdate: true });
      expect(held.get('f-a')!.version).toBe(0);

      const timeline: string[] = [];
      const waiter = store.transaction(async (tx) => {
        const loaded = await store.loadMany(['f-c', 'f-a'], typesFold(), { tx, forUpdate: true });
        timeline.push(`waiter loaded f-a at v${loaded.get('f-a')!.version}`);
      });
      await sleep(150);
      await store.appendMany(
        [
          { streamId: 'f-a', expected: 'no_stream', events: [event('A')] },
          { streamId: 'f-b', expected: 'no_stream', events: [event('B')] },
        ],
        { tx: holder.tx },
      );
      timeline.push('holder appended');
      await holder.commit();
      await waiter;
      expect(timeline).toEqual(['holder appended', 'waiter loaded f-a at v1']);
    });

    it('takes the locks in one order, so callers naming overlapping streams in any order do not deadlock', async () => {
      const names = Array.from({ length: 20 }, (_, i) => `d-${i}`);
      const decide = (order: string[], hold: number) =>
        store.transaction(async (tx) => {
          const loaded = await store.loadMany(order, typesFold(), { tx, forUpdate: true });
          await sleep(hold);
          await store.appendMany(
            order.map((streamId) => ({ streamId, expected: loaded.get(streamId)!.version, events: [event('D')] })),
            { tx },
          );
        });
      const middle = names.slice(5, 15);
      await Promise.all([decide(names, 50), decide([...names].reverse(), 0), decide(middle, 10)]);
      for (const name of names) expect(await store.currentVersion(name)).toBe(middle.includes(name) ? 3 : 2);
    });

    it('does not deadlock on stream ids that share a lock key, whatever their id order', async () => {
      // Two pairs of ids with equal hashtext, chosen so that sorting by id would lock the two keys in opposite orders.
      const { rows } = await t.pool.query<{ ids: string[] }>(
        `SELECT array_agg(s ORDER BY s) AS ids FROM (SELECT 'collide-' || g AS s FROM generate_series(1, 400000) g) t
         GROUP BY hashtext(s) HAVING count(*) = 2 LIMIT 40`,
      );
      const pairs = rows.map((row) => row.ids as [string, string]);
      let crossing: [string[], string[]] | undefined;
      for (const [x1, x2] of pairs) {
        for (const [y1, y2] of pairs) {
          if (x1 !== y1 && x1 < y2 && y1 < x2) crossing = [[x1, y2], [y1, x2]];
        }
      }
      expect(crossing).toBeDefined();
      const [first, second] = crossing!;
      const take = (ids: string[]) => store.transaction((tx) => store.loadMany(ids, typesFold(), { tx, forUpdate: true }));
      for (let round = 0; round < 50; round++) {
        await Promise.all([take(first), take(second), take(first), take(second)]);
      }
    });
  });
});
