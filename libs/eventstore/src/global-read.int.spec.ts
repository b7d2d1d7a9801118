import { describe, expect, it } from '@jest/globals';
import { openTransaction as openTx, useTestStore, waitUntilAllEventsReadable } from './testing-env.js';
import type { GlobalCheckpoint, StoredEvent } from './types.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('readAll', () => {
  const t = useTestStore({ poolSize: 16 });
  const { store } = t;


  const openTransaction = () => openTx(t.pool);

  // Transactions of other databases on the same server also hold back what is readable, so a test waits for what
  // it expects instead of assuming the very next read returns it.
  const readAtLeast = async (after: GlobalCheckpoint | null, count: number, limit = 10) => {
    const events: StoredEvent[] = [];
    let checkpoint = after;
    const deadline = Date.now() + 30_000;
    while (events.length < count && Date.now() < deadline) {
      const page = await store.readAll({ after: checkpoint, limit });
      events.push(...page.events);
      checkpoint = page.checkpoint;
      if (page.events.length === 0) await sleep(10);
    }
    return { events, checkpoint };
  };

  /** Just past every event committed so far: later transactions all have higher ids. */
  const latestCheckpoint = async (): Promise<GlobalCheckpoint | null> => {
    const { rows } = await t.pool.query<{ transaction_id: string; global_position: string }>(
      `SELECT transaction_id::text, global_position FROM es_events
       ORDER BY transaction_id DESC, global_position DESC LIMIT 1`,
    );
    return rows[0] ? { transactionId: BigInt(rows[0].transaction_id), globalPosition: BigInt(rows[0].global_position) } : null;
  };

  it('pages through the log and returns the last checkpoint when there is nothing new', async () => {
    await store.append('page-a', 'any', [{ type: 'A', data: 1 }, { type: 'A', data: 2 }]);
    await store.append('page-b', 'any', [{ type: 'B', data: 3 }]);
    await waitUntilAllEventsReadable(t.pool);
    const first = await store.readAll({ after: null, limit: 2 });
    expect(first.events.map((e) => e.data)).toEqual([1, 2]);
    const second = await store.readAll({ after: first.checkpoint, limit: 2 });
    expect(second.events.map((e) => e.data)).toEqual([3]);
    const third = await store.readAll({ after: second.checkpoint, limit: 2 });
    expect(third).toEqual({ events: [], checkpoint: second.checkpoint });
  });

  it('refuses a page limit that is not a positive integer', async () => {
    await expect(store.readAll({ after: null, limit: 0 })).rejects.toThrow(RangeError);
  });

  it('withholds events committed after a still-running older transaction, then delivers both in order', async () => {
    const start = await latestCheckpoint();
    const slow = await openTransaction();
    await store.append('late', 'any', [{ type: 'Late', data: 'slow' }], { tx: slow.tx });
    await store.append('early', 'any', [{ type: 'Early', data: 'fast' }]);

    // The fast event is committed, but the slow transaction could still commit an event below its position.
    expect((await store.readAll({ after: start, limit: 10 })).events).toEqual([]);

    await slow.commit();
    const { events, checkpoint } = await readAtLeast(start, 2);
    expect(events.map((e) => e.data)).toEqual(['slow', 'fast']);
    expect((await store.readAll({ after: checkpoint, limit: 10 })).events).toEqual([]);
  });

  it('orders by transaction: an older transaction whose event got the higher position still comes first', async () => {
    const start = await latestCheckpoint();
    const older = await openTransaction();
    await older.tx.query('SELECT pg_current_xact_id()');
    const newer = await store.append('newer', 'any', [{ type: 'Newer', data: 'newer' }]);
    const olderAppend = await store.append('older', 'any', [{ type: 'Older', data: 'older' }], { tx: older.tx });
    expect(olderAppend.lastGlobalPosition).toBeGreaterThan(newer.lastGlobalPosition);

    expect((await store.readAll({ after: start, limit: 10 })).events).toEqual([]);
    await older.commit();

    const { events } = await readAtLeast(start, 2, 1);
    expect(events.map((e) => e.data)).toEqual(['older', 'newer']);
  });

  it('does not deliver events of a rolled-back transaction and does not stall behind it', async () => {
    const start = await latestCheckpoint();
    const doomed = await openTransaction();
    await store.append('doomed', 'any', [{ type: 'Doomed', data: 'doomed' }], { tx: doomed.tx });
    await store.append('survivor', 'any', [{ type: 'Survivor', data: 'survivor' }]);
    await doomed.rollback();
    const { events, checkpoint } = await readAtLeast(start, 1);
    expect(events.map((e) => e.data)).toEqual(['survivor']);
    expect((await store.readAll({ after: checkpoint, limit: 10 })).events).toEqual([]);
  });

  it('never skips or repeats an event while concurrent writers commit late and a reader polls', async () => {
    const start = await latestCheckpoint();
    const writers = 8;
    const transactionsPerWriter = 25;
    let writing = true;

    const writer = async (w: number) => {
      for (let i = 0; i < transactionsPerWriter; i++) {
        await store.transaction(async (tx) => {
          const stream = `stress-${(w * 7 + i) % 12}`;
          await store.append(stream, 'any', [{ type: 'Stress', data: { w, i, n: 0 } }, { type: 'Stress', data: { w, i, n: 1 } }], {
            tx,
          });
          // Every third transaction holds its events uncommitted while the others commit theirs.
          if (i % 3 === w % 3) await sleep(20 + ((w * 13 + i * 7) % 60));
        });
      }
    };
    const straggler = async () => {
      await store.transaction(async (tx) => {
        await store.append('stress-straggler', 'any', [{ type: 'Straggler', data: { w: -1, i: 0, n: 0 } }], { tx });
        await sleep(700);
      });
    };

    const expected = writers * transactionsPerWriter * 2 + 1;
    const seen: StoredEvent[] = [];
    let checkpoint = start;
    const reader = async () => {
      const deadline = Date.now() + 60_000;
      while ((writing || seen.length < expected) && Date.now() < deadline) {
        const page = await store.readAll({ after: checkpoint, limit: 7 });
        seen.push(...page.events);
        checkpoint = page.checkpoint;
        if (page.events.length === 0) await sleep(5);
      }
    };

    const reading = reader();
    await Promise.all([...Array.from({ length: writers }, (_, w) => writer(w)), straggler()]);
    writing = false;
    await reading;
    seen.push(...(await store.readAll({ after: checkpoint, limit: 1000 })).events);
    const ids = seen.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(expected);

    const { rows } = await t.pool.query(
      `SELECT event_id FROM es_events WHERE stream_id LIKE 'stress-%' ORDER BY transaction_id, global_position`,
    );
    expect(ids).toEqual(rows.map((r: { event_id: string }) => r.event_id));

    // Within each stream the reader saw events in version order.
    const lastVersion = new Map<string, number>();
    for (const e of seen) {
      expect(e.streamVersion).toBe((lastVersion.get(e.streamId) ?? 0) + 1);
      lastVersion.set(e.streamId, e.streamVersion);
    }
  });
});
