// Issue 12's bounded state as the service stores it: a SKU through which 20,000 orders were reserved and shipped, on
// the SKU pipeline and a real PostgreSQL event store, loads reading what a new SKU with the same stock reads. Counted
// (rows, events, bytes), never timed: the speed is infra/bench/hot-sku.bench.mjs's to print.
import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { skuStreamName, type SkuCommand } from '@fulfillment/inventory-domain';
import type { SkuWork } from '../src/sku/sku.pipeline.js';
import { skuStoreFixture } from './support/sku-store.js';

const ORDERS = 20_000;
const BATCH = 500;
const LEFT_ON_HAND = 7;
// Every command at its own millisecond, as a live clock would date them (a SKU's decisions are never simultaneous).
const T0 = Date.parse('2026-12-02T09:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
// The hot SKU's last event: configure at 0, stock at 1, then each batch's allocations, then its shipments.
const LAST = 1 + 2 * ORDERS;
const cause = { causationId: null, correlationId: 'bounded-state' };

const db = skuStoreFixture('inventory_bounded', { poolSize: 2 });

const work = (sku: string, command: SkuCommand): SkuWork => ({ id: sku, command, cause });
const configure = (sku: string, ms: number) => work(sku, { type: 'ConfigureSku', data: { backorderable: true, leadTimeDays: 5, now: at(ms) } });
const stock = (sku: string, delta: number, ms: number) => work(sku, { type: 'AdjustStock', data: { delta, reason: 'count', now: at(ms) } });
const line = (n: number) => ({ orderId: `order-${n}`, lineId: `order-${n}-1` });

/** What loading the SKU reads from the store: its snapshot (if any) and the events stored after it. */
async function readByALoad(sku: string) {
  const stream = skuStreamName(sku);
  const { rows: snapshot } = await db.pool.query<{ stream_version: string; state: unknown }>(
    'SELECT stream_version, state FROM es_snapshots WHERE stream_id = $1',
    [stream],
  );
  const since = snapshot[0] ? Number(snapshot[0].stream_version) : 0;
  const { rows } = await db.pool.query<{ events: number; version: string | null }>(
    'SELECT count(*)::int AS events, max(stream_version) AS version FROM es_events WHERE stream_id = $1 AND stream_version > $2',
    [stream, since],
  );
  return { snapshot: snapshot[0]?.state, snapshotVersion: since, eventsAfterSnapshot: rows[0]!.events };
}

describe('a SKU after 20,000 shipped orders', () => {
  it('holds, snapshots and loads what a new SKU with the same stock holds', async () => {
    const [hot, fresh] = [`SKU-HOT-${randomUUID()}`, `SKU-NEW-${randomUUID()}`];
    await db.skus.run([configure(hot, 0), stock(hot, ORDERS + LEFT_ON_HAND, 1)]);
    for (let first = 0; first < ORDERS; first += BATCH) {
      const batch = Array.from({ length: BATCH }, (_, i) => first + i);
      await db.skus.run(batch.map((n) => work(hot, { type: 'AllocateOrderLine', data: { ...line(n), customerId: `c-${n % 97}`, quantity: 1, now: at(2 + first + n) } })));
      await db.skus.run(batch.map((n) => work(hot, { type: 'ShipOrderLine', data: { ...line(n), quantity: 1, now: at(2 + first + BATCH + n) } })));
    }
    await db.skus.run([configure(fresh, LAST - 1), stock(fresh, LEFT_ON_HAND, LAST)]);

    const [hotState, freshState] = [(await db.skus.read(hot)).state, (await db.skus.read(fresh)).state];
    expect(hotState).toMatchObject({ onHand: LEFT_ON_HAND, reservedUnits: 0 });
    expect(hotState).toEqual(freshState);

    // The pipeline holds the SKU in memory and writes a snapshot after each commit that leaves SKU_SNAPSHOT_EVERY
    // events or more since the last one: the last batch's commit wrote one of the final state, so a load (a restart,
    // another instance) reads that one row and nothing else. A command that changes nothing writes nothing more.
    const { version } = await db.skus.read(hot);
    expect(version).toBe(2 + 2 * ORDERS);
    await db.skus.run([configure(hot, LAST + 1)]);
    await db.skus.snapshotsWritten();
    const load = await readByALoad(hot);
    expect(load).toMatchObject({ snapshotVersion: version, eventsAfterSnapshot: 0 });
    const { rows } = await db.pool.query<{ same: boolean }>('SELECT $1::jsonb = $2::jsonb AS same', [JSON.stringify(load.snapshot), JSON.stringify(freshState)]);
    expect(rows[0]!.same).toBe(true);
    // A new SKU is folded from its two events; the hot one from one snapshot of the same state, written within
    // SKU_SNAPSHOT_EVERY events of any load.
    expect(await readByALoad(fresh)).toMatchObject({ snapshot: undefined, eventsAfterSnapshot: 2 });
    expect(JSON.stringify(load.snapshot).length).toBe(JSON.stringify(freshState).length);
  }, 600_000);
});
