// Events in, events out: the inventory service as a process, fed real envelopes on its consumed topics, read back
// from inventory.events on a real broker, with its state in a real PostgreSQL database.
import { describe, expect, it } from '@jest/globals';
import { fileFixture } from '@fulfillment/testing';
import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fulfillment/contracts';
import { envelope, inDays, InventoryUnderTest, uniqueSku } from './support/inventory-under-test.js';

const inventory = fileFixture(() => InventoryUnderTest.start(), (service) => service.stop());

const placeOrder = (orderId: string, lines: { lineId: string; sku: string; quantity: number }[], customerId = 'cust-1') =>
  envelope('OrderPlaced', { orderId, customerId, lines, placedAt: new Date().toISOString() });

const purchaseOrder = (sku: string, quantity: number, expectedAt: string, purchaseOrderId = `po-${randomUUID()}`) =>
  envelope('PurchaseOrderPlaced', { purchaseOrderId, sku, quantity, expectedAt }, { source: 'supplier' });


describe('inventory answers order lines', () => {
  it('reserves what stock covers and backorders the rest with the purchase order date', async () => {
    const sku = uniqueSku('partial');
    const expectedAt = inDays(10);
    expect((await inventory.http('PUT', `/skus/${sku}`, { backorderable: true })).status).toBe(200);
    expect((await inventory.http('POST', `/skus/${sku}/adjustments`, { delta: 3, reason: 'count' })).status).toBe(202);
    await inventory.send(TOPICS.supplierEvents, purchaseOrder(sku, 10, expectedAt));
    await inventory.waitForIncoming(sku, 1);

    const orderId = randomUUID();
    const placed = placeOrder(orderId, [{ lineId: 'line-1', sku, quantity: 5 }], 'cust-42');
    await inventory.send(TOPICS.orderEvents, placed);

    const [reserved, queued] = await inventory.waitForEvents(sku, 2, 'StockReserved', 'BackorderQueued');
    const line = { sku, orderId, lineId: 'line-1', customerId: 'cust-42' };
    expect(reserved).toMatchObject({ type: 'StockReserved', data: { ...line, quantity: 3 } });
    expect(queued).toMatchObject({ type: 'BackorderQueued', data: { ...line, quantity: 2, position: 1, expectedAt } });
    // Both answer the order: the order's flow and message, and the key is the SKU.
    for (const event of [reserved!, queued!]) {
      expect(event).toMatchObject({ source: 'inventory', subject: sku, correlationid: placed.correlationid, causationid: placed.id });
    }
    const { body } = await inventory.http('GET', `/skus/${sku}`);
    expect(body).toMatchObject({
      sku,
      onHand: 3,
      reserved: 3,
      available: 0,
      backordered: 2,
      queue: [{ orderId, lineId: 'line-1', customerId: 'cust-42', quantity: 2, expectedAt }],
      incoming: [{ quantity: 10, expectedAt }],
    });
  }, 90_000);

  it('answers every line of an order with several SKUs, each on its own SKU', async () => {
    const inStock = uniqueSku('stocked');
    const onOrder = uniqueSku('on-order');
    const unknown = uniqueSku('unknown');
    await inventory.http('POST', `/skus/${inStock}/adjustments`, { delta: 5, reason: 'count' });
    await inventory.http('PUT', `/skus/${onOrder}`, {});
    await inventory.send(TOPICS.supplierEvents, purchaseOrder(onOrder, 4, inDays(3)));
    await inventory.waitForIncoming(onOrder, 1);

    const orderId = randomUUID();
    await inventory.send(
      TOPICS.orderEvents,
      placeOrder(orderId, [
        { lineId: 'l-1', sku: inStock, quantity: 2 },
        { lineId: 'l-2', sku: onOrder, quantity: 1 },
        { lineId: 'l-3', sku: unknown, quantity: 4 },
      ]),
    );

    const [reserved] = await inventory.waitForEvents(inStock, 1, 'StockReserved');
    const [queued] = await inventory.waitForEvents(onOrder, 1, 'BackorderQueued');
    const [unavailable] = await inventory.waitForEvents(unknown, 1, 'StockUnavailable');
    expect(reserved!.data).toMatchObject({ orderId, lineId: 'l-1', quantity: 2 });
    expect(queued!.data).toMatchObject({ orderId, lineId: 'l-2', quantity: 1, position: 1 });
    expect(unavailable!.data).toEqual({ sku: unknown, orderId, lineId: 'l-3', customerId: 'cust-1', quantity: 4, substitutes: [] });
  }, 90_000);
});

describe('new stock serves the backorder queue first', () => {
  it('fills two queued lines in FIFO order, the second one partially', async () => {
    const sku = uniqueSku('fifo');
    const purchaseOrderId = `po-${randomUUID()}`;
    await inventory.http('PUT', `/skus/${sku}`, {});
    await inventory.send(TOPICS.supplierEvents, purchaseOrder(sku, 10, inDays(5), purchaseOrderId));
    await inventory.waitForIncoming(sku, 1);
    const first = randomUUID();
    const second = randomUUID();
    await inventory.send(TOPICS.orderEvents, placeOrder(first, [{ lineId: 'a', sku, quantity: 3 }]));
    await inventory.waitForEvents(sku, 1, 'BackorderQueued');
    await inventory.send(TOPICS.orderEvents, placeOrder(second, [{ lineId: 'b', sku, quantity: 4 }]));
    const queued = await inventory.waitForEvents(sku, 2, 'BackorderQueued');
    expect(queued.map((event) => [event.data.orderId, event.data.position])).toEqual([
      [first, 1],
      [second, 2],
    ]);

    const receipt = envelope(
      'RestockReceived',
      { purchaseOrderId, sku, quantity: 5, receivedAt: new Date().toISOString(), remainingOnOrder: 5 },
      { source: 'supplier' },
    );
    await inventory.send(TOPICS.supplierEvents, receipt);

    const allocated = await inventory.waitForEvents(sku, 2, 'BackorderAllocated');
    expect(allocated.map((event) => event.data)).toEqual([
      { sku, orderId: first, lineId: 'a', customerId: 'cust-1', quantity: 3, remaining: 0 },
      { sku, orderId: second, lineId: 'b', customerId: 'cust-1', quantity: 2, remaining: 2 },
    ]);
    expect(allocated[0]).toMatchObject({ causationid: receipt.id, correlationid: receipt.correlationid });
    const { body } = await inventory.http('GET', `/skus/${sku}`);
    expect(body).toMatchObject({ onHand: 5, reserved: 5, available: 0, backordered: 2, incoming: [{ purchaseOrderId, quantity: 5 }] });
    expect(body!.queue).toEqual([expect.objectContaining({ orderId: second, quantity: 2 })]);
  }, 90_000);

  it('gives the stock a cancelled order held to the head of the queue', async () => {
    const sku = uniqueSku('cancel');
    await inventory.http('POST', `/skus/${sku}/adjustments`, { delta: 2, reason: 'count' });
    await inventory.send(TOPICS.supplierEvents, purchaseOrder(sku, 5, inDays(7)));
    await inventory.waitForIncoming(sku, 1);
    const holder = randomUUID();
    const waiting = randomUUID();
    await inventory.send(TOPICS.orderEvents, placeOrder(holder, [{ lineId: 'h', sku, quantity: 2 }], 'cust-holder'));
    await inventory.waitForEvents(sku, 1, 'StockReserved');
    await inventory.send(TOPICS.orderEvents, placeOrder(waiting, [{ lineId: 'w', sku, quantity: 1 }], 'cust-waiting'));
    await inventory.waitForEvents(sku, 1, 'BackorderQueued');

    const cancelled = envelope('OrderCancelled', { orderId: holder, customerId: 'cust-holder', reason: 'customer-request' });
    await inventory.send(TOPICS.orderEvents, cancelled);

    const [released] = await inventory.waitForEvents(sku, 1, 'StockReleased');
    const [allocated] = await inventory.waitForEvents(sku, 1, 'BackorderAllocated');
    expect(released).toMatchObject({
      causationid: cancelled.id,
      data: { sku, orderId: holder, lineId: 'h', customerId: 'cust-holder', quantity: 2, reason: 'customer-request' },
    });
    expect(allocated!.data).toEqual({ sku, orderId: waiting, lineId: 'w', customerId: 'cust-waiting', quantity: 1, remaining: 0 });
    const order = inventory.eventsOf(sku).map((event) => event.type);
    expect(order.indexOf('StockReleased')).toBeLessThan(order.indexOf('BackorderAllocated'));
    const { body } = await inventory.http('GET', `/skus/${sku}`);
    expect(body).toMatchObject({ onHand: 2, reserved: 1, available: 1, backordered: 0, queue: [] });
  }, 90_000);

  it('allocates nothing twice when a RestockReceived is delivered again', async () => {
    const sku = uniqueSku('redelivery');
    const purchaseOrderId = `po-${randomUUID()}`;
    await inventory.send(TOPICS.supplierEvents, purchaseOrder(sku, 10, inDays(4), purchaseOrderId));
    await inventory.waitForIncoming(sku, 1);
    await inventory.send(TOPICS.orderEvents, placeOrder(randomUUID(), [{ lineId: 'x', sku, quantity: 3 }]));
    await inventory.waitForEvents(sku, 1, 'BackorderQueued');

    const receipt = envelope(
      'RestockReceived',
      { purchaseOrderId, sku, quantity: 1, receivedAt: new Date().toISOString(), remainingOnOrder: 9 },
      { source: 'supplier' },
    );
    await inventory.send(TOPICS.supplierEvents, receipt);
    await inventory.waitForEvents(sku, 1, 'BackorderAllocated');
    // The same envelope again, then a date change on the same key: once the date change is published, the
    // redelivery before it in the partition has been handled too.
    await inventory.send(TOPICS.supplierEvents, receipt);
    const later = inDays(9);
    await inventory.send(
      TOPICS.supplierEvents,
      envelope('PurchaseOrderEtaChanged', { purchaseOrderId, sku, previousExpectedAt: inDays(4), expectedAt: later }, { source: 'supplier' }),
    );
    const [moved] = await inventory.waitForEvents(sku, 1, 'BackorderEtaChanged');
    expect(moved!.data).toMatchObject({ expectedAt: later });

    expect(inventory.eventsOf(sku, 'BackorderAllocated').map((event) => event.data)).toEqual([
      expect.objectContaining({ quantity: 1, remaining: 2 }),
    ]);
    const { body } = await inventory.http('GET', `/skus/${sku}`);
    expect(body).toMatchObject({ onHand: 1, reserved: 1, backordered: 2, incoming: [{ purchaseOrderId, quantity: 9 }] });
  }, 90_000);
});
