// What the supplier needs from inventory.events: replenishment requests with the SKU's lead time, which dates the
// purchase order it places. The message is checked against the service's own path before the pact records it: the
// published decoder on the raw bytes, then the real Kafka controller and the purchase-order pipeline on a database of their own,
// which must place the purchase order below. Written to pacts/supplier-service-inventory-service.json.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventStoreMigrations, PostgresEventStore } from '@fulfillment/eventstore';
import { openDatabase, TopicNames, type ServiceRuntime } from '@fulfillment/platform';
import { purchaseOrderStreamName } from '@fulfillment/supplier-domain';
import { createTestDatabase, EXAMPLE_TIME, MessageConsumerContract, PACT_EXAMPLE as X, type TestDatabase } from '@fulfillment/testing';
import { pino } from 'pino';
import type { DataSource, MigrationInterface } from 'typeorm';
import { SupplierReadModel1795737600000 } from '../../src/migrations/supplier-read-model.migration.js';
import { SupplierReplenishmentRequests1796169600000 } from '../../src/migrations/supplier-replenishment-requests-1796169600000.js';
import { ConsumeOnce } from '@fulfillment/messaging';
import { replenishmentPurchaseOrderId } from '../../src/purchase-order/derived-ids.js';
import { PurchaseOrderPipeline } from '../../src/purchase-order/purchase-order.pipeline.js';
import { PurchaseOrdersRepository } from '../../src/purchase-order/purchase-orders.repository.js';
import { ReplenishmentRequestedKafkaController } from '../../src/replenish/replenishment-requested.kafka.controller.js';
import { ReplenishmentPipeline } from '../../src/replenishment-request/replenishment.pipeline.js';
import { ReplenishmentRequestsRepository } from '../../src/replenishment-request/replenishment-requests.repository.js';

const inventory = MessageConsumerContract.of('supplier-service', 'inventory-service');
let database: TestDatabase;
let dataSource: DataSource;
let store: PostgresEventStore;
let controller: ReplenishmentRequestedKafkaController;

beforeAll(async () => {
  database = await createTestDatabase('supplier_pact');
  const opened = await openDatabase({
    url: database.url,
    migrations: [...(eventStoreMigrations as (new () => MigrationInterface)[]), SupplierReadModel1795737600000, SupplierReplenishmentRequests1796169600000],
  });
  dataSource = opened.dataSource;
  const pool = opened.pool;
  store = new PostgresEventStore(pool);
  const logger = pino({ level: 'silent' });
  // The part of the runtime the supplier's pipelines use; the rest (Kafka, HTTP) plays no part in consuming.
  const rt = { store, pool, topics: new TopicNames(''), logger } as unknown as ServiceRuntime;
  controller = new ReplenishmentRequestedKafkaController(
    new ConsumeOnce(store, 'supplier'),
    new PurchaseOrderPipeline(store, rt, new PurchaseOrdersRepository()),
    new ReplenishmentPipeline(store, rt, new ReplenishmentRequestsRepository()),
    logger,
  );
}, 60_000);

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
}, 60_000);

describe('supplier-service reads inventory-service replenishment requests', () => {
  it('ReplenishmentRequested: places a purchase order for the quantity, due after the lead time', () =>
    inventory.expect(
      {
        description: "a ReplenishmentRequested event with the SKU's lead time",
        type: 'ReplenishmentRequested',
        subject: X.sku,
        data: (m) => ({
          sku: m.like(X.sku),
          quantity: m.integer(24),
          reason: m.like('backorder'),
          // Optional in the contract, but without it the supplier cannot date a purchase order and places none.
          leadTimeDays: m.integer(7),
        }),
      },
      async (envelope, delivery) => {
        await controller.onInventoryEvents([{ envelope, topic: delivery.topic, partition: 0, offset: '0', key: delivery.key, headers: {} }]);

        const purchaseOrderId = replenishmentPurchaseOrderId(envelope.id);
        const events = await store.readStream(purchaseOrderStreamName(purchaseOrderId));
        expect(events.map(({ type, data }) => ({ type, data }))).toEqual([
          {
            type: 'PurchaseOrderPlaced',
            data: {
              purchaseOrderId,
              sku: X.sku,
              quantity: 24,
              // Requested at EXAMPLE_TIME (2026-11-27T10:00Z), due 7 days later at the start of that UTC day.
              expectedAt: '2026-12-04T00:00:00.000Z',
              reason: 'replenishment',
              placedAt: EXAMPLE_TIME,
            },
          },
        ]);
      },
    ));
});
