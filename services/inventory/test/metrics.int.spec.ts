// SPEC 13 "Metrics" on the inventory service as a process (real Kafka and PostgreSQL): the consumer lag, the outbox
// backlog and the backorder gauges move on GET /metrics as the service's work moves.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fulfillment/contracts';
import { createTopicsReady, eventually, samplesOf, scrapeMetrics, testKafka, type MetricSample } from '@fulfillment/testing';
import pg from 'pg';
import { envelope, InventoryUnderTest, uniqueSku } from './support/inventory-under-test.js';

let inventory: InventoryUnderTest;

beforeAll(async () => {
  // Lag measured every 200 ms instead of 5 s; one SKU named in the queue gauges, the others summed as _other.
  inventory = await InventoryUnderTest.start({ env: { METRICS_LAG_INTERVAL_MS: '200', METRICS_QUEUE_TOP_SKUS: '1' } });
}, 120_000);

afterAll(async () => {
  await inventory?.stop();
}, 60_000);

const sum = (samples: readonly MetricSample[]) => samples.reduce((acc, sample) => acc + sample.value, 0);
const total = (samples: readonly MetricSample[], name: string) => sum(samplesOf(samples, name));

/** Scrapes until `done` holds of the samples, and returns them. */
const metricsWhen = (done: (samples: MetricSample[]) => boolean, what: string, timeoutMs = 30_000) =>
  eventually(
    async () => {
      const samples = await scrapeMetrics(inventory.url);
      return done(samples) ? samples : undefined;
    },
    { timeoutMs, intervalMs: 100, what },
  );

const placeOrder = (lines: { sku: string; quantity: number }[]) =>
  envelope('OrderPlaced', {
    orderId: randomUUID(),
    customerId: 'cust-metrics',
    lines: lines.map((line, i) => ({ lineId: `line-${i + 1}`, ...line })),
    placedAt: new Date().toISOString(),
  });

describe('kafka_consumergroup_lag', () => {
  it('counts what is produced while the consumer cannot commit, per partition of the contract topic, and falls to 0 once consumed', async () => {
    const group = `${inventory.namespace.prefix}inventory-service`;
    const lagOf = (samples: MetricSample[]) => samplesOf(samples, 'kafka_consumergroup_lag', { group, topic: TOPICS.orderEvents });
    const first = await metricsWhen((s) => lagOf(s).length > 0, 'lag of order.events measured');
    // Every partition of both consumed topics is measured, labelled with the contract topic (no prefix).
    expect(new Set(samplesOf(first, 'kafka_consumergroup_lag', { group }).map((s) => s.labels.topic))).toEqual(
      new Set([TOPICS.orderEvents, TOPICS.supplierEvents]),
    );
    expect(lagOf(first).every((s) => s.value === 0)).toBe(true);

    // The consumer's transaction claims its records in the inbox first: while the table is locked it cannot commit.
    const holder = new pg.Client({ connectionString: inventory.databaseUrl });
    await holder.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE es_inbox IN EXCLUSIVE MODE');
      await inventory.send(TOPICS.orderEvents, ...Array.from({ length: 6 }, () => placeOrder([{ sku: uniqueSku('lag'), quantity: 1 }])));
      const held = await metricsWhen((s) => sum(lagOf(s)) === 6, 'lag of the 6 records produced', 15_000);
      expect(lagOf(held).every((s) => Number.isInteger(Number(s.labels.partition)))).toBe(true);
    } finally {
      await holder.query('COMMIT').catch(() => undefined);
      await holder.end();
    }
    await metricsWhen((s) => lagOf(s).length > 0 && lagOf(s).every((sample) => sample.value === 0), 'lag back to 0', 45_000);
  }, 120_000);
});

describe('outbox_backlog_messages', () => {
  it('counts the rows the relay cannot publish (their topic is missing) and is 0 once they are published', async () => {
    expect(total(await metricsWhen((s) => total(s, 'outbox_backlog_messages') === 0, 'an empty outbox'), 'outbox_backlog_messages')).toBe(0);
    const missing = inventory.namespace.name(`metrics-missing-${randomUUID().slice(0, 8)}`);
    const db = new pg.Client({ connectionString: inventory.databaseUrl });
    await db.connect();
    const kafka = await testKafka('inventory-metrics-test');
    const admin = kafka.admin();
    await admin.connect();
    try {
      await db.query(`INSERT INTO es_outbox (topic, key, value) VALUES ($1, 'k', '{}'), ($1, 'k', '{}')`, [missing]);
      await metricsWhen((s) => total(s, 'outbox_backlog_messages') === 2, 'two rows waiting');
      // Still waiting a while later: the relay keeps retrying, it does not drop them.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(total(await scrapeMetrics(inventory.url), 'outbox_backlog_messages')).toBe(2);

      await createTopicsReady(admin, [{ topic: missing, numPartitions: 1 }]);
      await metricsWhen((s) => total(s, 'outbox_backlog_messages') === 0, 'the backlog published', 45_000);
    } finally {
      await admin.deleteTopics({ topics: [missing] }).catch(() => undefined);
      await admin.disconnect();
      await db.end();
    }
  }, 120_000);
});

describe('backorder gauges', () => {
  it('show the queues after backorders are queued and after a restock allocates them, and the share of promises kept', async () => {
    const big = uniqueSku('metrics-big');
    const small = uniqueSku('metrics-small');
    for (const sku of [big, small]) {
      expect((await inventory.http('PUT', `/skus/${sku}`, { backorderable: true, leadTimeDays: 5 })).status).toBe(200);
    }
    const before = await scrapeMetrics(inventory.url);
    expect(Number.isNaN(total(before, 'promise_kept_ratio'))).toBe(true); // nothing filled yet

    await inventory.send(TOPICS.orderEvents, placeOrder([{ sku: big, quantity: 4 }]), placeOrder([{ sku: small, quantity: 1 }, { sku: big, quantity: 2 }]));
    await inventory.send(TOPICS.orderEvents, placeOrder([{ sku: small, quantity: 2 }]));
    await inventory.waitForEvents(big, 2, 'BackorderQueued');
    await inventory.waitForEvents(small, 2, 'BackorderQueued');

    // The SKU with most units waiting by name (METRICS_QUEUE_TOP_SKUS=1), the other one within _other.
    const queued = await metricsWhen(
      (s) => total(s, 'backorder_queue_units') === 9 && total(s, 'backorder_queue_lines') === 4,
      'the queued backorders in the gauges',
    );
    expect(samplesOf(queued, 'backorder_queue_units').map((s) => [s.labels.sku, s.value])).toEqual([
      [big, 6],
      ['_other', 3],
    ]);
    expect(samplesOf(queued, 'backorder_queue_lines').map((s) => [s.labels.sku, s.value])).toEqual([
      [big, 2],
      ['_other', 2],
    ]);
    await metricsWhen((s) => total(s, 'backorder_oldest_wait_seconds') > 0.5, 'the oldest line waiting');
    // The gauge is the age of the oldest queued line the planning read shows: bracketed by that age taken just before
    // and just after the scrape (an ordering of clock readings, whatever the machine's speed).
    const { items } = (await inventory.http('GET', '/skus?backordered=true&limit=100')).body as { items: { sku: string; oldestQueuedAt: string | null }[] };
    const oldest = Math.min(...items.filter((i) => [big, small].includes(i.sku)).map((i) => Date.parse(i.oldestQueuedAt!)));
    const ageBefore = (Date.now() - oldest) / 1000;
    const gauge = total(await scrapeMetrics(inventory.url), 'backorder_oldest_wait_seconds');
    const ageAfter = (Date.now() - oldest) / 1000;
    expect(gauge).toBeGreaterThanOrEqual(Math.floor(ageBefore) - 1);
    expect(gauge).toBeLessThanOrEqual(Math.ceil(ageAfter) + 1);

    // A restock fills every line well before the date promised (5 days of lead time): all promises kept.
    for (const sku of [big, small]) {
      expect((await inventory.http('POST', `/skus/${sku}/adjustments`, { delta: 10, reason: 'restock' })).status).toBe(202);
    }
    await inventory.waitForEvents(big, 2, 'BackorderAllocated');
    await inventory.waitForEvents(small, 2, 'BackorderAllocated');
    const filled = await metricsWhen(
      (s) => total(s, 'backorder_queue_units') === 0 && total(s, 'promise_kept_ratio') === 1,
      'the queues empty and the promises kept',
    );
    expect(samplesOf(filled, 'backorder_queue_units').map((s) => [s.labels.sku, s.value])).toEqual([['_other', 0]]);
    expect(total(filled, 'backorder_queue_lines')).toBe(0);
    expect(total(filled, 'backorder_oldest_wait_seconds')).toBe(0);
  }, 120_000);
});
