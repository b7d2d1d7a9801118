import { describe, expect, it } from '@jest/globals';
import { Inbox } from './inbox.js';
import { openTransaction, useTestStore } from './testing-env.js';

describe('Inbox', () => {
  const t = useTestStore();
  const { store } = t;


  it('returns an id only the first time it is claimed', async () => {
    const inbox = new Inbox('orders');
    expect(await store.transaction((tx) => inbox.claim(tx, ['m-1', 'm-2']))).toEqual(new Set(['m-1', 'm-2']));
    expect(await store.transaction((tx) => inbox.claim(tx, ['m-1', 'm-2']))).toEqual(new Set());
    expect(await store.transaction((tx) => inbox.claim(tx, ['m-2', 'm-3']))).toEqual(new Set(['m-3']));
  });

  it('counts an id repeated within one claim once', async () => {
    const inbox = new Inbox('repeats');
    expect(await store.transaction((tx) => inbox.claim(tx, ['r-1', 'r-1', 'r-2']))).toEqual(new Set(['r-1', 'r-2']));
    expect(await store.transaction((tx) => inbox.claim(tx, []))).toEqual(new Set());
  });

  it('forgets a claim whose transaction rolled back, so the redelivered message is processed', async () => {
    const inbox = new Inbox('rollbacks');
    await expect(
      store.transaction(async (tx) => {
        expect(await inbox.claim(tx, ['rb-1'])).toEqual(new Set(['rb-1']));
        throw new Error('effect failed');
      }),
    ).rejects.toThrow('effect failed');
    expect(await store.transaction((tx) => inbox.claim(tx, ['rb-1']))).toEqual(new Set(['rb-1']));
  });

  it('keeps consumers apart: each consumer sees each id once', async () => {
    const a = new Inbox('consumer-a');
    const b = new Inbox('consumer-b');
    expect(await store.transaction((tx) => a.claim(tx, ['shared']))).toEqual(new Set(['shared']));
    expect(await store.transaction((tx) => b.claim(tx, ['shared']))).toEqual(new Set(['shared']));
  });

  it('gives a concurrently claimed id to exactly one transaction', async () => {
    const inbox = new Inbox('concurrent');
    const first = await openTransaction(t.pool);
    expect(await inbox.claim(first.tx, ['c-1'])).toEqual(new Set(['c-1']));

    // The second claim waits for the first transaction: it must not report the id as new while that may commit.
    let secondSettled = false;
    const second = store.transaction((tx) => inbox.claim(tx, ['c-1'])).finally(() => (secondSettled = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(secondSettled).toBe(false);

    await first.commit();
    expect(await second).toEqual(new Set());
  });

  it('hands a concurrently claimed id to the waiting transaction when the first one rolls back', async () => {
    const inbox = new Inbox('concurrent-rollback');
    const first = await openTransaction(t.pool);
    await inbox.claim(first.tx, ['c-2']);
    const second = store.transaction((tx) => inbox.claim(tx, ['c-2']));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await first.rollback();
    expect(await second).toEqual(new Set(['c-2']));
  });

  it('prunes only its own ids processed before the cut-off', async () => {
    const inbox = new Inbox('prune');
    const other = new Inbox('prune-other');
    await store.transaction(async (tx) => {
      await inbox.claim(tx, ['old-1', 'old-2', 'new-1']);
      await other.claim(tx, ['old-1']);
    });
    await t.pool.query(
      "UPDATE es_inbox SET processed_at = now() - interval '30 days' WHERE message_id LIKE 'old-%'",
    );
    expect(await inbox.prune(t.pool, new Date(Date.now() - 7 * 86_400_000))).toBe(2);
    expect(await store.transaction((tx) => inbox.claim(tx, ['old-1', 'new-1']))).toEqual(new Set(['old-1']));
    expect(await store.transaction((tx) => other.claim(tx, ['old-1']))).toEqual(new Set());
  });

  it('counts a message claimed under its older id (a release before (source, id) identities) as seen', async () => {
    const inbox = new Inbox('legacy');
    // What release 0.1 recorded: the bare envelope id.
    await store.transaction((tx) => inbox.claim(tx, ['7d1c7a8e-2b9f-4a53-8d3e-0b8f1c2d3e4f']));
    const claimed = await store.transaction((tx) =>
      inbox.claim(tx, ['order/7d1c7a8e-2b9f-4a53-8d3e-0b8f1c2d3e4f', 'order/0c0f3b86-2a4d-4f5e-9b1e-6d7e8f9a0b1c'], [
        '7d1c7a8e-2b9f-4a53-8d3e-0b8f1c2d3e4f',
        '0c0f3b86-2a4d-4f5e-9b1e-6d7e8f9a0b1c',
      ]),
    );
    expect(claimed).toEqual(new Set(['order/0c0f3b86-2a4d-4f5e-9b1e-6d7e8f9a0b1c']));
  });

  it('prunes every consumer\'s rows before the cut-off, a slice at a time', async () => {
    const a = new Inbox('prune-all-a');
    const b = new Inbox('prune-all-b');
    await store.transaction(async (tx) => {
      await a.claim(tx, ['pa-old-1', 'pa-old-2', 'pa-old-3', 'pa-new']);
      await b.claim(tx, ['pa-old-1']);
    });
    await t.pool.query("UPDATE es_inbox SET processed_at = now() - interval '30 days' WHERE message_id LIKE 'pa-old-%'");
    const before = Number((await t.pool.query("SELECT count(*) AS n FROM es_inbox WHERE processed_at < now() - interval '7 days'")).rows[0].n);
    expect(await Inbox.pruneAll(t.pool, new Date(Date.now() - 7 * 86_400_000), 2)).toBe(before);
    expect(await store.transaction((tx) => a.claim(tx, ['pa-old-1', 'pa-new']))).toEqual(new Set(['pa-old-1']));
    expect(await store.transaction((tx) => b.claim(tx, ['pa-old-1']))).toEqual(new Set(['pa-old-1']));
  });
});
