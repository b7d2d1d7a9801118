// POST /admin/projections/planning/rebuild on the inventory service as a process: a planning read model that lost
// its rows is rebuilt from the event store in the background, its progress followed on the status resource, and the
// planning reads answer as before.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { TOPICS } from '@fulfillment/contracts';
import { eventually, fileFixture } from '@fulfillment/testing';
import pg from 'pg';
import { envelope, inDays, InventoryUnderTest, uniqueSku } from './support/inventory-under-test.js';

const inventory = fileFixture(() => InventoryUnderTest.start(), (service) => service.stop());

interface RebuildStatus {
  name: string;
  state: 'running' | 'done' | 'failed';
  processed: number;
  total: number;
  finishedAt: string | null;
}

/** The backordered SKUs of the planning read, with the figures a rebuild must give back. */
const backlog = async () => {
  const { items } = (await inventory.http('GET', '/skus?backordered=true&limit=100')).body as { items: ({ sku: string } & Record<string, unknown>)[] };
  return { items: items.map(({ sku, backordered, onHand, incoming, queueLines, oldestQueuedAt, demand30d }) => ({ sku, backordered, onHand, incoming, queueLines, oldestQueuedAt, demand30d })) };
};

describe('rebuilding the planning projection', () => {
  it('replays the event store into emptied planning tables, reporting progress, and the reads come back', async () => {
    const skus = [uniqueSku('rebuild'), uniqueSku('rebuild')];
    for (const sku of skus) {
      await inventory.send(TOPICS.supplierEvents, envelope('PurchaseOrderPlaced', { purchaseOrderId: `po-${randomUUID()}`, sku, quantity: 10, expectedAt: inDays(4) }, { source: 'supplier' }));
      await inventory.waitForIncoming(sku, 1);
      const orderId = randomUUID();
      await inventory.send(TOPICS.orderEvents, envelope('OrderPlaced', { orderId, customerId: 'cust-rebuild', lines: [{ lineId: `${orderId}-1`, sku, quantity: 3 }], placedAt: new Date().toISOString() }));
    }
    const before = await eventually(async () => {
      const page = await backlog();
      const ours = page.items.filter((item) => skus.includes(item.sku));
      return ours.length === skus.length ? ours : undefined;
    }, { what: 'both SKUs in the backordered planning read' });
    expect(before.map((item) => item.backordered)).toEqual([3, 3]);

    // The read model loses its rows (an operator's mistake, a bug fixed in the projection): the reads are wrong now.
    const db = new pg.Client({ connectionString: inventory.databaseUrl });
    await db.connect();
    try {
      await db.query('DELETE FROM planning_queue_lines');
      await db.query('DELETE FROM planning_skus');
    } finally {
      await db.end();
    }
    expect((await backlog()).items.filter((item) => skus.includes(item.sku))).toEqual([]);

    const started = await inventory.http('POST', '/admin/projections/planning/rebuild');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ name: 'planning', state: 'running' });
    const done = await eventually(async () => {
      const { body } = await inventory.http('GET', '/admin/projections/planning/rebuild');
      const status = body as RebuildStatus;
      return status.state === 'running' ? undefined : status;
    }, { what: 'the rebuild finished' });
    expect(done.state).toBe('done');
    // Every SKU event of the store was replayed: at least the two purchase orders, two queued lines and their configs.
    expect(done.processed).toBeGreaterThanOrEqual(4);
    expect(done.processed).toBe(done.total);
    expect(done.finishedAt).toEqual(expect.any(String));

    const after = (await backlog()).items.filter((item) => skus.includes(item.sku));
    expect(after).toEqual(before);
    expect((await inventory.http('GET', '/admin/projections')).body).toEqual([{ name: 'planning', lastRebuild: expect.objectContaining({ state: 'done' }) }]);
  }, 120_000);

  it('answers 404 naming what can be rebuilt for an unknown projection', async () => {
    const unknown = await inventory.http('POST', '/admin/projections/orders/rebuild');
    expect(unknown.status).toBe(404);
    expect((unknown.body as { message: string }).message).toContain('(planning)');
  });
});
