// The planning read models on a real PostgreSQL database: a history written through the SKU pipeline with commands
// dated weeks apart (time travels with the command, so the windows are tested without waiting), projected by the
// ProjectionRunner, read back by the planning queries, rebuilt from the events (also in tiny pages that split
// decisions), and pruned.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { PlanningProjection } from '../src/planning/planning.projection.js';
import { PlanningQueries } from '../src/planning/planning.queries.js';
import type { SkuWork } from '../src/sku/sku.pipeline.js';
import { skuStoreFixture } from './support/sku-store.js';

const db = skuStoreFixture('inventory_planning', { planning: true });
let queries: PlanningQueries;
const logger = pino({ level: 'silent' });

const START = Date.now();
const DAY = 86_400_000;
// `msEarlier` dates a command just before the next one of the same run: a SKU's decisions are never simultaneous (each
// is dated a millisecond after the one before when their times are equal), so the line a run ends with keeps its time.
const ago = (days: number, msEarlier = 0) => new Date(START - days * DAY - msEarlier).toISOString();
const cause = { correlationId: 'planning-test', causationId: null };

const run = (sku: string, ...commands: SkuWork['command'][]) => db.skus.run(commands.map((command) => ({ id: sku, command, cause })));
const order = (orderId: string, quantity: number, daysAgo: number): SkuWork['command'] => ({
  type: 'AllocateOrderLine',
  data: { orderId, lineId: `${orderId}-1`, customerId: `cust-${orderId}`, quantity, now: ago(daysAgo) },
});

beforeAll(async () => {
  queries = new PlanningQueries(db.pool);

  // A: a line promised 35 days ago, filled 20 days ago (late); a second line waiting, partly served yesterday; a third
  // ordered 3 days ago with no supply left (unavailable). Its first order (40 days ago) is outside both windows.
  await run('A', { type: 'ConfigureSku', data: { now: ago(40, 2) } }, { type: 'RegisterPurchaseOrder', data: { purchaseOrderId: 'po-a', quantity: 5, expectedAt: ago(35), now: ago(40, 1) } }, order('a1', 2, 40));
  await run('A', { type: 'ReceiveRestock', data: { purchaseOrderId: 'po-a', quantity: 2, now: ago(20, 1) } }, order('a2', 3, 20));
  await run('A', order('a3', 1, 3), { type: 'AdjustStock', data: { delta: 1, reason: 'found one', now: ago(1) } });
  // B: a line promised 10 days ahead and filled yesterday (kept); a second line now, partly beyond the purchase order.
  await run('B', { type: 'RegisterPurchaseOrder', data: { purchaseOrderId: 'po-b', quantity: 4, expectedAt: ago(-10), now: ago(2, 1) } }, order('b1', 2, 2));
  await run('B', { type: 'ReceiveRestock', data: { purchaseOrderId: 'po-b', quantity: 2, now: ago(1) } }, order('b2', 5, 1 / 24));
  // C: stock, one reservation 10 days ago; nothing waits.
  await run('C', { type: 'AdjustStock', data: { delta: 5, reason: 'count', now: ago(12) } }, order('c1', 2, 10));
  // E: promised for the start of today (UTC) and filled now: later than the instant, but on the day promised (kept).
  const today = new Date(Math.floor(START / DAY) * DAY).toISOString();
  await run('E', { type: 'RegisterPurchaseOrder', data: { purchaseOrderId: 'po-e', quantity: 1, expectedAt: today, now: ago(3, 1) } }, order('e1', 1, 3));
  await run(
    'E',
    { type: 'ReceiveRestock', data: { purchaseOrderId: 'po-e', quantity: 1, now: ago(0, 2) } },
    { type: 'RegisterPurchaseOrder', data: { purchaseOrderId: 'po-e2', quantity: 1, expectedAt: ago(-3), now: ago(0, 1) } },
    order('e2', 1, 0),
  );
  // D: a preorder SKU with 3 on hand for its release tomorrow: 3 of 5 units wait for it, 2 are unavailable.
  await run('D', { type: 'ConfigureSku', data: { releaseAt: ago(-1), now: ago(0, 2) } }, { type: 'AdjustStock', data: { delta: 3, reason: 'count', now: ago(0, 1) } }, order('d1', 5, 0));
}, 60_000);

/**
 * The global log withholds events while an older transaction anywhere on the server is still open (the database is
 * shared with other tests): wait until every event is readable, as the live loop would simply do a moment later.
 */
const allEventsReadable = async () => {
  for (let attempt = 0; attempt < 3000; attempt++) {
    const { rows } = await db.pool.query<{ withheld: boolean }>(
      'SELECT EXISTS (SELECT 1 FROM es_events WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot())) AS withheld',
    );
    if (!rows[0]!.withheld) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('events still withheld from the global log after 30 s');
};

const projection = (pageSize?: number) => new PlanningProjection(db.store, { logger, ...(pageSize ? { pageSize } : {}) });
const asOf = () => new Date().toISOString();
const everything = async () => ({
  listed: (await queries.listSkus({ sort: 'sku', backordered: null, limit: 500, asOf: asOf(), after: null })).rows,
  report: await queries.backorderReport(asOf()),
});

describe('the planning read models', () => {
  it('show per SKU the stock, the queue, the demand of the last 7 and 30 days and the promises kept', async () => {
    await allEventsReadable();
    await projection().catchUp();
    const { listed, report } = await everything();
    expect(listed).toEqual([
      { sku: 'A', onHand: 3, reserved: 3, available: 0, backordered: 2, queueLines: 1, oldestQueuedAt: ago(20), incoming: 3, demand7d: 1, demand30d: 4 },
      { sku: 'B', onHand: 2, reserved: 2, available: 0, backordered: 2, queueLines: 1, oldestQueuedAt: ago(1 / 24), incoming: 2, demand7d: 7, demand30d: 7 },
      { sku: 'C', onHand: 5, reserved: 2, available: 3, backordered: 0, queueLines: 0, oldestQueuedAt: null, incoming: 0, demand7d: 0, demand30d: 2 },
      { sku: 'D', onHand: 3, reserved: 0, available: 3, backordered: 3, queueLines: 1, oldestQueuedAt: ago(0), incoming: 0, demand7d: 5, demand30d: 5 },
      { sku: 'E', onHand: 1, reserved: 1, available: 0, backordered: 1, queueLines: 1, oldestQueuedAt: ago(0), incoming: 1, demand7d: 2, demand30d: 2 },
    ]);
    expect(report).toEqual([
      { ...listed[0], coveredByIncoming: 2, uncovered: 0, promiseKeptRatio: 0 },
      { ...listed[1], coveredByIncoming: 2, uncovered: 0, promiseKeptRatio: 1 },
      // The preorders are covered by the stock held for the release, not by purchase orders.
      { ...listed[3], coveredByIncoming: 0, uncovered: 0, promiseKeptRatio: null },
      // Filled after the instant promised (the start of today) but on that day: kept.
      { ...listed[4], coveredByIncoming: 1, uncovered: 0, promiseKeptRatio: 1 },
    ]);
  });

  it('agree with the SKUs themselves', async () => {
    const { listed } = await everything();
    for (const row of listed) {
      const { state } = await db.skus.read(row.sku);
      expect(row).toMatchObject({
        onHand: state.onHand,
        reserved: state.reservedUnits,
        backordered: state.backorderedUnits,
        queueLines: state.queue.size,
        incoming: state.purchaseOrders.reduce((total, po) => total + po.openQuantity, 0),
      });
    }
  });

  it('rebuild from the events to the same rows, also in pages so small that decisions are split across them', async () => {
    const live = await everything();
    const progress: number[] = [];
    const rebuilt = await projection().rebuild((p) => progress.push(p.processed));
    const total = Number((await db.pool.query('SELECT count(*) AS n FROM es_events')).rows[0].n);
    expect(rebuilt).toMatchObject({ processed: total, total });
    expect(progress.at(-1)).toBe(total);
    expect(await everything()).toEqual(live);

    const inTinyPages = await projection(2).rebuild();
    expect(inTinyPages.processed).toBe(total);
    expect(await everything()).toEqual(live);
  });

  it('page by cursor in either order without repeating or losing a SKU', async () => {
    for (const sort of ['sku', 'demand'] as const) {
      const all = (await queries.listSkus({ sort, backordered: null, limit: 500, asOf: asOf(), after: null })).rows.map((row) => row.sku);
      const paged: string[] = [];
      let after = null;
      const now = asOf();
      for (let page = 0; page < 10; page++) {
        const { rows, more } = await queries.listSkus({ sort, backordered: null, limit: 3, asOf: now, after });
        paged.push(...rows.map((row) => row.sku));
        if (!more) break;
        const last = rows.at(-1)!;
        after = { sort, backordered: null, asOf: now, sku: last.sku, demand30d: last.demand30d, demand7d: last.demand7d };
      }
      expect(paged).toEqual(all);
    }
    expect((await queries.listSkus({ sort: 'demand', backordered: null, limit: 10, asOf: asOf(), after: null })).rows.map((r) => r.sku)).toEqual(['B', 'D', 'A', 'E', 'C']);
    expect((await queries.listSkus({ sort: 'sku', backordered: true, limit: 10, asOf: asOf(), after: null })).rows.map((r) => r.sku)).toEqual(['A', 'B', 'D', 'E']);
    expect((await queries.listSkus({ sort: 'sku', backordered: false, limit: 10, asOf: asOf(), after: null })).rows.map((r) => r.sku)).toEqual(['C']);
  });

  it('prune demand and fills older than the windows without changing a figure', async () => {
    const before = await everything();
    // a1's demand (40 days ago) is the only row beyond the 31 days kept.
    expect(await projection().prune()).toBe(1);
    expect(await everything()).toEqual(before);
  });
});
