// What inventory needs from order.events: the lines of a placed order, to reserve or queue them, and the order id of
// a cancellation, to release them. Each message is checked against the service's own path before the pact records
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
});
