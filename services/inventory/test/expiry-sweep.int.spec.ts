// The expiry sweep against a real PostgreSQL database, with the clock in the test's hands: which SKUs it visits
// (counted, never timed), the preorder release, several sweepers at once, and a SKU it cannot read.
import { beforeEach, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@fulfillment/eventstore';
import { skuStreamName } from '@fulfillment/inventory-domain';
import type pg from 'pg';
import { pino } from 'pino';
import type { SkuWork } from '../src/sku/sku.pipeline.js';
import { ExpirySweep } from '../src/sweep-backorders/expiry-sweep.job.js';
import { skuStoreFixture } from './support/sku-store.js';

const db = skuStoreFixture('inventory_sweep', { poolSize: 6, planning: true });
const logged: { level: number; msg: string; sku?: string }[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(JSON.parse(line)) });

const T0 = Date.parse('2026-11-27T10:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const cause = { correlationId: 'sweep-test', causationId: null };

beforeEach(async () => {
  await db.pool.query('TRUNCATE sku_sweeps');
  logged.length = 0;
});

const sweeper = (clock: () => number, options: { batchSize?: number; pool?: pg.Pool } = {}) =>
  new ExpirySweep(options.pool ? new PostgresEventStore(options.pool) : db.store, db.skus, {
    intervalMs: 60_000,
    logger,
    now: () => new Date(clock()),
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
  });

const run = (sku: string, ...commands: SkuWork['command'][]) => db.skus.run(commands.map((command) => ({ id: sku, command, cause })));

/** A SKU with one line of `quantity` waiting for a purchase order, queued at `queuedAt`. */
const skuWithWaitingLine = async (configuration: Record<string, unknown>, queuedAt: number, quantity = 2) => {
  const sku = `SKU-${randomUUID().slice(0, 8)}`;
  // Each command a millisecond after the one before, as a SKU's decisions are dated: the line is queued at `queuedAt`.
  await run(
    sku,
    { type: 'ConfigureSku', data: { ...configuration, now: iso(queuedAt - 2) } },
    { type: 'RegisterPurchaseOrder', data: { purchaseOrderId: `po-${sku}`, quantity: 10, expectedAt: iso(queuedAt + 10 * DAY), now: iso(queuedAt - 1) } },
    { type: 'AllocateOrderLine', data: { orderId: `order-${sku}`, lineId: `${sku}-1`, customerId: 'cust-1', quantity, now: iso(queuedAt) } },
  );
  return sku;
};

const eventsOf = async (sku: string, type: string) =>
  (await db.store.readStream(skuStreamName(sku))).filter((event) => event.type === type).map((event) => event.data as Record<string, unknown>);
const dueAt = async (sku: string) =>
  (await db.pool.query<{ due_at: Date }>('SELECT due_at FROM sku_sweeps WHERE sku = $1', [sku])).rows[0]?.due_at.toISOString() ?? null;

describe('the expiry sweep', () => {
  it('visits a SKU only once its oldest line is overdue, expires it, and then forgets the SKU', async () => {
    const sku = await skuWithWaitingLine({ autoCancelAfterDays: 1 }, T0);
    const plain = await skuWithWaitingLine({}, T0);
    expect(await dueAt(sku)).toBe(iso(T0 + DAY + 1));
    expect(await dueAt(plain)).toBeNull();

    expect(await sweeper(() => T0 + DAY).runOnce()).toEqual({ skipped: false, visited: 0, changed: 0, failed: 0 });
    expect(await eventsOf(sku, 'BackorderReleased')).toEqual([]);

    expect(await sweeper(() => T0 + DAY + 1).runOnce()).toEqual({ skipped: false, visited: 1, changed: 1, failed: 0 });
    expect(await eventsOf(sku, 'BackorderReleased')).toEqual([expect.objectContaining({ reason: 'expired', quantity: 2, at: iso(T0 + DAY + 1) })]);
    expect(await dueAt(sku)).toBeNull();
    // A repeat at the same time, or much later, has nothing to visit.
    expect(await sweeper(() => T0 + DAY + 1).runOnce()).toMatchObject({ visited: 0 });
    expect(await sweeper(() => T0 + 400 * DAY).runOnce()).toMatchObject({ visited: 0 });
    expect(await eventsOf(plain, 'BackorderReleased')).toEqual([]);
  });

  it('releases preorders at the first sweep at or after releaseAt and serves them FIFO from the stock held for them', async () => {
    const sku = `SKU-${randomUUID().slice(0, 8)}`;
    const releaseAt = iso(T0 + HOUR);
    const now = iso(T0);
    await run(
      sku,
      { type: 'ConfigureSku', data: { releaseAt, now } },
      { type: 'AdjustStock', data: { delta: 3, reason: 'first delivery', now } },
      { type: 'AllocateOrderLine', data: { orderId: 'order-a', lineId: 'a-1', customerId: 'cust-a', quantity: 2, now } },
      { type: 'AllocateOrderLine', data: { orderId: 'order-b', lineId: 'b-1', customerId: 'cust-b', quantity: 2, now } },
    );
    // 3 on hand and nothing on order: the second line can wait for 1 unit, the other is unavailable (rule 2).
    expect(await eventsOf(sku, 'BackorderQueued')).toEqual([
      expect.objectContaining({ orderId: 'order-a', quantity: 2, preorder: true }),
      expect.objectContaining({ orderId: 'order-b', quantity: 1, preorder: true }),
    ]);
    expect(await eventsOf(sku, 'StockReserved')).toEqual([]);
    expect(await dueAt(sku)).toBe(releaseAt);

    expect(await sweeper(() => T0 + HOUR - 1).runOnce()).toMatchObject({ visited: 0 });
    expect(await sweeper(() => T0 + HOUR).runOnce()).toMatchObject({ visited: 1, changed: 1 });
    expect(await eventsOf(sku, 'SkuReleased')).toHaveLength(1);
    expect(await eventsOf(sku, 'BackorderAllocated')).toEqual([
      expect.objectContaining({ orderId: 'order-a', quantity: 2, remaining: 0 }),
      expect.objectContaining({ orderId: 'order-b', quantity: 1, remaining: 0 }),
    ]);
    expect(await dueAt(sku)).toBeNull();
  });

  it('sweeps each due SKU once when several sweepers run at the same moment', async () => {
    const due = await Promise.all(Array.from({ length: 12 }, (_, n) => skuWithWaitingLine({ autoCancelAfterDays: 0 }, T0 + n)));
    const pools = [0, 1, 2].map(() => db.newPool(2));
    try {
      const results = await Promise.all(pools.map((own) => sweeper(() => T0 + HOUR, { batchSize: 5, pool: own }).runOnce()));
      expect(results.reduce((total, result) => total + result.visited, 0)).toBe(12);
      expect(results.reduce((total, result) => total + result.changed, 0)).toBe(12);
      for (const sku of due) expect(await eventsOf(sku, 'BackorderReleased')).toEqual([expect.objectContaining({ reason: 'expired' })]);
    } finally {
      await Promise.all(pools.map((own) => own.end()));
    }
  });

  it('skips a pass while another instance holds the sweep lock, and sweeps at the next one', async () => {
    const sku = await skuWithWaitingLine({ autoCancelAfterDays: 0 }, T0);
    const holder = await db.pool.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT pg_advisory_xact_lock($1, 0)', [0x494e_5357]);
      expect(await sweeper(() => T0 + HOUR).runOnce()).toEqual({ skipped: true, visited: 0, changed: 0, failed: 0 });
      await holder.query('COMMIT');
    } finally {
      holder.release();
    }
    expect(await sweeper(() => T0 + HOUR).runOnce()).toMatchObject({ skipped: false, visited: 1, changed: 1 });
    expect(await eventsOf(sku, 'BackorderReleased')).toHaveLength(1);
  });

  it('sweeps the other SKUs of a batch when one cannot be read, and logs the one it could not sweep', async () => {
    const good = await Promise.all([0, 1, 2].map((n) => skuWithWaitingLine({ autoCancelAfterDays: 0 }, T0 + n)));
    const broken = await skuWithWaitingLine({ autoCancelAfterDays: 0 }, T0);
    // An event this code cannot read (written by a newer release, or by hand): loading the SKU fails.
    await db.store.append(skuStreamName(broken), 'any', [{ type: 'StockTeleported', data: { quantity: 1 } }]);

    const result = await sweeper(() => T0 + HOUR, { batchSize: 10 }).runOnce();
    expect(result).toEqual({ skipped: false, visited: 3, changed: 3, failed: 1 });
    for (const sku of good) expect(await eventsOf(sku, 'BackorderReleased')).toHaveLength(1);
    expect(logged).toContainEqual(expect.objectContaining({ level: 50, sku: broken, msg: 'expiry sweep of a SKU failed' }));
    // Still due: the next pass tries it again (and the good ones are not visited again).
    expect(await dueAt(broken)).not.toBeNull();
    expect(await sweeper(() => T0 + HOUR, { batchSize: 10 }).runOnce()).toMatchObject({ visited: 0, failed: 1 });
  });
});
