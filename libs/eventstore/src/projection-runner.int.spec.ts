import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { ProjectionRunner, type Projection, type ProjectionProgress } from './projection-runner.js';
import { useTestStore, waitUntilAllEventsReadable } from './testing-env.js';
import type { Tx } from './tx.js';
import type { EventStoreLogger } from './types.js';

const silent: EventStoreLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** Counts events per stream; the event id key makes a double application fail loudly. */
const countingProjection = (name: string, failOn?: (data: unknown) => boolean): Projection => ({
  name,
  async handle(events, tx) {
    for (const event of events) {
      if (failOn?.(event.data)) throw new Error(`cannot project ${JSON.stringify(event.data)}`);
      await tx.query('INSERT INTO applied (event_id, projection) VALUES ($1, $2)', [event.id, name]);
      await tx.query(
        `INSERT INTO stream_counts (projection, stream_id, events) VALUES ($1, $2, 1)
         ON CONFLICT (projection, stream_id) DO UPDATE SET events = stream_counts.events + 1`,
        [name, event.streamId],
      );
    }
  },
});

describe('ProjectionRunner', () => {
  const t = useTestStore();
  const { store } = t;
  const runners: ProjectionRunner[] = [];

  beforeAll(async () => {
    await t.pool.query('CREATE TABLE applied (event_id uuid, projection text, PRIMARY KEY (event_id, projection))');
    await t.pool.query(
      'CREATE TABLE stream_counts (projection text, stream_id text, events int NOT NULL, PRIMARY KEY (projection, stream_id))',
    );
  });
  beforeEach(async () => {
    await t.pool.query('TRUNCATE applied, stream_counts, es_events, es_streams, es_projection_checkpoints');
  });
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
  });

  const runner = (projection: Projection, pageSize = 100, pollIntervalMs = 50) => {
    const instance = new ProjectionRunner(store, projection, { pageSize, pollIntervalMs, logger: silent });
    runners.push(instance);
    return instance;
  };
  const appendMany = async (streams: number, perStream: number, tag = 'x') => {
    for (let s = 0; s < streams; s++) {
      const events = Array.from({ length: perStream }, (_, i) => ({ type: 'Counted', data: { tag, i } }));
      await store.append(`stream-${s}`, 'any', events);
    }
    await waitUntilAllEventsReadable(t.pool);
  };
  const counts = async (projection: string) =>
    Object.fromEntries(
      (
        await t.pool.query<{ stream_id: string; events: number }>(
          'SELECT stream_id, events FROM stream_counts WHERE projection = $1',
          [projection],
        )
      ).rows.map((r) => [r.stream_id, r.events]),
    );

  it('rebuild empties the read model, replays every event page by page and reports progress', async () => {
    await appendMany(7, 176); // 1232 events
    await t.pool.query("INSERT INTO stream_counts VALUES ('rebuilt', 'stale-row', 99)");
    const progress: ProjectionProgress[] = [];

    const result = await runner(countingProjection('rebuilt')).rebuild(
      (tx) => tx.query("DELETE FROM stream_counts WHERE projection = 'rebuilt'").then(() => undefined),
      (p) => progress.push(p),
    );

    expect(progress.map((p) => p.processed)).toEqual([...Array.from({ length: 12 }, (_, i) => (i + 1) * 100), 1232]);
    expect(progress.every((p) => p.total === 1232)).toBe(true);
    expect(result).toMatchObject({ processed: 1232, total: 1232 });
    expect(await counts('rebuilt')).toEqual(Object.fromEntries(Array.from({ length: 7 }, (_, s) => [`stream-${s}`, 176])));
  });

  it('a rebuild that another runner of the projection helps still ends with every event counted', async () => {
    await appendMany(5, 100); // 500 events, pages of 100
    const rebuilding = runner(countingProjection('helped'));
    const other = runner(countingProjection('helped'));
    let helping: Promise<{ handled: number }> | undefined;
    const result = await rebuilding.rebuild(
      (tx) => tx.query("DELETE FROM stream_counts WHERE projection = 'helped'").then(() => undefined),
      // After the first page, the other runner (the live loop of another instance) takes the next one.
      () => (helping ??= other.processNextPage('wait')),
    );
    const helped = await helping!;
    expect(helped.handled).toBe(100);
    expect(result).toMatchObject({ processed: 500, total: 500 });
    expect(await counts('helped')).toEqual(Object.fromEntries(Array.from({ length: 5 }, (_, s) => [`stream-${s}`, 100])));
  });

  it('rebuilding again starts over from the first event', async () => {
    await appendMany(2, 10);
    const projection = runner(countingProjection('twice'));
    await projection.catchUp();
    const result = await projection.rebuild(async (tx: Tx) => {
      await tx.query("DELETE FROM stream_counts WHERE projection = 'twice'");
      await tx.query("DELETE FROM applied WHERE projection = 'twice'");
    });
    expect(result.processed).toBe(20);
    expect(await counts('twice')).toEqual({ 'stream-0': 10, 'stream-1': 10 });
  });

  it('continues from its checkpoint: a new runner instance applies only what it has not applied yet', async () => {
    await appendMany(3, 50);
    expect((await runner(countingProjection('resume')).catchUp()).processed).toBe(150);
    const checkpoint = await runner(countingProjection('resume')).checkpoint();
    expect(checkpoint).not.toBeNull();

    await appendMany(3, 5, 'later');
    const resumed = runner(countingProjection('resume'));
    expect((await resumed.catchUp()).processed).toBe(15);
    expect((await resumed.checkpoint())!.globalPosition).toBeGreaterThan(checkpoint!.globalPosition);
    expect(await counts('resume')).toEqual({ 'stream-0': 55, 'stream-1': 55, 'stream-2': 55 });
  });

  it('rolls back the whole page when the handler fails, and applies it once the handler is fixed', async () => {
    await appendMany(1, 30);
    const failing = runner(countingProjection('fragile', (data) => (data as { i: number }).i === 15), 20);
    await expect(failing.catchUp()).rejects.toThrow('cannot project');
    // The first page (events 0..19) contains the poison event: nothing of it was applied, the checkpoint stayed.
    expect(await counts('fragile')).toEqual({});
    expect(await failing.checkpoint()).toBeNull();

    const fixed = runner(countingProjection('fragile'), 20);
    expect((await fixed.catchUp()).processed).toBe(30);
    expect(await counts('fragile')).toEqual({ 'stream-0': 30 });
  });

  it('keeps up in the background and lets two instances share the work without applying anything twice', async () => {
    const a = runner(countingProjection('shared'), 25, 20);
    const b = runner(countingProjection('shared'), 25, 20);
    a.start();
    b.start();
    for (let round = 0; round < 10; round++) await appendMany(4, 10, `round-${round}`);

    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const applied = Number((await t.pool.query("SELECT count(*) AS n FROM applied WHERE projection = 'shared'")).rows[0].n);
      if (applied === 400) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(await counts('shared')).toEqual({ 'stream-0': 100, 'stream-1': 100, 'stream-2': 100, 'stream-3': 100 });
  });

  it('retries a failing page in the background instead of skipping it', async () => {
    await appendMany(1, 3);
    let failures = 0;
    const flaky: Projection = {
      name: 'flaky',
      async handle(events, tx) {
        if (failures < 2) {
          failures++;
          throw new Error('read model store unavailable');
        }
        await countingProjection('flaky').handle(events, tx);
      },
    };
    runner(flaky, 100, 10).start();
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && (await counts('flaky'))['stream-0'] !== 3) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(failures).toBe(2);
    expect(await counts('flaky')).toEqual({ 'stream-0': 3 });
  });

  it('refuses a page size that is not a positive integer', () => {
    expect(() => new ProjectionRunner(store, countingProjection('bad'), { pageSize: 0 })).toThrow(RangeError);
  });
});
