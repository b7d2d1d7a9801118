// Inventory's answers fed to the running service on inventory.events: the view and status they lead to, what the
// service publishes on order.events, redelivery, cancellation, and what it dead-letters.
import { DLQ_HEADERS, TOPICS, type AnyEnvelope } from '@fulfillment/contracts';
import { describe, expect, it } from '@jest/globals';
import { eventually, fileFixture } from '@fulfillment/testing';
import type { OrderLineView, OrderView } from '@fulfillment/order-domain';
import { OrderServiceHarness } from './support/order-service.harness.js';

const DEC_4 = '2026-12-04T08:00:00.000Z';
const DEC_9 = '2026-12-09T08:00:00.000Z';

const svc = fileFixture(() => OrderServiceHarness.start({ LOG_LEVEL: 'debug' }), (service) => service.dispose());

/** Places an order over HTTP and returns what inventory needs to answer for each line. */
async function placeOrder(lines: { sku: string; quantity: number }[], customerId = 'cust-ada') {
  const res = await svc.http<{ orderId: string }>('POST', '/orders', { body: { customerId, lines } });
  expect(res.status).toBe(202);
  const { orderId } = res.body;
  const [placed] = await svc.waitForOrderEvents(orderId, 1);
  const line = (index: number) => ({ sku: lines[index]!.sku, orderId, lineId: `${orderId}-${index + 1}`, customerId });
  return { orderId, placed: placed!, line };
}

const statusChanges = (orderId: string) => svc.orderEvents(orderId).filter((e) => e.type === 'OrderStatusChanged');

describe('inventory answers', () => {
  it('take an order from pending to backordered to confirmed, and the published views follow', async () => {
    const { orderId, placed, line } = await placeOrder([
      { sku: 'SKU-MUG', quantity: 3 },
      { sku: 'SKU-KETTLE', quantity: 1 },
    ]);
    const reserved = svc.envelope('StockReserved', { ...line(0), quantity: 1 }, { correlationId: placed.correlationid });
    const queued = svc.envelope('BackorderQueued', { ...line(0), quantity: 2, position: 1, expectedAt: DEC_4, preorder: false, substitutes: [] });
    await svc.send(TOPICS.inventoryEvents, reserved, queued);
    const pending = await svc.waitForOrder<OrderView>(orderId, (o) => o.lines[0]!.backordered === 2);
    // The kettle line is unanswered: still pending, and no view is published while a line has no answer.
    expect(pending.status).toBe('pending');
    expect(pending.lines[0]).toEqual({ ...line0View(orderId), reserved: 1, backordered: 2, expectedAt: DEC_4 });

    await svc.send(TOPICS.inventoryEvents, svc.envelope('StockReserved', { ...line(1), quantity: 1 }));
    const backordered = await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'backordered');
    expect(backordered.lines[1]).toMatchObject({ reserved: 1, backordered: 0, expectedAt: null });
    const [firstView] = await waitForStatusChanges(orderId, 1);
    expect(firstView).toMatchObject({ source: 'order', subject: orderId, data: { orderId, customerId: 'cust-ada', status: 'backordered' } });
    expect((firstView!.data as OrderView).lines).toEqual(backordered.lines);

    await svc.send(TOPICS.inventoryEvents, svc.envelope('BackorderEtaChanged', { ...line(0), previousExpectedAt: DEC_4, expectedAt: DEC_9 }));
    const moved = await svc.waitForOrder<OrderView>(orderId, (o) => o.lines[0]!.expectedAt === DEC_9);
    expect(moved.status).toBe('backordered');

    const firstPart = svc.envelope('BackorderAllocated', { ...line(0), quantity: 1, remaining: 1 });
    const secondPart = svc.envelope('BackorderAllocated', { ...line(0), quantity: 1, remaining: 0 });
    await svc.send(TOPICS.inventoryEvents, firstPart, secondPart);
    const confirmed = await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'confirmed');
    expect(confirmed.lines[0]).toEqual({ ...line0View(orderId), reserved: 1, allocated: 2, expectedAt: null });

    // One view per change: backordered, date moved, first allocation, confirmed; each caused by its inventory event.
    const views = await waitForStatusChanges(orderId, 4);
    expect(views.map((v) => (v.data as OrderView).status)).toEqual(['backordered', 'backordered', 'backordered', 'confirmed']);
    expect(views[3]!.causationid).toBe(secondPart.id);
    expect(views[3]!.data).toEqual({ orderId, customerId: 'cust-ada', status: 'confirmed', lines: confirmed.lines });
  });

  it('count a redelivered event once, whether it comes again in the same batch or later', async () => {
    const { orderId, line } = await placeOrder([{ sku: 'SKU-LAMP', quantity: 4 }]);
    const reserved = svc.envelope('StockReserved', { ...line(0), quantity: 1 });
    await svc.send(TOPICS.inventoryEvents, reserved, reserved);
    await svc.waitForOrder<OrderView>(orderId, (o) => o.lines[0]!.reserved === 1);
    await svc.send(TOPICS.inventoryEvents, reserved, svc.envelope('StockReserved', { ...line(0), quantity: 3 }));
    const confirmed = await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'confirmed');
    expect(confirmed.lines[0]).toMatchObject({ quantity: 4, reserved: 4 });
    const history = await svc.http<{ type: string }[]>('GET', `/orders/${orderId}/events`);
    // Each reservation makes its units shippable (the order ships as available): announced once, with it.
    expect(history.body.map((e) => e.type)).toEqual([
      'OrderPlaced',
      'LineReserved',
      'OrderReadyToShip',
      'LineReserved',
      'OrderReadyToShip',
      'OrderStatusChanged',
    ]);
  });

  it('reject an order whose every unit is unavailable, which then cannot be cancelled', async () => {
    const { orderId, line } = await placeOrder([{ sku: 'SKU-GONE', quantity: 2 }]);
    await svc.send(TOPICS.inventoryEvents, svc.envelope('StockUnavailable', { ...line(0), quantity: 2, substitutes: ['SKU-NEW'] }));
    const rejected = await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'rejected');
    expect(rejected.lines[0]).toMatchObject({ unavailable: 2, reserved: 0 });
    const cancel = await svc.http('POST', `/orders/${orderId}/cancel`, { body: {} });
    expect(cancel).toMatchObject({ status: 409, body: { code: 'order-not-cancellable' } });
    expect((await waitForStatusChanges(orderId, 1)).map((v) => (v.data as OrderView).status)).toEqual(['rejected']);
  });

  it('after a cancellation, leave the order cancelled with everything released', async () => {
    const { orderId, line } = await placeOrder([{ sku: 'SKU-DESK', quantity: 2 }]);
    await svc.send(TOPICS.inventoryEvents, svc.envelope('StockReserved', { ...line(0), quantity: 2 }));
    await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'confirmed');

    const cancel = await svc.http('POST', `/orders/${orderId}/cancel`, { headers: { 'x-correlation-id': 'cancel-1' } });
    expect(cancel).toMatchObject({ status: 202, body: { orderId, status: 'cancelled' } });
    const again = await svc.http('POST', `/orders/${orderId}/cancel`, { body: { reason: 'still no' } });
    expect(again).toMatchObject({ status: 202, body: { orderId, status: 'cancelled' } });

    await svc.send(TOPICS.inventoryEvents, svc.envelope('StockReleased', { ...line(0), quantity: 2, reason: 'order-cancelled' }));
    // Inventory's release confirms what the cancellation gave up: recorded, and the view published at the
    // cancellation still holds, so it is not published again.
    await eventually(
      async () => {
        const history = await svc.http<{ type: string }[]>('GET', `/orders/${orderId}/events`);
        return history.body.some((entry) => entry.type === 'LineReleasedByInventory') ? true : undefined;
      },
      { what: 'the release recorded in the order history' },
    );
    // The outbox relay publishes after the commit: give a repeated view the time to show up, were there one.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const events = svc.orderEvents(orderId);
    expect(events.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderReadyToShip', 'OrderStatusChanged', 'OrderCancelled', 'OrderStatusChanged']);
    expect(events[3]).toMatchObject({ correlationid: 'cancel-1', causationid: null, data: { orderId, customerId: 'cust-ada', reason: 'customer-request' } });
    const view = await svc.http<OrderView>('GET', `/orders/${orderId}`);
    expect(view.body).toMatchObject({ status: 'cancelled', lines: [{ quantity: 2, reserved: 0, released: 2 }] });
  });

  it('leave other inventory events alone', async () => {
    const { orderId, line } = await placeOrder([{ sku: 'SKU-SOFA', quantity: 1 }]);
    await svc.send(
      TOPICS.inventoryEvents,
      svc.envelope('BackInStock', { sku: 'SKU-SOFA', available: 5 }),
      svc.envelope('ReplenishmentRequested', { sku: 'SKU-SOFA', quantity: 10, reason: 'reorder-point' }),
      svc.envelope('StockReserved', { ...line(0), quantity: 1 }),
    );
    await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'confirmed');
    expect(svc.received('inventory.events.dlq')).toEqual([]);
  });
});

describe('what the service cannot use', () => {
  it('dead-letters an answer about an order it does not know, with the reason, and goes on with the rest', async () => {
    const stray = svc.envelope('StockReserved', { sku: 'SKU-X', orderId: 'ghost-order', lineId: 'ghost-order-1', customerId: 'c', quantity: 1 });
    const { orderId, line } = await placeOrder([{ sku: 'SKU-X', quantity: 1 }]);
    await svc.send(TOPICS.inventoryEvents, stray, svc.envelope('StockReserved', { ...line(0), quantity: 1 }));
    const dead = await svc.waitForDeadLetter(TOPICS.inventoryEvents, (r) => r.value.includes(stray.id));
    expect(dead.headers[DLQ_HEADERS.reason]).toMatch(/^NonRetryableError: order-not-found: /);
    expect(dead.value).toBe(JSON.stringify(stray));
    await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'confirmed');
  });

  it('dead-letters an answer that contradicts the order (more units than the line has)', async () => {
    const { line } = await placeOrder([{ sku: 'SKU-Y', quantity: 1 }]);
    const tooMuch = svc.envelope('StockReserved', { ...line(0), quantity: 5 });
    await svc.send(TOPICS.inventoryEvents, tooMuch);
    const dead = await svc.waitForDeadLetter(TOPICS.inventoryEvents, (r) => r.value.includes(tooMuch.id));
    expect(dead.headers[DLQ_HEADERS.reason]).toMatch(/inconsistent-outcome/);
  });

  it('dead-letters garbage with the decode reason', async () => {
    await svc.sendRaw(TOPICS.inventoryEvents, [{ key: 'SKU-Z', value: '{"not": "an envelope"' }]);
    const dead = await svc.waitForDeadLetter(TOPICS.inventoryEvents, (r) => r.key === 'SKU-Z');
    expect(dead.headers[DLQ_HEADERS.reason]).toMatch(/json/i);
    expect(dead.headers[DLQ_HEADERS.attempts]).toBe('0');
  });
});

describe('a large batch', () => {
  it('answers many orders at once, loading each order once per batch and counting each line once', async () => {
    const orders = await Promise.all(Array.from({ length: 100 }, (_, i) => placeOrder([{ sku: `SKU-BULK-${i % 3}`, quantity: 20 }], `bulk-${i}`)));
    // Twenty single-unit reservations per order, interleaved across orders, all sent at once.
    const answers: AnyEnvelope[] = [];
    for (let unit = 0; unit < 20; unit++) {
      for (const { line } of orders) answers.push(svc.envelope('StockReserved', { ...line(0), quantity: 1 }));
    }
    await svc.send(TOPICS.inventoryEvents, ...answers);
    for (const { orderId } of orders) {
      const view = await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'confirmed', 60_000);
      expect(view.lines[0]).toMatchObject({ quantity: 20, reserved: 20 });
    }
    // The service logs each batch it applied (at debug): the 2000 answers came in batches of many messages for fewer
    // orders, each order loaded once per batch however many of its answers the batch held.
    const batches = svc.service
      .output()
      .split('\n')
      .filter((line) => line.includes('"batch applied"') && line.includes('inventory.events'))
      .map((line) => JSON.parse(line) as { messages: number; commands: number; aggregates: number });
    expect(batches.some((batch) => batch.commands >= 10 * batch.aggregates && batch.aggregates > 1)).toBe(true);
    // The work counted: one load per order and batch, so far fewer order loads than answers (one per answer without).
    const loads = batches.reduce((sum, batch) => sum + batch.aggregates, 0);
    expect(batches.reduce((sum, batch) => sum + batch.commands, 0)).toBeGreaterThanOrEqual(answers.length);
    expect(loads).toBeLessThanOrEqual(answers.length / 4);
  }, 90_000);
});

function line0View(orderId: string): OrderLineView {
  return { lineId: `${orderId}-1`, sku: 'SKU-MUG', quantity: 3, reserved: 0, allocated: 0, backordered: 0, unavailable: 0, released: 0, shipped: 0, expectedAt: null };
}

function waitForStatusChanges(orderId: string, count: number): Promise<AnyEnvelope[]> {
  return svc.waitForOrderEvents(orderId, 1).then(async () => {
    const deadline = Date.now() + 30_000;
    while (statusChanges(orderId).length < count) {
      if (Date.now() > deadline) throw new Error(`only ${statusChanges(orderId).length} OrderStatusChanged for ${orderId}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return statusChanges(orderId);
  });
}
