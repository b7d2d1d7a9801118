// The purchase-order pipelines and the supplier.commands consumer on a real, migrated PostgreSQL database: what one
// transaction of several commands writes. (Version-conflict retries are the shared pipeline's, tested in libs/eventstore.)
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { createEnvelope, TOPICS, type AnyEnvelope } from '@fulfillment/contracts';
import { eventStoreMigrations, PostgresEventStore } from '@fulfillment/eventstore';
import { ConsumeOnce } from '@fulfillment/messaging';
import { openDatabase, TopicNames, type ServiceRuntime } from '@fulfillment/platform';
import type { PurchaseOrderCommand } from '@fulfillment/supplier-domain';
import { createTestDatabase, type TestDatabase } from '@fulfillment/testing';
import type pg from 'pg';
import type { DataSource, MigrationInterface } from 'typeorm';
import { SupplierReadModel1795737600000 } from '../src/migrations/supplier-read-model.migration.js';
import { PurchaseOrderPipeline, UnplannedReceiptsPipeline } from '../src/purchase-order/purchase-order.pipeline.js';
import { PurchaseOrdersRepository } from '../src/purchase-order/purchase-orders.repository.js';
import { ReceiveRestockKafkaController } from '../src/receive-restock/receive-restock.kafka.controller.js';

let database: TestDatabase;
let dataSource: DataSource;
let pool: pg.Pool;
let store: PostgresEventStore;
let purchaseOrders: PurchaseOrderPipeline;
let consumer: ReceiveRestockKafkaController;
const repository = new PurchaseOrdersRepository();

beforeAll(async () => {
  database = await createTestDatabase('test_supplier_pipeline');
  ({ dataSource, pool } = await openDatabase({
    url: database.url,
    migrations: [...(eventStoreMigrations as (new () => MigrationInterface)[]), SupplierReadModel1795737600000],
  }));
  store = new PostgresEventStore(pool);
  const rt = { topics: new TopicNames('test.') } as ServiceRuntime;
  purchaseOrders = new PurchaseOrderPipeline(store, rt, repository);
  consumer = new ReceiveRestockKafkaController(new ConsumeOnce(store, 'supplier'), purchaseOrders, new UnplannedReceiptsPipeline(store, rt));
}, 60_000);

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

const NOW = new Date().toISOString();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
const cause = { correlationId: 'flow', causationId: null };

const place = (purchaseOrderId: string, sku: string, quantity: number): PurchaseOrderCommand => ({
  type: 'PlacePurchaseOrder',
  data: { purchaseOrderId, sku, quantity, expectedAt: inDays(7), reason: 'manual', now: NOW },
});
const receive = (quantity: number): PurchaseOrderCommand => ({ type: 'ReceivePurchaseOrder', data: { quantity, now: NOW } });
const receiveRestock = (data: { purchaseOrderId?: string; sku: string; quantity: number }): AnyEnvelope =>
  createEnvelope('ReceiveRestock', data, { source: 'warehouse', correlationId: 'flow-wms' }) as AnyEnvelope;
const consume = (...envelopes: AnyEnvelope[]) =>
  consumer.onSupplierCommands(envelopes.map((envelope, i) => ({ envelope, topic: TOPICS.supplierCommands, partition: 0, offset: String(i), key: null, headers: {} })));

async function outboxFrom(position: bigint): Promise<{ key: string; type: string; purchaseOrderId: string | null }[]> {
  const { rows } = await pool.query<{ key: string; value: string }>('SELECT key, value FROM es_outbox WHERE position > $1 ORDER BY position', [
    String(position),
  ]);
  return rows.map(({ key, value }) => {
    const env = JSON.parse(value) as { type: string; data: { purchaseOrderId: string | null } };
    return { key, type: env.type, purchaseOrderId: env.data.purchaseOrderId };
  });
}

const lastOutboxPosition = async (): Promise<bigint> =>
  BigInt((await pool.query<{ p: string }>('SELECT coalesce(max(position), 0) AS p FROM es_outbox')).rows[0]!.p);

describe('the supplier.commands consumer', () => {
  it('publishes receipts in the order of the commands, across purchase orders and unplanned receipts', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const sku = `SKU-${randomUUID().slice(0, 8)}`;
    await purchaseOrders.run([
      { id: a, command: place(a, sku, 10), cause },
      { id: b, command: place(b, sku, 5), cause },
    ]);
    const since = await lastOutboxPosition();
    await consume(
      receiveRestock({ purchaseOrderId: a, sku, quantity: 4 }),
      receiveRestock({ sku, quantity: 2 }),
      receiveRestock({ purchaseOrderId: b, sku, quantity: 5 }),
    );
    expect(await outboxFrom(since)).toEqual([
      { key: sku, type: 'RestockReceived', purchaseOrderId: a },
      { key: sku, type: 'RestockReceived', purchaseOrderId: null },
      { key: sku, type: 'RestockReceived', purchaseOrderId: b },
    ]);
    expect((await store.readStream(`sku-receipts-${sku}`)).map((e) => e.type)).toEqual(['UnplannedRestockReceived']);
    const listed = await repository.list(pool, { sku, limit: 10 });
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ purchaseOrderId: a, received: 4, status: 'open' }),
        expect.objectContaining({ purchaseOrderId: b, received: 5, status: 'received' }),
      ]),
    );
  });

  it("refuses a receipt against another SKU's purchase order, naming both", async () => {
    const id = randomUUID();
    await purchaseOrders.run([{ id, command: place(id, 'SKU-OWN', 5), cause }]);
    await expect(consume(receiveRestock({ purchaseOrderId: id, sku: 'SKU-OTHER', quantity: 1 }))).rejects.toThrow(
      `sku-mismatch: purchase order ${id} is for sku SKU-OWN, not SKU-OTHER`,
    );
    expect(await store.readStream(`purchase-order-${id}`)).toHaveLength(1);
  });
});

describe('the purchase-order pipeline', () => {
  it('decides each command on the state left by the commands before it, and writes nothing when one is refused', async () => {
    const id = randomUUID();
    const attempt = purchaseOrders.run([
      { id, command: place(id, 'SKU-SEQ', 5), cause },
      { id, command: receive(3), cause },
      { id, command: receive(3), cause },
    ]);
    await expect(attempt).rejects.toThrow('ordered 5, received 3, attempted 3');
    expect(await store.readStream(`purchase-order-${id}`)).toEqual([]);
    expect(await repository.list(pool, { sku: 'SKU-SEQ', limit: 10 })).toEqual([]);
  });

  it('fails rather than silently skip a purchase order whose listing row is missing', async () => {
    const id = randomUUID();
    await purchaseOrders.run([{ id, command: place(id, 'SKU-LOST', 5), cause }]);
    await pool.query('DELETE FROM supplier_purchase_orders WHERE purchase_order_id = $1', [id]);
    await expect(purchaseOrders.run([{ id, command: receive(1), cause }])).rejects.toThrow(`read model has no row for purchase order ${id}`);
    expect(await store.readStream(`purchase-order-${id}`)).toHaveLength(1);
  });
});
