// SPEC 9 on the inventory service running as a process: shipments lower on hand and reserved (StockShipped), a line
// cancel releases its quantity queue first and the freed stock serves the queue head, a substitution releases the
// queued units and answers the new line on the substitute SKU (remembered for a later OrderCancelled).
import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fulfillment/contracts';
import { eventually, fileFixture } from '@fulfillment/testing';
import { envelope, inDays, InventoryUnderTest, uniqueSku } from './support/inventory-under-test.js';

const inventory = fileFixture(() => InventoryUnderTest.start(), (service) => service.stop());

const placeOrder = (orderId: string, lines: { lineId: string; sku: string; quantity: number }[], customerId = 'cust-1') =>
  envelope('OrderPlaced', { orderId, customerId, lines, placedAt: new Date().toISOString() }, { source: 'order' });

async function stocked(label: string, onHand: number, configuration: Record<string, unknown> = {}): Promise<string> {
  const sku = uniqueSku(label);
  expect((await inventory.http('PUT', `/skus/${sku}`, { backorderable: true, ...configuration })).status).toBe(200);
  if (onHand > 0) expect((await inventory.http('POST', `/skus/${sku}/adjustments`, { delta: onHand, reason: 'count' })).status).toBe(202);
  return sku;
}

const skuView = async (sku: string) => (await inventory.http('GET', `/skus/${sku}`)).body!;

/** Inventory reads order.events in order per order: once a later message of the order is answered, earlier ones were. */
async function waitForSku(sku: string, accept: (view: Record<string, unknown>) => boolean, what: string) {
  let last: unknown;
  return eventually(
    async () => {
      last = await skuView(sku);
      return accept(last as Record<string, unknown>) ? last : undefined;
    },
    { timeoutMs: 45_000, what: `${sku}: ${what} (last ${JSON.stringify(last)})` },
  );
}

describe('a shipment', () => {
  it('ships held units: StockShipped, on hand and reserved both fall, and a redelivery ships nothing more', async () => {
    const sku = await stocked('ship', 5);
    const orderId = randomUUID();
    await inventory.send(TOPICS.orderEvents, placeOrder(orderId, [{ lineId: `${orderId}-1`, sku, quantity: 3 }], 'cust-ship'));
    await inventory.waitForEvents(sku, 1, 'StockReserved');

    const shipped = envelope(
      'OrderShipped',
      { orderId, customerId: 'cust-ship', shipmentId: 'shp-1', lines: [{ lineId: `${orderId}-1`, sku, quantity: 2 }], carrier: 'DHL', trackingId: null },
      { source: 'order' },
    );
    await inventory.send(TOPICS.orderEvents, shipped, shipped);
    const [stockShipped] = await inventory.waitForEvents(sku, 1, 'StockShipped');
    expect(stockShipped).toMatchObject({
      subject: sku,
      correlationid: shipped.correlationid,
      causationid: shipped.id,
      data: { sku, orderId, lineId: `${orderId}-1`, customerId: 'cust-ship', quantity: 2 },
    });
    expect(await skuView(sku)).toMatchObject({ onHand: 3, reserved: 1, available: 2 });

    // The rest of the line ships in a second shipment; then the SKU holds nothing for the order.
    const rest = envelope(
      'OrderShipped',
      { orderId, customerId: 'cust-ship', shipmentId: 'shp-2', lines: [{ lineId: `${orderId}-1`, sku, quantity: 1 }], carrier: null, trackingId: null },
      { source: 'order' },
    );
    await inventory.send(TOPICS.orderEvents, rest);
    await inventory.waitForEvents(sku, 2, 'StockShipped');
    expect(await skuView(sku)).toMatchObject({ onHand: 2, reserved: 0, available: 2, backordered: 0, queue: [] });
    expect(inventory.eventsOf(sku, 'StockShipped')).toHaveLength(2);
  }, 90_000);

  it('ships every line of a shipment on its own SKU', async () => {
    const [mugs, kettles] = [await stocked('ship-mug', 2), await stocked('ship-kettle', 1)];
    const orderId = randomUUID();
    await inventory.send(
      TOPICS.orderEvents,
      placeOrder(orderId, [
        { lineId: `${orderId}-1`, sku: mugs, quantity: 2 },
        { lineId: `${orderId}-2`, sku: kettles, quantity: 1 },
      ]),
      envelope(
        'OrderShipped',
        {
          orderId,
          customerId: 'cust-1',
          shipmentId: 'shp-all',
          lines: [
            { lineId: `${orderId}-1`, sku: mugs, quantity: 2 },
            { lineId: `${orderId}-2`, sku: kettles, quantity: 1 },
          ],
          carrier: 'UPS',
          trackingId: '1Z999',
        },
        { source: 'order' },
      ),
    );
    await inventory.waitForEvents(mugs, 1, 'StockShipped');
    await inventory.waitForEvents(kettles, 1, 'StockShipped');
    expect(await skuView(mugs)).toMatchObject({ onHand: 0, reserved: 0 });
    expect(await skuView(kettles)).toMatchObject({ onHand: 0, reserved: 0 });
  }, 90_000);

  it('of units inventory does not hold is dead-lettered with the reason, and changes nothing', async () => {
    const sku = await stocked('ship-refused', 1);
    const orderId = randomUUID();
    await inventory.send(TOPICS.orderEvents, placeOrder(orderId, [{ lineId: `${orderId}-1`, sku, quantity: 1 }]));
    await inventory.waitForEvents(sku, 1, 'StockReserved');
    const tooMany = envelope(
      'OrderShipped',
      { orderId, customerId: 'cust-1', shipmentId: 'shp-x', lines: [{ lineId: `${orderId}-1`, sku, quantity: 2 }], carrier: null, trackingId: null },
      { source: 'order' },
    );
    await inventory.send(TOPICS.orderEvents, tooMany);
    const letter = await inventory.waitForDeadLetter(TOPICS.orderEvents, (l) => l.value.includes(tooMany.id));
    expect(letter.reason).toMatch(/not-held: cannot ship 2 units/);
    expect(await skuView(sku)).toMatchObject({ onHand: 1, reserved: 1 });
    expect(inventory.eventsOf(sku, 'StockShipped')).toEqual([]);
  }, 90_000);
});

describe('a line cancel', () => {
  it('releases its quantity from the queue first, then held units, and the freed stock goes to the queue head', async () => {
    const sku = await stocked('line-cancel', 2);
    const expectedAt = inDays(10);
    await inventory.send(
      TOPICS.supplierEvents,
      envelope('PurchaseOrderPlaced', { purchaseOrderId: `po-${randomUUID()}`, sku, quantity: 10, expectedAt }, { source: 'supplier' }),
    );
    await inventory.waitForIncoming(sku, 1);
    const [first, second] = [randomUUID(), randomUUID()];
    // The first order reserves the 2 on hand and queues 2; the second queues 1 behind it. Two orders are two keys, so
    // two partitions of order.events: the second is sent once the first is answered, or it could be read first.
    await inventory.send(TOPICS.orderEvents, placeOrder(first, [{ lineId: `${first}-1`, sku, quantity: 4 }], 'cust-first'));
    await inventory.waitForEvents(sku, 1, 'BackorderQueued');
    await inventory.send(TOPICS.orderEvents, placeOrder(second, [{ lineId: `${second}-1`, sku, quantity: 1 }], 'cust-second'));
    await inventory.waitForEvents(sku, 2, 'BackorderQueued');

    const cancelled = envelope(
      'OrderLineCancelled',
      { orderId: first, customerId: 'cust-first', lineId: `${first}-1`, sku, quantity: 3, reason: 'ordered too many' },
      { source: 'order' },
    );
    await inventory.send(TOPICS.orderEvents, cancelled);
    const [queueRelease] = await inventory.waitForEvents(sku, 1, 'BackorderReleased');
    const [heldRelease] = await inventory.waitForEvents(sku, 1, 'StockReleased');
    expect(queueRelease!.data).toEqual({ sku, orderId: first, lineId: `${first}-1`, customerId: 'cust-first', quantity: 2, reason: 'line-cancelled' });
    expect(heldRelease!.data).toEqual({ sku, orderId: first, lineId: `${first}-1`, customerId: 'cust-first', quantity: 1, reason: 'line-cancelled' });
    // Rule 3: the unit the first customer gave back goes to the head of the queue, the second customer.
    const [allocated] = await inventory.waitForEvents(sku, 1, 'BackorderAllocated');
    expect(allocated!.data).toMatchObject({ orderId: second, quantity: 1, remaining: 0 });
    const types = inventory.eventsOf(sku).map((event) => event.type);
    expect(types.slice(types.indexOf('BackorderReleased'))).toEqual(['BackorderReleased', 'StockReleased', 'BackorderAllocated']);
    expect(await skuView(sku)).toMatchObject({ onHand: 2, reserved: 2, available: 0, backordered: 0, queue: [] });
  }, 90_000);

  it('of more than inventory holds releases what it holds (the rest was unavailable), and for a line it never had, nothing', async () => {
    const sku = await stocked('line-cancel-short', 1, { backorderable: false });
    const orderId = randomUUID();
    await inventory.send(TOPICS.orderEvents, placeOrder(orderId, [{ lineId: `${orderId}-1`, sku, quantity: 3 }]));
    await inventory.waitForEvents(sku, 1, 'StockUnavailable');
    await inventory.send(
      TOPICS.orderEvents,
      envelope('OrderLineCancelled', { orderId, customerId: 'cust-1', lineId: `${orderId}-1`, sku, quantity: 3, reason: 'r' }, { source: 'order' }),
      envelope('OrderLineCancelled', { orderId, customerId: 'cust-1', lineId: `${orderId}-7`, sku, quantity: 1, reason: 'r' }, { source: 'order' }),
    );
    const [released] = await inventory.waitForEvents(sku, 1, 'StockReleased');
    expect(released!.data).toMatchObject({ lineId: `${orderId}-1`, quantity: 1 });
    // A SKU event published after both cancels were read: nothing came of the unknown line.
    await inventory.http('POST', `/skus/${sku}/adjustments`, { delta: 1, reason: 'count' });
    await inventory.waitForEvents(sku, 1, 'BackInStock');
    expect(inventory.eventsOf(sku, 'StockReleased', 'BackorderReleased')).toHaveLength(1);
    expect(inventory.deadLetters.filter((letter) => letter.value.includes(orderId))).toEqual([]);
  }, 90_000);
});

describe('a substitution', () => {
  it('releases the queued units of the old line and answers the new line on the substitute SKU; a later OrderCancelled reaches it', async () => {
    const substitute = await stocked('substitute', 5);
    const original = await stocked('original', 0, { leadTimeDays: 20, substitutes: [substitute] });
    const orderId = randomUUID();
    await inventory.send(TOPICS.orderEvents, placeOrder(orderId, [{ lineId: `${orderId}-1`, sku: original, quantity: 2 }], 'cust-sub'));
    const [queued] = await inventory.waitForEvents(original, 1, 'BackorderQueued');
    expect(queued!.data).toMatchObject({ quantity: 2, preorder: false, substitutes: [substitute] });

    const substituted = envelope(
      'OrderLineSubstituted',
      { orderId, customerId: 'cust-sub', lineId: `${orderId}-1`, newLineId: `${orderId}-2`, sku: original, substituteSku: substitute, quantity: 2, waiting: 2 },
      { source: 'order' },
    );
    await inventory.send(TOPICS.orderEvents, substituted);
    const [released] = await inventory.waitForEvents(original, 1, 'BackorderReleased');
    expect(released).toMatchObject({ causationid: substituted.id, data: { orderId, lineId: `${orderId}-1`, quantity: 2, reason: 'substituted' } });
    const [reserved] = await inventory.waitForEvents(substitute, 1, 'StockReserved');
    expect(reserved).toMatchObject({ causationid: substituted.id, data: { sku: substitute, orderId, lineId: `${orderId}-2`, customerId: 'cust-sub', quantity: 2 } });
    expect(await skuView(original)).toMatchObject({ backordered: 0, queue: [] });

    await inventory.send(TOPICS.orderEvents, envelope('OrderCancelled', { orderId, customerId: 'cust-sub', reason: 'changed my mind' }, { source: 'order' }));
    const [back] = await inventory.waitForEvents(substitute, 1, 'StockReleased');
    expect(back!.data).toMatchObject({ lineId: `${orderId}-2`, quantity: 2, reason: 'changed my mind' });
    await waitForSku(substitute, (view) => view.reserved === 0 && view.available === 5, 'the substitute line released');
  }, 90_000);

  it('of unavailable units only (waiting 0) releases nothing on the old SKU and queues the new line at the end of the substitute queue', async () => {
    const substitute = await stocked('substitute-queue', 0, { leadTimeDays: 5 });
    const original = await stocked('original-none', 0, { backorderable: false, substitutes: [substitute] });
    const [waiting, orderId] = [randomUUID(), randomUUID()];
    await inventory.send(TOPICS.orderEvents, placeOrder(waiting, [{ lineId: `${waiting}-1`, sku: substitute, quantity: 1 }], 'cust-ahead'));
    await inventory.waitForEvents(substitute, 1, 'BackorderQueued');
    await inventory.send(TOPICS.orderEvents, placeOrder(orderId, [{ lineId: `${orderId}-1`, sku: original, quantity: 1 }], 'cust-sub'));
    await inventory.waitForEvents(original, 1, 'StockUnavailable');

    await inventory.send(
      TOPICS.orderEvents,
      envelope(
        'OrderLineSubstituted',
        { orderId, customerId: 'cust-sub', lineId: `${orderId}-1`, newLineId: `${orderId}-2`, sku: original, substituteSku: substitute, quantity: 1, waiting: 0 },
        { source: 'order' },
      ),
    );
    const queued = await inventory.waitForEvents(substitute, 2, 'BackorderQueued');
    expect(queued[1]!.data).toMatchObject({ orderId, lineId: `${orderId}-2`, quantity: 1, position: 2 });
    expect(inventory.eventsOf(original, 'BackorderReleased', 'StockReleased')).toEqual([]);
  }, 90_000);
});
