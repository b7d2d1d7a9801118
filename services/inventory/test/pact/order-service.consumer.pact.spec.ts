// What inventory needs from order.events: the lines of a placed order, to reserve or queue them, the order id of
// a cancellation, to release them, the lines of a shipment, to ship them, and the line a line cancel or a
// substitution gives up (with the new line to allocate on the substitute SKU). Each message is checked against the service's own path before the pact records
// it: the published decoder on the raw bytes, then the real OrderEventsHandler on a database of its own, which must
// hand the SKU commands below to the SKU handler. Written to pacts/inventory-service-order-service.json.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEnvelope } from '@fulfillment/contracts';
import { ISO_INSTANT, MessageConsumerContract, PACT_EXAMPLE as X } from '@fulfillment/testing';
import { InventoryConsumer } from './support/inventory-consumer.js';

let orders: MessageConsumerContract;
let inventory: InventoryConsumer;

beforeAll(async () => {
  orders = await MessageConsumerContract.create('inventory-service', 'order-service');
  inventory = await InventoryConsumer.start();
}, 60_000);

afterAll(() => inventory?.stop(), 60_000);

const now = expect.any(String);

describe('inventory-service reads order-service orders', () => {
  it('OrderPlaced: every line is allocated on its SKU', () =>
    orders.expect(
      {
        description: 'an OrderPlaced event',
        type: 'OrderPlaced',
        subject: X.orderId,
        data: (m) => ({
          orderId: m.like(X.orderId),
          customerId: m.like(X.customerId),
          lines: m.eachLike({ lineId: m.like(X.lineId), sku: m.like(X.sku), quantity: m.integer(3) }),
          placedAt: m.datetime(ISO_INSTANT, '2026-11-27T09:58:12.431Z'),
        }),
      },
      async (envelope, delivery) => {
        expect(await inventory.consume(inventory.orderEvents, envelope, delivery)).toEqual([
          {
            id: X.sku,
            command: {
              type: 'AllocateOrderLine',
              data: { orderId: X.orderId, lineId: X.lineId, customerId: X.customerId, quantity: 3, now },
            },
            cause: { correlationId: envelope.correlationid, causationId: envelope.id },
          },
        ]);
      },
    ));

  it('OrderCancelled: every line inventory holds for the order is cancelled on its SKU, with the reason', async () => {
    // The order inventory learnt earlier: cancelling needs to know where its lines went.
    const placed = createEnvelope(
      'OrderPlaced',
      {
        orderId: X.orderId,
        customerId: X.customerId,
        lines: [
          { lineId: X.lineId, sku: X.sku, quantity: 1 },
          { lineId: 'line-2', sku: 'SKU-KETTLE-17-STEEL', quantity: 1 },
        ],
        placedAt: '2026-11-27T09:58:12.431Z',
      },
      { source: 'order', correlationId: 'earlier-order' },
    );
    await inventory.consume(inventory.orderEvents, placed, { topic: 'order.events', key: X.orderId });

    await orders.expect(
      {
        description: 'an OrderCancelled event',
        type: 'OrderCancelled',
        subject: X.orderId,
        data: (m) => ({ orderId: m.like(X.orderId), customerId: m.like(X.customerId), reason: m.like('customer-request') }),
      },
      async (envelope, delivery) => {
        const cause = { correlationId: envelope.correlationid, causationId: envelope.id };
        const cancel = (lineId: string) => ({
          type: 'CancelOrderLine',
          data: { orderId: X.orderId, lineId, reason: 'customer-request', now },
        });
        expect(await inventory.consume(inventory.orderEvents, envelope, delivery)).toEqual([
          { id: X.sku, command: cancel(X.lineId), cause },
          { id: 'SKU-KETTLE-17-STEEL', command: cancel('line-2'), cause },
        ]);
      },
    );
  });

  it('OrderShipped: every line of the shipment ships on its SKU', async () => {
    // Inventory ships only what it holds for the line: stock arrives, then the order reserves 2.
    const restock = createEnvelope(
      'RestockReceived',
      { purchaseOrderId: null, sku: X.sku, quantity: 5, receivedAt: '2026-11-27T09:00:00.000Z' },
      { source: 'supplier', correlationId: 'earlier-restock' },
    );
    await inventory.consume(inventory.supplierEvents, restock, { topic: 'supplier.events', key: X.sku });
    const placed = createEnvelope(
      'OrderPlaced',
      { orderId: X.orderId, customerId: X.customerId, lines: [{ lineId: X.lineId, sku: X.sku, quantity: 2 }], placedAt: '2026-11-27T09:58:12.431Z' },
      { source: 'order', correlationId: 'earlier-order' },
    );
    await inventory.consume(inventory.orderEvents, placed, { topic: 'order.events', key: X.orderId });

    await orders.expect(
      {
        description: 'an OrderShipped event',
        type: 'OrderShipped',
        subject: X.orderId,
        data: (m) => ({
          orderId: m.like(X.orderId),
          customerId: m.like(X.customerId),
          shipmentId: m.like('shp-2026-004417'),
          lines: m.eachLike({ lineId: m.like(X.lineId), sku: m.like(X.sku), quantity: m.integer(2) }),
          carrier: m.like('DHL'),
          trackingId: m.like('JD014600006281234567'),
        }),
      },
      async (envelope, delivery) => {
        expect(await inventory.consume(inventory.orderEvents, envelope, delivery)).toEqual([
          {
            id: X.sku,
            command: { type: 'ShipOrderLine', data: { orderId: X.orderId, lineId: X.lineId, quantity: 2, now } },
            cause: { correlationId: envelope.correlationid, causationId: envelope.id },
          },
        ]);
      },
    );
  });

  it("OrderLineCancelled: the line's quantity is released on its SKU, with the reason line-cancelled", async () => {
    await orders.expect(
      {
        description: 'an OrderLineCancelled event',
        type: 'OrderLineCancelled',
        subject: X.orderId,
        data: (m) => ({
          orderId: m.like(X.orderId),
          customerId: m.like(X.customerId),
          lineId: m.like(X.lineId),
          sku: m.like(X.sku),
          quantity: m.integer(2),
          reason: m.like('customer-request'),
        }),
      },
      async (envelope, delivery) => {
        expect(await inventory.consume(inventory.orderEvents, envelope, delivery)).toEqual([
          {
            id: X.sku,
            command: { type: 'CancelOrderLine', data: { orderId: X.orderId, lineId: X.lineId, quantity: 2, reason: 'line-cancelled', now } },
            cause: { correlationId: envelope.correlationid, causationId: envelope.id },
          },
        ]);
      },
    );
  });

  it('OrderLineSubstituted: the queued units are released on the old SKU, the new line is allocated on the substitute', async () => {
    await orders.expect(
      {
        description: 'an OrderLineSubstituted event',
        type: 'OrderLineSubstituted',
        subject: X.orderId,
        data: (m) => ({
          orderId: m.like(X.orderId),
          customerId: m.like(X.customerId),
          lineId: m.like(X.lineId),
          newLineId: m.like(`${X.orderId}-2`),
          sku: m.like(X.sku),
          substituteSku: m.like(X.substitute),
          quantity: m.integer(2),
          waiting: m.integer(2),
        }),
      },
      async (envelope, delivery) => {
        const cause = { correlationId: envelope.correlationid, causationId: envelope.id };
        expect(await inventory.consume(inventory.orderEvents, envelope, delivery)).toEqual([
          {
            id: X.sku,
            command: { type: 'CancelOrderLine', data: { orderId: X.orderId, lineId: X.lineId, quantity: 2, reason: 'substituted', now } },
            cause,
          },
          {
            id: X.substitute,
            command: {
              type: 'AllocateOrderLine',
              data: { orderId: X.orderId, lineId: `${X.orderId}-2`, customerId: X.customerId, quantity: 2, now },
            },
            cause,
          },
        ]);
      },
    );
  });
});
