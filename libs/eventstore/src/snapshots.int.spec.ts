import { describe, expect, it } from '@jest/globals';
import type { QueryConfig } from 'pg';
import type { Fold } from './postgres-event-store.js';
import { openTransaction, useTestStore } from './testing-env.js';
import type { StoredEvent } from './types.js';

interface Tally {
  count: number;
  sum: number;
}

const tallyFold = (every: number, schemaVersion = 1): Fold<Tally> & { folded: () => number } => {
  let folded = 0;
  return {
    initialState: () => ({ count: 0, sum: 0 }),
    evolve: (state: Tally, event: StoredEvent) => {
      folded++;
      return { count: state.count + 1, sum: state.sum + (event.data as { n: number }).n };
    },
    snapshot: { every, schemaVersion },
    folded: () => folded,
  };
};

interface PlanNode {
  'Relation Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

const expectedTally = (events: number): Tally => ({ count: events, sum: (events * (events - 1)) / 2 });

describe('load with snapshots', () => {
  const t = useTestStore();
  const { store } = t;


  const appendNumbered = async (streamId: string, from: number, to: number, batch = 1000) => {
    for (let start = from; start < to; start += batch) {
      const end = Math.min(to, start + batch);
      const events = Array.from({ length: end - start }, (_, i) => ({ type: 'Counted', data: { n: start + i } }));
      await store.append(streamId, start, events);
    }
  };

  /**
   * The rows of es_events the database looks at to load a stream: the load's own statement run again under
   * EXPLAIN ANALYZE, counting what each scan of the table returned or filtered out (an index that did not narrow the
   * stream down would show here as rows removed by a filter).
   */
  const eventRowsExamined = async (streamId: string, fold: Fold<Tally>) => {
    const statements: QueryConfig[] = [];
    const query = t.pool.query;
    t.pool.query = ((config: QueryConfig, ...rest: unknown[]) => {
      statements.push(config);
      return (query as (...args: unknown[]) => unknown).call(t.pool, config, ...rest);
    }) as typeof query;
    try {
      await store.load(streamId, fold);
    } finally {
      t.pool.query = query;
    }
    const load = statements.find((config) => config.name === 'fulfillment_es_load_with_snapshot')!;
    const { rows } = await t.pool.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${load.text}`, load.values);
    let examined = 0;
    const visit = (node: PlanNode) => {
      if (node['Relation Name'] === 'es_events') {
        examined += (node['Actual Rows'] + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * node['Actual Loops'];
      }
      for (const child of node.Plans ?? []) visit(child);
    };
    visit(rows[0]!['QUERY PLAN'][0].Plan);
    return examined;
  };

  it('loads a 100,000-event stream by reading as few events as a 100-event stream', async () => {
    const every = 100;
    await appendNumbered('long', 0, 100_000);
    await appendNumbered('short', 0, 100);

    // The first load of the long stream has no snapshot to start from: it folds everything and writes one.
    const first = await store.load('long', tallyFold(every));
    expect(first).toMatchObject({ version: 100_000, snapshotVersion: null, eventsFolded: 100_000 });
    expect(first.state).toEqual(expectedTally(100_000));
    await store.load('short', tallyFold(every));

    await appendNumbered('long', 100_000, 100_042);
    await appendNumbered('short', 100, 142);

    const longFold = tallyFold(every);
    const shortFold = tallyFold(every);
    const long = await store.load('long', longFold);
    const short = await store.load('short', shortFold);

    expect(long).toEqual({ state: expectedTally(100_042), version: 100_042, snapshotVersion: 100_000, eventsFolded: 42 });
    expect(short).toEqual({ state: expectedTally(142), version: 142, snapshotVersion: 100, eventsFolded: 42 });
    expect(longFold.folded()).toBe(shortFold.folded());

    // Nor does the database read more of the long stream than of the short one: the 42 events after the snapshot.
    expect(await eventRowsExamined('long', tallyFold(every))).toBe(42);
    expect(await eventRowsExamined('short', tallyFold(every))).toBe(42);
  });

  it('writes a new snapshot once `every` events were folded since the last one, and not before', async () => {
    await appendNumbered('cadence', 0, 9);
    expect((await store.load('cadence', tallyFold(10))).snapshotVersion).toBeNull();
    expect((await store.load('cadence', tallyFold(10))).snapshotVersion).toBeNull();

    await appendNumbered('cadence', 9, 10);
    expect((await store.load('cadence', tallyFold(10))).eventsFolded).toBe(10);
    expect(await store.load('cadence', tallyFold(10))).toMatchObject({ snapshotVersion: 10, eventsFolded: 0 });

    await appendNumbered('cadence', 10, 29);
    expect(await store.load('cadence', tallyFold(10))).toMatchObject({ snapshotVersion: 10, eventsFolded: 19 });
    expect(await store.load('cadence', tallyFold(10))).toMatchObject({ snapshotVersion: 29, eventsFolded: 0 });
  });

  it('ignores snapshots written for another state schema version', async () => {
    await appendNumbered('schemas', 0, 30);
    await store.load('schemas', tallyFold(10, 1));
    expect(await store.load('schemas', tallyFold(10, 1))).toMatchObject({ snapshotVersion: 30, eventsFolded: 0 });

    const v2 = await store.load('schemas', tallyFold(10, 2));
    expect(v2).toMatchObject({ snapshotVersion: null, eventsFolded: 30, state: expectedTally(30) });
  });

  it('stores state through toSnapshot and restores it through fromSnapshot', async () => {
    await store.append('mapped', 'no_stream', [
      { type: 'Seen', data: { sku: 'A' } },
      { type: 'Seen', data: { sku: 'B' } },
      { type: 'Seen', data: { sku: 'A' } },
    ]);
    const fold: Fold<Map<string, number>> = {
      initialState: () => new Map(),
      evolve: (seen, event) => {
        const sku = (event.data as { sku: string }).sku;
        return new Map(seen).set(sku, (seen.get(sku) ?? 0) + 1);
      },
      snapshot: {
        every: 2,
        schemaVersion: 1,
        toSnapshot: (seen) => [...seen.entries()],
        fromSnapshot: (stored) => new Map(stored as [string, number][]),
      },
    };
    await store.load('mapped', fold);
    const { rows } = await t.pool.query("SELECT state FROM es_snapshots WHERE stream_id = 'mapped'");
    expect(rows[0].state).toEqual([
      ['A', 2],
      ['B', 1],
    ]);
    const restored = await store.load('mapped', fold);
    expect(restored.snapshotVersion).toBe(3);
    expect(restored.state).toEqual(new Map([['A', 2], ['B', 1]]));
  });

  it('writes the snapshot in the caller transaction, so it rolls back with it', async () => {
    await appendNumbered('tx-snapshot', 0, 5);
    await expect(
      store.transaction(async (tx) => {
        await store.load('tx-snapshot', tallyFold(5), { tx });
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await t.pool.query("SELECT 1 FROM es_snapshots WHERE stream_id = 'tx-snapshot'")).rowCount).toBe(0);

    await store.transaction((tx) => store.load('tx-snapshot', tallyFold(5), { tx }));
    expect((await t.pool.query("SELECT 1 FROM es_snapshots WHERE stream_id = 'tx-snapshot'")).rowCount).toBe(1);
  });

  it('never moves a snapshot back when a loader that read less commits its snapshot last', async () => {
    await appendNumbered('snapshot-race', 0, 20);
    const ahead = await openTransaction(t.pool);
    await store.append('snapshot-race', 20, [{ type: 'Counted', data: { n: 20 } }], { tx: ahead.tx });
    expect(await store.load('snapshot-race', tallyFold(20), { tx: ahead.tx })).toMatchObject({ version: 21 });

    // Sees only the 20 committed events and wants to snapshot them; waits on the uncommitted snapshot row.
    const behind = store.load('snapshot-race', tallyFold(20));
    // Commit only once the loader is really blocked on the row lock (a fixed sleep is too short on a loaded machine).
    for (let waited = 0; ; waited += 20) {
      const { rows } = await t.pool.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
      );
      if (rows[0]!.n > 0) break;
      if (waited > 10_000) throw new Error('the second loader never waited on the snapshot row');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await ahead.commit();
    expect(await behind).toMatchObject({ version: 20, eventsFolded: 20 });

    expect(await store.load('snapshot-race', tallyFold(20))).toMatchObject({ snapshotVersion: 21, eventsFolded: 0 });
  });

  it('refuses a snapshot policy whose `every` is not a positive integer', async () => {
    await expect(store.load('any', tallyFold(0))).rejects.toThrow(RangeError);
  });
});
