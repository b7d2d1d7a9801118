// The SKU aggregate on the shared pipeline and a real PostgreSQL event store: loads from snapshots give the state a full
// replay gives, and a batch of commands appends once per SKU with its outbox rows. (Version-conflict retries are the
// pipeline's own, tested in libs/eventstore.)
import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { evolve, initialState, queuedLines, skuStreamName, type SkuEvent } from '@fulfillment/inventory-domain';
import { SKU_SNAPSHOT_EVERY } from '../src/sku/sku.aggregate.js';
import type { SkuWork } from '../src/sku/sku.pipeline.js';
import { skuStoreFixture } from './support/sku-store.js';

const db = skuStoreFixture('inventory_repo');

const now = () => new Date().toISOString();
const cause = { causationId: null, correlationId: 'repo-test' };
const order = (sku: string, n: number): SkuWork => ({
  id: sku,
  command: { type: 'AllocateOrderLine', data: { orderId: `order-${n}`, lineId: 'line-1', customerId: `c-${n}`, quantity: 1, now: now() } },
  cause,
});

const fullReplay = async (sku: string) =>
  (await db.store.readStream(skuStreamName(sku))).reduce(
    (state, stored) => evolve(state, { type: stored.type, data: stored.data } as SkuEvent),
    initialState(),
  );

describe('the SKU pipeline', () => {
  it('loads a long stream from its snapshot to the state a full replay gives', async () => {
    const sku = `SKU-${randomUUID()}`;
    const lines = SKU_SNAPSHOT_EVERY * 2 + 37;
    await db.skus.run([
      { id: sku, command: { type: 'RegisterPurchaseOrder', data: { purchaseOrderId: 'po-1', quantity: lines, expectedAt: '2026-12-24T00:00:00.000Z', now: now() } }, cause },
    ]);
    // Batches of 150 orders: every load after the first folds at least one full snapshot interval's worth.
    for (let first = 0; first < lines; first += 150) {
      const batch = Array.from({ length: Math.min(150, lines - first) }, (_, i) => order(sku, first + i));
      await db.store.transaction((tx) => db.skus.handle(tx, batch));
    }
    await db.skus.snapshotsWritten(); // written after each commit that makes one due, off the SKU's lock
    const { rows } = await db.pool.query('SELECT stream_version FROM es_snapshots WHERE stream_id = $1', [skuStreamName(sku)]);
    expect(Number(rows[0]?.stream_version)).toBeGreaterThan(SKU_SNAPSHOT_EVERY);

    const loaded = await db.skus.read(sku);
    expect(loaded.version).toBe(lines + 1);
    expect(loaded.state).toEqual(await fullReplay(sku));
    expect(queuedLines(loaded.state)).toHaveLength(lines);

    // One receipt serves every line: thousands of events after the snapshot, folded together on the next load.
    const { outcomes } = await db.skus.run([
      { id: sku, command: { type: 'ReceiveRestock', data: { purchaseOrderId: 'po-1', quantity: lines, now: now() } }, cause },
    ]);
    const [restock] = outcomes.get(sku)!.decisions;
    expect(restock!.events.filter((event) => event.type === 'BackorderAllocated')).toHaveLength(lines);
    const afterRestock = await db.skus.read(sku);
    expect(afterRestock.state).toEqual(await fullReplay(sku));
    expect(afterRestock.state).toEqual(outcomes.get(sku)!.state);
    expect(queuedLines(afterRestock.state)).toEqual([]);
  }, 60_000);

  it('appends once per SKU, with one outbox row per published event, and rolls back with the batch', async () => {
    const [a, b] = [`SKU-A-${randomUUID()}`, `SKU-B-${randomUUID()}`];
    const adjust = (sku: string, delta: number): SkuWork => ({ id: sku, command: { type: 'AdjustStock', data: { delta, reason: 'count', now: now() } }, cause });
    await db.skus.run([adjust(a, 5), adjust(b, 1)]);
    const before = await db.pool.query('SELECT count(*)::int AS n FROM es_outbox');

    const { outcomes } = await db.skus.run([order(a, 1), order(b, 2), order(a, 3)]);
    expect(outcomes.get(a)).toMatchObject({ version: 3 });
    expect(outcomes.get(b)).toMatchObject({ version: 2 });
    const after = await db.pool.query('SELECT count(*)::int AS n FROM es_outbox');
    expect(after.rows[0].n - before.rows[0].n).toBe(3);

    // A refusal anywhere in the batch leaves no trace of the rest of it.
    await expect(db.skus.run([order(b, 9), adjust(a, -100)])).rejects.toMatchObject({ code: 'insufficient-stock' });
    expect((await db.skus.read(b)).version).toBe(2);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM es_outbox')).rows[0].n).toBe(after.rows[0].n);
  }, 60_000);
});
