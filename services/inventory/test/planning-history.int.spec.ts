// A generated history of 3,000 orders through the inventory service as a process (restocks, cancels, expiries,
// purchase-order date changes, preorders released during the run), then the planning reads checked three ways: against
// figures computed here, independently, from the events inventory published (plus what the test itself sent); against
// the SKUs' own streams (GET /skus/:sku); and against a rebuild of the read models from the event store, run while the
// service keeps going. Counted, never timed.
import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { TOPICS, type AnyEnvelope } from '@fulfillment/contracts';
import { PostgresEventStore, sessionPool, type ProjectionProgress } from '@fulfillment/eventstore';
import { eventually, fileFixture } from '@fulfillment/testing';
import { pino } from 'pino';
import { PlanningProjection } from '../src/planning/planning.projection.js';
import { envelope, InventoryUnderTest, type PublishedEvent } from './support/inventory-under-test.js';

const ORDERS = 3_000;
const ROUNDS = 20;
const DAY = 86_400_000;

const inventory = fileFixture(() => InventoryUnderTest.start({ env: { EXPIRY_SWEEP_INTERVAL_MS: '500' } }), (service) => service.stop());

/** mulberry32: the same history on every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Figures {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  backordered: number;
  queueLines: number;
  oldestQueuedAt: string | null;
  incoming: number;
  demand7d: number;
  demand30d: number;
}
interface ReportRow extends Figures {
  coveredByIncoming: number;
  uncovered: number;
  promiseKeptRatio: number | null;
}

const utcDay = (instant: string) => instant.slice(0, 10);
const byteOrder = (a: string, b: string) => (Buffer.compare(Buffer.from(a), Buffer.from(b)));

/**
 * The planning figures as the published events say, computed without the service's code: on hand and incoming from
 * what the test sent (adjustments, receipts, purchase orders), the rest from inventory.events.
 */
function independentFigures(
  published: readonly PublishedEvent[],
  skus: readonly string[],
  onHand: ReadonlyMap<string, number>,
  incoming: ReadonlyMap<string, number>,
): { listed: Figures[]; report: ReportRow[] } {
  const perSku = new Map(skus.map((sku) => [sku, { reserved: 0, backordered: 0, demand: 0, lines: new Map<string, { waiting: number; queuedAt: string; promise: string | null }>(), promised: 0, kept: 0 }]));
  for (const event of published) {
    const s = perSku.get(String(event.subject));
    if (!s) continue;
    const d = event.data;
    const key = `${d.orderId}/${d.lineId}`;
    switch (event.type) {
      case 'StockReserved':
        s.reserved += d.quantity;
        s.demand += d.quantity;
        break;
      case 'BackorderQueued': {
        s.backordered += d.quantity;
        s.demand += d.quantity;
        const line = s.lines.get(key);
        if (line) line.waiting += d.quantity;
        else s.lines.set(key, { waiting: d.quantity, queuedAt: String(event.time), promise: d.expectedAt });
        break;
      }
      case 'StockUnavailable':
        s.demand += d.quantity;
        break;
      case 'BackorderAllocated': {
        s.reserved += d.quantity;
        s.backordered -= d.quantity;
        const line = s.lines.get(key)!;
        line.waiting -= d.quantity;
        if (d.remaining === 0) {
          s.lines.delete(key);
          if (line.promise !== null) {
            s.promised += 1;
            if (utcDay(String(event.time)) <= utcDay(line.promise)) s.kept += 1;
          }
        }
        break;
      }
      case 'BackorderReleased': {
        s.backordered -= d.quantity;
        const line = s.lines.get(key)!;
        line.waiting -= d.quantity;
        if (line.waiting <= 0) s.lines.delete(key);
        break;
      }
      case 'StockReleased':
        s.reserved -= d.quantity;
        break;
      default:
        break;
    }
  }
  const listed: Figures[] = [];
  const report: ReportRow[] = [];
  for (const sku of [...skus].sort(byteOrder)) {
    const s = perSku.get(sku)!;
    const hand = onHand.get(sku) ?? 0;
    const waiting = [...s.lines.values()];
    const figures: Figures = {
      sku,
      onHand: hand,
      reserved: s.reserved,
      available: Math.max(0, hand - s.reserved),
      backordered: s.backordered,
      queueLines: waiting.length,
      oldestQueuedAt: waiting.length === 0 ? null : waiting.map((line) => line.queuedAt).sort()[0]!,
      incoming: incoming.get(sku) ?? 0,
      // Every line of this history was answered within the last hour: both windows hold all of them.
      demand7d: s.demand,
      demand30d: s.demand,
    };
    listed.push(figures);
    if (figures.backordered > 0) {
      report.push({
        ...figures,
        coveredByIncoming: Math.min(figures.backordered, figures.incoming),
        uncovered: Math.max(0, figures.backordered - figures.available - figures.incoming),
        promiseKeptRatio: s.promised === 0 ? null : s.kept / s.promised,
      });
    }
  }
  report.sort((a, b) => a.oldestQueuedAt!.localeCompare(b.oldestQueuedAt!) || byteOrder(a.sku, b.sku));
  return { listed, report };
}

async function allPages(query: string, limit: number): Promise<Figures[]> {
  const items: Figures[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const { status, body } = await inventory.http('GET', `/skus?${query}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(status).toBe(200);
    items.push(...(body!.items as Figures[]));
    cursor = body!.nextCursor;
    if (cursor === null) return items;
  }
  throw new Error('more than 1000 pages');
}

describe('planning reads on a generated history', () => {
  it('match the published events, the SKUs themselves and a rebuild from the event store', async () => {
    const rnd = random(13);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(rnd() * items.length)]!;
    const run = randomUUID().slice(0, 6);
    const start = Date.now();
    const releaseAt = new Date(start + 25_000).toISOString();
    const onHand = new Map<string, number>();
    const purchaseOrders = new Map<string, { sku: string; open: number }>();
    const add = (sku: string, units: number) => onHand.set(sku, (onHand.get(sku) ?? 0) + units);
    const inDays = (days: number) => new Date(start + days * DAY).toISOString();

    // The catalogue: purchase-order-backed SKUs (some expiring at once, capped or with a horizon), lead-time SKUs,
    // stocked SKUs (some not backorderable), preorder SKUs released during the run, and SKUs inventory never heard of.
    const sku = (kind: string, n: number) => `H${run}-${kind}-${n}`;
    const onOrder = Array.from({ length: 10 }, (_, n) => sku('po', n));
    const leadTime = Array.from({ length: 5 }, (_, n) => sku('lead', n));
    const stocked = Array.from({ length: 8 }, (_, n) => sku('stock', n));
    const preorders = Array.from({ length: 3 }, (_, n) => sku('pre', n));
    const unknown = Array.from({ length: 2 }, (_, n) => sku('unknown', n));
    // A purchase order already late when the lines are promised its date: filled later, those promises are broken.
    const late = sku('late', 0);
    const all = [...onOrder, ...leadTime, ...stocked, ...preorders, ...unknown, late];
    const configurations: Record<string, Record<string, unknown>> = {};
    onOrder.forEach((s, n) => (configurations[s] = n < 3 ? { autoCancelAfterDays: 0 } : n < 5 ? { maxBackorder: 15 } : n === 5 ? { maxWaitDays: 7 } : {}));
    leadTime.forEach((s, n) => (configurations[s] = { leadTimeDays: 2 + n, reorderPoint: n % 2 === 0 ? 5 : 0 }));
    stocked.forEach((s, n) => (configurations[s] = { backorderable: n >= 3 }));
    preorders.forEach((s) => (configurations[s] = { releaseAt }));
    for (const [s, configuration] of Object.entries(configurations)) {
      expect((await inventory.http('PUT', `/skus/${s}`, configuration)).status).toBe(200);
    }
    for (const s of [...stocked, ...preorders]) {
      const delta = 20 + Math.floor(rnd() * 100);
      expect((await inventory.http('POST', `/skus/${s}/adjustments`, { delta, reason: 'opening count' })).status).toBe(202);
      add(s, delta);
    }
    const placePurchaseOrder = (s: string) => {
      const purchaseOrderId = `po-${randomUUID()}`;
      const quantity = 20 + Math.floor(rnd() * 40);
      purchaseOrders.set(purchaseOrderId, { sku: s, open: quantity });
      return envelope('PurchaseOrderPlaced', { purchaseOrderId, sku: s, quantity, expectedAt: inDays(3 + Math.floor(rnd() * 17)) }, { source: 'supplier' });
    };
    await inventory.send(TOPICS.supplierEvents, ...[...onOrder, ...onOrder, ...preorders].map(placePurchaseOrder));
    const latePurchaseOrderId = `po-${randomUUID()}`;
    purchaseOrders.set(latePurchaseOrderId, { sku: late, open: 30 });
    await inventory.send(
      TOPICS.supplierEvents,
      envelope('PurchaseOrderPlaced', { purchaseOrderId: latePurchaseOrderId, sku: late, quantity: 30, expectedAt: inDays(-2) }, { source: 'supplier' }),
    );

    const lines: string[] = [];
    const placed: { orderId: string }[] = [];
    let cancels = 0;
    let receipts = 0;
    let dateChanges = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const orders = Array.from({ length: ORDERS / ROUNDS }, () => {
        const orderId = randomUUID();
        const customerId = `cust-${Math.floor(rnd() * 500)}`;
        const count = 1 + Math.floor(rnd() * 2);
        const skus = new Set(Array.from({ length: count }, () => (rnd() < 0.02 ? pick(unknown) : pick(all.filter((s) => !unknown.includes(s))))));
        const orderLines = [...skus].map((s, index) => ({ lineId: `${orderId}-${index + 1}`, sku: s, quantity: 1 + Math.floor(rnd() * 4) }));
        for (const line of orderLines) lines.push(`${line.sku}/${orderId}/${line.lineId}`);
        placed.push({ orderId });
        return envelope('OrderPlaced', { orderId, customerId, lines: orderLines, placedAt: new Date().toISOString() });
      });
      // Cancellations of orders placed in earlier rounds (the same order's events share its partition, in order).
      const cancelled = round === 0 ? [] : Array.from({ length: 8 }, () => pick(placed.slice(0, round * (ORDERS / ROUNDS))));
      const uniqueCancels = [...new Map(cancelled.map((o) => [o.orderId, o])).values()];
      cancels += uniqueCancels.length;
      await inventory.send(
        TOPICS.orderEvents,
        ...orders,
        ...uniqueCancels.map(({ orderId }) => envelope('OrderCancelled', { orderId, customerId: 'cust-x', reason: 'customer-request' })),
      );

      // Supplier side: receipts against open purchase orders, date changes (some into the past: promises broken), a
      // new purchase order now and then.
      const supplier: AnyEnvelope[] = [];
      for (let k = 0; k < 3; k++) {
        const open = [...purchaseOrders.entries()].filter(([id, po]) => po.open > 0 && id !== latePurchaseOrderId);
        if (open.length === 0) break;
        const [purchaseOrderId, po] = pick(open);
        if (rnd() < 0.6) {
          const quantity = 1 + Math.floor(rnd() * Math.min(po.open, 25));
          po.open -= quantity;
          add(po.sku, quantity);
          receipts += 1;
          supplier.push(envelope('RestockReceived', { purchaseOrderId, sku: po.sku, quantity, receivedAt: new Date().toISOString(), remainingOnOrder: po.open }, { source: 'supplier' }));
        } else {
          dateChanges += 1;
          const days = -5 + Math.floor(rnd() * 30);
          supplier.push(envelope('PurchaseOrderEtaChanged', { purchaseOrderId, sku: po.sku, previousExpectedAt: null, expectedAt: inDays(days) }, { source: 'supplier' }));
        }
      }
      if (round % 5 === 4) supplier.push(placePurchaseOrder(pick(onOrder)));
      if (round === ROUNDS / 2) {
        const po = purchaseOrders.get(latePurchaseOrderId)!;
        po.open -= 10;
        add(late, 10);
        receipts += 1;
        supplier.push(envelope('RestockReceived', { purchaseOrderId: latePurchaseOrderId, sku: late, quantity: 10, receivedAt: new Date().toISOString(), remainingOnOrder: po.open }, { source: 'supplier' }));
      }
      await inventory.send(TOPICS.supplierEvents, ...supplier);
      if (round % 4 === 3) {
        const s = pick(stocked);
        const delta = 5 + Math.floor(rnd() * 20);
        expect((await inventory.http('POST', `/skus/${s}/adjustments`, { delta, reason: 'found in the back' })).status).toBe(202);
        add(s, delta);
      }
    }

    // Every line answered, the preorders released, and then the read models as the events say.
    const answered = () =>
      new Set(
        inventory.published
          .filter((e) => e.type === 'StockReserved' || e.type === 'BackorderQueued' || e.type === 'StockUnavailable')
          .map((e) => `${e.subject}/${e.data.orderId}/${e.data.lineId}`),
      );
    await eventually(() => (answered().size === lines.length ? true : undefined), {
      timeoutMs: 300_000,
      intervalMs: 500,
      what: `every one of ${lines.length} lines answered (have ${answered().size})`,
    });
    await eventually(() => (Date.now() > Date.parse(releaseAt) + 2_000 ? true : undefined), { timeoutMs: 60_000, what: 'the release' });

    const incoming = new Map<string, number>();
    for (const po of purchaseOrders.values()) incoming.set(po.sku, (incoming.get(po.sku) ?? 0) + po.open);
    let expected = independentFigures(inventory.published, all, onHand, incoming);
    const live = await eventually(
      async () => {
        expected = independentFigures(inventory.published, all, onHand, incoming);
        const listed = await allPages('sort=sku', 500);
        const { body } = await inventory.http('GET', '/reports/backorders');
        return JSON.stringify(listed) === JSON.stringify(expected.listed) && JSON.stringify(body!.skus) === JSON.stringify(expected.report)
          ? { listed, report: body!.skus as ReportRow[] }
          : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 1_000, what: 'the planning reads to match the published events' },
    ).catch(async (error: Error) => {
      // Show the difference rather than only that there is one.
      expect(await allPages('sort=sku', 500)).toEqual(expected.listed);
      throw error;
    });
    expect(live.report).toEqual(expected.report);

    // The history did what it was generated for.
    const count = (type: string, where: (e: PublishedEvent) => boolean = () => true) => inventory.published.filter((e) => e.type === type && where(e)).length;
    const expiries = count('BackorderReleased', (e) => e.data.reason === 'expired');
    const releasedByCancel = count('BackorderReleased', (e) => e.data.reason === 'customer-request') + count('StockReleased');
    const fills = count('BackorderAllocated', (e) => e.data.remaining === 0);
    expect(expiries).toBeGreaterThan(0);
    expect(releasedByCancel).toBeGreaterThan(0);
    expect(fills).toBeGreaterThan(0);
    expect(count('BackorderEtaChanged')).toBeGreaterThan(0);
    expect(count('BackorderQueued', (e) => e.data.preorder === true)).toBeGreaterThan(0);
    expect(expected.report.find((row) => row.sku === late)).toMatchObject({ promiseKeptRatio: 0 });
    expect(expected.report.some((row) => row.promiseKeptRatio === 1)).toBe(true);
    expect(expected.report.length).toBeGreaterThan(3);

    // The SKUs' own streams say the same.
    for (const row of live.listed) {
      const { status, body } = await inventory.http('GET', `/skus/${row.sku}`);
      expect(status).toBe(200);
      const queue = body!.queue as { queuedAt: string }[];
      expect({
        sku: row.sku,
        onHand: body!.onHand,
        reserved: body!.reserved,
        available: body!.available,
        backordered: body!.backordered,
        queueLines: queue.length,
        oldestQueuedAt: queue.length === 0 ? null : queue.map((line) => line.queuedAt).sort()[0],
        incoming: (body!.incoming as { quantity: number }[]).reduce((total, po) => total + po.quantity, 0),
      }).toEqual({ sku: row.sku, onHand: row.onHand, reserved: row.reserved, available: row.available, backordered: row.backordered, queueLines: row.queueLines, oldestQueuedAt: row.oldestQueuedAt, incoming: row.incoming });
    }

    // Paging: by demand, 7 at a time, the same rows as one page; the backordered filter gives the report's SKUs.
    expect(await allPages('sort=demand', 7)).toEqual(await allPages('sort=demand', 500));
    expect((await allPages('backordered=true&sort=sku', 4)).map((row) => row.sku)).toEqual(expected.report.map((row) => row.sku).sort(byteOrder));

    // CSV: the same rows.
    const csv = await inventory.http('GET', '/reports/backorders?format=csv');
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const [header, ...rows] = (csv.body as unknown as string).trimEnd().split('\r\n');
    const columns = header!.split(',');
    expect(rows.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])))).toEqual(
      expected.report.map((row) => Object.fromEntries(columns.map((column) => [column, String(row[column as keyof ReportRow] ?? '')]))),
    );

    // A rebuild from the event store, while the service's own loop keeps running, gives the same rows.
    const pool = sessionPool({ connectionString: inventory.databaseUrl, max: 2 });
    pool.on('error', () => undefined);
    let rebuilt: ProjectionProgress;
    const progress: number[] = [];
    try {
      rebuilt = await new PlanningProjection(new PostgresEventStore(pool), { logger: pino({ level: 'silent' }) }).rebuild((p) => progress.push(p.processed));
    } finally {
      await pool.end();
    }
    expect(rebuilt.processed).toBe(rebuilt.total);
    expect(progress.length).toBeGreaterThan(1);
    expect(await allPages('sort=sku', 500)).toEqual(live.listed);
    expect((await inventory.http('GET', '/reports/backorders')).body!.skus).toEqual(live.report);

    process.stdout.write(
      `planning history: ${ORDERS} orders, ${lines.length} lines, ${cancels} cancels, ${receipts} receipts, ${dateChanges} date changes; ` +
        `${inventory.published.length} events published (${expiries} expiries, ${fills} lines filled from the queue); ` +
        `${expected.report.length} SKUs in the report; rebuild replayed ${rebuilt.processed} stored events in ${progress.length} pages\n`,
    );
  }, 600_000);
});
