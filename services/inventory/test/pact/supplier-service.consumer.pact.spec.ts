// What inventory needs from supplier.events: dated purchase orders (they back promised dates), their date changes,
// receipts, with what is still on order, and replenishment the supplier could not plan. Each message is checked against the service's own path before the pact
// records it: the published decoder on the raw bytes, then the real SupplierEventsHandler on a database of its own,
// which must hand the SKU commands below to the SKU handler. Written to pacts/inventory-service-supplier-service.json.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ISO_INSTANT, MessageConsumerContract, PACT_EXAMPLE as X } from '@fulfillment/testing';
import { InventoryConsumer } from './support/inventory-consumer.js';

let supplier: MessageConsumerContract;
let inventory: InventoryConsumer;

beforeAll(async () => {
  supplier = await MessageConsumerContract.create('inventory-service', 'supplier-service');
  inventory = await InventoryConsumer.start();
}, 60_000);

afterAll(() => inventory?.stop(), 60_000);

const now = expect.any(String);
const RECEIVED_AT = '2026-12-04T07:41:09.000Z';

describe('inventory-service reads supplier-service purchase orders, receipts and unplanned replenishment', () => {
  it('PurchaseOrderPlaced: the dated purchase order is registered on its SKU', () =>
    supplier.expect(
      {
        description: 'a PurchaseOrderPlaced event',
        type: 'PurchaseOrderPlaced',
        subject: X.sku,
        data: (m) => ({
          purchaseOrderId: m.like(X.purchaseOrderId),
          sku: m.like(X.sku),
          quantity: m.integer(24),
          // Nullable in the contract, but an undated purchase order backs no promise: inventory dead-letters it.
          expectedAt: m.datetime(ISO_INSTANT, X.expectedAt),
        }),
      },
      async (envelope, delivery) => {
        expect(await inventory.consume(inventory.supplierEvents, envelope, delivery)).toEqual([
          {
            id: X.sku,
            command: {
              type: 'RegisterPurchaseOrder',
              data: { purchaseOrderId: X.purchaseOrderId, quantity: 24, expectedAt: X.expectedAt, now },
            },
            cause: { correlationId: envelope.correlationid, causationId: envelope.id },
          },
        ]);
      },
    ));

  it('PurchaseOrderEtaChanged: the purchase order takes its new date', () =>
    supplier.expect(
      {
        description: 'a PurchaseOrderEtaChanged event',
        type: 'PurchaseOrderEtaChanged',
        subject: X.sku,
        data: (m) => ({
          purchaseOrderId: m.like(X.purchaseOrderId),
          sku: m.like(X.sku),
          previousExpectedAt: m.datetime(ISO_INSTANT, X.expectedAt),
          expectedAt: m.datetime(ISO_INSTANT, X.laterExpectedAt),
        }),
      },
      async (envelope, delivery) => {
        expect(await inventory.consume(inventory.supplierEvents, envelope, delivery)).toEqual([
          {
            id: X.sku,
            command: {
              type: 'ChangePurchaseOrderEta',
              data: { purchaseOrderId: X.purchaseOrderId, expectedAt: X.laterExpectedAt, now },
            },
            cause: { correlationId: envelope.correlationid, causationId: envelope.id },
          },
        ]);
      },
    ));

  it('RestockReceived against a purchase order: stock arrives and the purchase order keeps what is still on order', () =>
    supplier.expect(
      {
        description: 'a RestockReceived event against a purchase order',
        type: 'RestockReceived',
        subject: X.sku,
        data: (m) => ({
          purchaseOrderId: m.like(X.purchaseOrderId),
          sku: m.like(X.sku),
          quantity: m.integer(20),
          receivedAt: m.datetime(ISO_INSTANT, RECEIVED_AT),
          // Optional in the contract; inventory needs it to close a purchase order that arrived short.
          remainingOnOrder: m.integer(4),
        }),
      },
      async (envelope, delivery) => {
        expect(await inventory.consume(inventory.supplierEvents, envelope, delivery)).toEqual([
          {
            id: X.sku,
            command: {
              type: 'ReceiveRestock',
              data: { purchaseOrderId: X.purchaseOrderId, quantity: 20, remainingOnOrder: 4, now },
            },
            cause: { correlationId: envelope.correlationid, causationId: envelope.id },
          },
        ]);
      },
    ));

  it('RestockReceived without a purchase order: the goods only add stock', () =>
    supplier.expect(
      {
        description: 'a RestockReceived event without a purchase order',
        type: 'RestockReceived',
        subject: X.sku,
        data: (m) => ({ purchaseOrderId: null, sku: m.like(X.sku), quantity: m.integer(5), receivedAt: m.datetime(ISO_INSTANT, RECEIVED_AT) }),
      },
      async (envelope, delivery) => {
        const work = await inventory.consume(inventory.supplierEvents, envelope, delivery);
        expect(work).toEqual([
          {
            id: X.sku,
            command: { type: 'ReceiveRestock', data: { purchaseOrderId: null, quantity: 5, now } },
            cause: { correlationId: envelope.correlationid, causationId: envelope.id },
          },
        ]);
      },
    ));

  it('ReplenishmentUnplanned: the requested units stop counting as pending supply', () =>
    supplier.expect(
      {
        description: 'a ReplenishmentUnplanned event',
        type: 'ReplenishmentUnplanned',
        subject: X.sku,
        data: (m) => ({
          requestId: m.like('6f0c2b9e-3d4a-4b8f-a1e7-52c9d0e4f813'),
          sku: m.like(X.sku),
          quantity: m.integer(24),
          reason: m.like('no-lead-time'),
        }),
      },
      async (envelope, delivery) => {
        expect(await inventory.consume(inventory.supplierEvents, envelope, delivery)).toEqual([
          {
            id: X.sku,
            command: { type: 'RecordReplenishmentUnplanned', data: { quantity: 24, now } },
            cause: { correlationId: envelope.correlationid, causationId: envelope.id },
          },
        ]);
      },
    ));
});
