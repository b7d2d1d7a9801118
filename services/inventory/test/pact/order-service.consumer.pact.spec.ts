// What inventory needs from order.events: the lines of a placed order, to reserve or queue them, the order id of
// a cancellation, to release them, the lines of a shipment, to ship them, and the line a line cancel or a
// substitution gives up (with the new line to allocate on the substitute SKU). Each message is checked against the service's own path before the pact records
// it: the published decoder on the raw bytes, then the real OrderEventsHandler on a database of its own, which must
// hand the SKU commands below to the SKU handler. Written to pacts/inventory-service-order-service.json.
import { describe, expect, it } from '@jest/globals';
import { createEnvelope } from '@fulfillment/contracts';
import { ISO_INSTANT, ORDER_MESSAGES as ORDERS, PACT_EXAMPLE as X } from '@fulfillment/testing';
import { InventoryPact } from './support/inventory-consumer.js';

const pact = new InventoryPact('order-service');

const now = expect.any(String);

describe('inventory-service reads order-service orders', () => {
  it('OrderPlaced: every line is allocated on its SKU', () =>
    pact.expectCommands(
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
      'orderEvents',
      [[X.sku, { type: 'AllocateOrderLine', data: { orderId: X.orderId, lineId: X.lineId, customerId: X.customerId, quantity: 3, now } }]],
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
    await pact.inventory.consume(pact.inventory.orderEvents, placed, { topic: 'order.events', key: X.orderId });

    const cancel = (lineId: string) => ({ type: 'CancelOrderLine', data: { orderId: X.orderId, lineId, reason: 'customer-request', now } });
    await pact.expectCommands(ORDERS.orderCancelled, 'orderEvents', [
      [X.sku, cancel(X.lineId)],
      ['SKU-KETTLE-17-STEEL', cancel('line-2')],
    ]);
  });

  it('OrderShipped: every line of the shipment ships on its SKU', async () => {
    // Inventory ships only what it holds for the line: stock arrives, then the order reserves 2.
    const restock = createEnvelope(
      'RestockReceived',
      { purchaseOrderId: null, sku: X.sku, quantity: 5, receivedAt: '2026-11-27T09:00:00.000Z' },
      { source: 'supplier', correlationId: 'earlier-restock' },
    );
    await pact.inventory.consume(pact.inventory.supplierEvents, restock, { topic: 'supplier.events', key: X.sku });
    const placed = createEnvelope(
      'OrderPlaced',
      { orderId: X.orderId, customerId: X.customerId, lines: [{ lineId: X.lineId, sku: X.sku, quantity: 2 }], placedAt: '2026-11-27T09:58:12.431Z' },
      { source: 'order', correlationId: 'earlier-order' },
    );
    await pact.inventory.consume(pact.inventory.orderEvents, placed, { topic: 'order.events', key: X.orderId });

    await pact.expectCommands(ORDERS.orderShipped, 'orderEvents', [
      [X.sku, { type: 'ShipOrderLine', data: { orderId: X.orderId, lineId: X.lineId, quantity: 2, now } }],
    ]);
  });

  it("OrderLineCancelled: the line's quantity is released on its SKU, with the reason line-cancelled", () =>
    pact.expectCommands(ORDERS.orderLineCancelled, 'orderEvents', [
      [X.sku, { type: 'CancelOrderLine', data: { orderId: X.orderId, lineId: X.lineId, quantity: 2, reason: 'line-cancelled', now } }],
    ]));

  it('OrderLineSubstituted: the queued units are released on the old SKU, the new line is allocated on the substitute', () =>
    pact.expectCommands(ORDERS.orderLineSubstituted, 'orderEvents', [
      [X.sku, { type: 'CancelOrderLine', data: { orderId: X.orderId, lineId: X.lineId, quantity: 2, reason: 'substituted', now } }],
      [
        X.substitute,
        { type: 'AllocateOrderLine', data: { orderId: X.orderId, lineId: `${X.orderId}-2`, customerId: X.customerId, quantity: 2, now } },
      ],
    ]));
});
