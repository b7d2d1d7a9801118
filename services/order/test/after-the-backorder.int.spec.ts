// SPEC 9 on the order service running as a process: the shipping policy and OrderReadyToShip, shipments over HTTP
// and as ShipOrder commands, inventory's StockShipped, line cancels and substitutes; each behaviour from the request
// to what is published on order.events, and what is refused or dead-lettered.
import { randomUUID } from 'node:crypto';
import { DLQ_HEADERS, TOPICS } from '@fulfillment/contracts';
import { describe, expect, it } from '@jest/globals';
import { eventually, fileFixture } from '@fulfillment/testing';
import type { OrderView } from '@fulfillment/order-domain';
import { OrderServiceHarness } from './support/order-service.harness.js';

interface ErrorBody {
  statusCode: number;
  message: string;
  code?: string;
  field?: string;
}

const DEC_4 = '2026-12-04T08:00:00.000Z';

const svc = fileFixture(() => OrderServiceHarness.start(), (service) => service.dispose());

async function placeOrder(lines: { sku: string; quantity: number }[], extra: Record<string, unknown> = {}) {
  const customerId = `cust-${randomUUID().slice(0, 8)}`;
  const res = await svc.http<{ orderId: string }>('POST', '/orders', { body: { customerId, lines, ...extra } });
  expect(res.status).toBe(202);
  const { orderId } = res.body;
  const [placed] = await svc.waitForOrderEvents(orderId, 1);
  const line = (index: number) => ({ sku: lines[index]!.sku, orderId, lineId: `${orderId}-${index + 1}`, customerId });
  return { orderId, customerId, placed: placed!, line };
}

const ofType = (orderId: string, type: string) => svc.orderEvents(orderId).filter((e) => e.type === type);
const waitForType = (orderId: string, type: string, count = 1) =>
  eventually(() => (ofType(orderId, type).length >= count ? ofType(orderId, type) : undefined), { what: `${count} ${type} for ${orderId}` });

/**
 * Sends a message the service dead-letters on the partition of `key` (an order's commands, a SKU's inventory events)
 * and waits for its dead letter: everything sent there before it has been handled by then.
 */
async function settle(topic: typeof TOPICS.orderCommands | typeof TOPICS.inventoryEvents, key: string): Promise<void> {
  const marker =
    topic === TOPICS.orderCommands
      ? svc.envelope('CancelOrderLine', { orderId: key, lineId: `marker-${randomUUID()}` }, { source: 'test' })
      : svc.envelope('StockReserved', { sku: key, orderId: `marker-${randomUUID()}`, lineId: 'marker', customerId: 'marker', quantity: 1 });
  await svc.send(topic, marker);
  await svc.waitForDeadLetter(topic, (r) => r.value.includes(marker.id));
}

describe('the shipping policy', () => {
  it('as-available announces each batch of units as it becomes reserved or allocated, never twice', async () => {
    const { orderId, placed, line } = await placeOrder([{ sku: 'SKU-MUG', quantity: 3 }]);
    expect(placed.data).toMatchObject({ shipping: 'as-available' });
    await svc.send(
      TOPICS.inventoryEvents,
      svc.envelope('StockReserved', { ...line(0), quantity: 1 }),
      svc.envelope('BackorderQueued', { ...line(0), quantity: 2, position: 1, expectedAt: DEC_4, preorder: false, substitutes: [] }),
    );
    const [first] = await waitForType(orderId, 'OrderReadyToShip');
    expect(first!.data).toEqual({ orderId, customerId: line(0).customerId, lines: [{ lineId: line(0).lineId, sku: 'SKU-MUG', quantity: 1 }] });
    const allocated = svc.envelope('BackorderAllocated', { ...line(0), quantity: 2, remaining: 0 });
    await svc.send(TOPICS.inventoryEvents, allocated);
    const ready = await waitForType(orderId, 'OrderReadyToShip', 2);
    expect(ready[1]!.data).toMatchObject({ lines: [{ lineId: line(0).lineId, quantity: 2 }] });
    // The allocation delivered again: nothing new to announce.
    await svc.send(TOPICS.inventoryEvents, allocated);
    await settle(TOPICS.inventoryEvents, 'SKU-MUG');
    expect(ofType(orderId, 'OrderReadyToShip')).toHaveLength(2);
  }, 90_000);

  it('when-complete announces once, every unit at once, when nothing waits any more', async () => {
    const { orderId, placed, line } = await placeOrder(
      [
        { sku: 'SKU-MUG', quantity: 2 },
        { sku: 'SKU-KETTLE', quantity: 1 },
      ],
      { shipping: 'when-complete' },
    );
    expect(placed.data).toMatchObject({ shipping: 'when-complete' });
    await svc.send(
      TOPICS.inventoryEvents,
      svc.envelope('StockReserved', { ...line(0), quantity: 2 }),
      svc.envelope('BackorderQueued', { ...line(1), quantity: 1, position: 1, expectedAt: DEC_4, preorder: false, substitutes: [] }),
    );
    await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'backordered');
    expect(ofType(orderId, 'OrderReadyToShip')).toEqual([]);
    await svc.send(TOPICS.inventoryEvents, svc.envelope('BackorderAllocated', { ...line(1), quantity: 1, remaining: 0 }));
    const [ready] = await waitForType(orderId, 'OrderReadyToShip');
    expect(ready!.data).toEqual({
      orderId,
      customerId: line(0).customerId,
      lines: [
        { lineId: line(0).lineId, sku: 'SKU-MUG', quantity: 2 },
        { lineId: line(1).lineId, sku: 'SKU-KETTLE', quantity: 1 },
      ],
    });
    await settle(TOPICS.inventoryEvents, 'SKU-KETTLE');
    expect(ofType(orderId, 'OrderReadyToShip')).toHaveLength(1);
  }, 90_000);

  it('refuses a policy it does not know, naming the field', async () => {
    const res = await svc.http<ErrorBody>('POST', '/orders', { body: { customerId: 'c', lines: [{ sku: 'S', quantity: 1 }], shipping: 'overnight' } });
    expect(res).toMatchObject({ status: 400, body: { field: 'shipping' } });
  });
});

describe('POST /orders/:orderId/shipments', () => {
  it('ships reserved units (201, a shipment id made up), publishes OrderShipped, and a repeat answers the first shipment', async () => {
    const { orderId, customerId, line } = await placeOrder([
      { sku: 'SKU-MUG', quantity: 3 },
      { sku: 'SKU-KETTLE', quantity: 1 },
    ]);
    await svc.send(
      TOPICS.inventoryEvents,
      svc.envelope('StockReserved', { ...line(0), quantity: 3 }),
      svc.envelope('StockReserved', { ...line(1), quantity: 1 }),
    );
    await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'confirmed');

    const res = await svc.http<{ shipmentId: string }>('POST', `/orders/${orderId}/shipments`, {
      body: { lines: [{ lineId: line(0).lineId, quantity: 2 }], carrier: 'DHL', trackingId: 'JD0146' },
      headers: { 'x-correlation-id': 'warehouse-run-7' },
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      orderId,
      shipmentId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      lines: [{ lineId: line(0).lineId, sku: 'SKU-MUG', quantity: 2 }],
      carrier: 'DHL',
      trackingId: 'JD0146',
      shippedAt: expect.any(String),
    });
    const [shipped] = await waitForType(orderId, 'OrderShipped');
    expect(shipped).toMatchObject({
      subject: orderId,
      correlationid: 'warehouse-run-7',
      data: { orderId, customerId, shipmentId: res.body.shipmentId, lines: [{ lineId: line(0).lineId, sku: 'SKU-MUG', quantity: 2 }], carrier: 'DHL', trackingId: 'JD0146' },
    });
    const partly = await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'partially-shipped');
    expect(partly.lines[0]).toMatchObject({ quantity: 3, reserved: 1, shipped: 2 });

    // The same shipment id again, even naming other lines: the first shipment, nothing new published.
    const again = await svc.http('POST', `/orders/${orderId}/shipments`, { body: { shipmentId: res.body.shipmentId, lines: [{ lineId: line(1).lineId, quantity: 1 }] } });
    expect(again).toMatchObject({ status: 201, body: res.body });

    const rest = await svc.http('POST', `/orders/${orderId}/shipments`, {
      body: { shipmentId: 'shp-rest', lines: [{ lineId: line(0).lineId, quantity: 1 }, { lineId: line(1).lineId, quantity: 1 }] },
    });
    expect(rest).toMatchObject({ status: 201, body: { shipmentId: 'shp-rest', carrier: null, trackingId: null } });
    const done = await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'shipped');
    expect(done.lines.map((l) => [l.shipped, l.reserved])).toEqual([
      [3, 0],
      [1, 0],
    ]);
    // The view can show the order shipped before the second OrderShipped reaches this test's consumer.
    const shipments = await waitForType(orderId, 'OrderShipped', 2);
    expect(shipments.map((e) => (e.data as { shipmentId: string }).shipmentId)).toEqual([res.body.shipmentId, 'shp-rest']);
  }, 90_000);

  it('refuses units not reserved or allocated (409 naming the line), an unknown order (404) and a bad body (400)', async () => {
    const { orderId, line } = await placeOrder([{ sku: 'SKU-MUG', quantity: 2 }]);
    await svc.send(TOPICS.inventoryEvents, svc.envelope('StockReserved', { ...line(0), quantity: 1 }));
    await svc.waitForOrder<OrderView>(orderId, (o) => o.lines[0]!.reserved === 1);

    const tooMany = await svc.http<ErrorBody>('POST', `/orders/${orderId}/shipments`, { body: { lines: [{ lineId: line(0).lineId, quantity: 2 }] } });
    expect(tooMany).toMatchObject({ status: 409, body: { code: 'units-not-shippable', message: expect.stringContaining(line(0).lineId) } });
    const unknownLine = await svc.http<ErrorBody>('POST', `/orders/${orderId}/shipments`, { body: { lines: [{ lineId: 'no-such-line', quantity: 1 }] } });
    expect(unknownLine).toMatchObject({ status: 409, body: { code: 'units-not-shippable', message: expect.stringContaining('no-such-line') } });
    const noOrder = await svc.http<ErrorBody>('POST', `/orders/${randomUUID()}/shipments`, { body: { lines: [{ lineId: 'x', quantity: 1 }] } });
    expect(noOrder).toMatchObject({ status: 404, body: { message: expect.stringContaining('not found') } });
    const badBody = await svc.http<ErrorBody>('POST', `/orders/${orderId}/shipments`, { body: { lines: [{ lineId: line(0).lineId, quantity: -1 }] } });
    expect(badBody).toMatchObject({ status: 400, body: { field: 'lines[0].quantity' } });
    expect(ofType(orderId, 'OrderShipped')).toEqual([]);
  }, 90_000);

  it('answers a retried request with its Idempotency-Key again, and refuses the key for another request (422)', async () => {
    const { orderId, line } = await placeOrder([{ sku: 'SKU-MUG', quantity: 2 }]);
    await svc.send(TOPICS.inventoryEvents, svc.envelope('StockReserved', { ...line(0), quantity: 2 }));
    await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'confirmed');
    const body = { lines: [{ lineId: line(0).lineId, quantity: 1 }] };
    const first = await svc.http<{ shipmentId: string }>('POST', `/orders/${orderId}/shipments`, { body, headers: { 'idempotency-key': `ship-${orderId}` } });
    const retry = await svc.http<{ shipmentId: string }>('POST', `/orders/${orderId}/shipments`, { body, headers: { 'idempotency-key': `ship-${orderId}` } });
    expect(first.status).toBe(201);
    expect(retry).toMatchObject({ status: 201, body: first.body });
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    const other = await svc.http<ErrorBody>('POST', `/orders/${orderId}/shipments`, {
      body: { lines: [{ lineId: line(0).lineId, quantity: 2 }] },
      headers: { 'idempotency-key': `ship-${orderId}` },
    });
    expect(other).toMatchObject({ status: 422, body: { field: 'Idempotency-Key' } });
    await waitForType(orderId, 'OrderShipped');
    expect(ofType(orderId, 'OrderShipped')).toHaveLength(1);
  }, 90_000);
});

describe('ShipOrder on order.commands and StockShipped on inventory.events', () => {
  it('ships once however often the command is delivered, and inventory confirming the units changes nothing', async () => {
    const { orderId, line } = await placeOrder([{ sku: 'SKU-MUG', quantity: 2 }]);
    await svc.send(TOPICS.inventoryEvents, svc.envelope('StockReserved', { ...line(0), quantity: 2 }));
    await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'confirmed');
    const command = svc.envelope('ShipOrder', { orderId, shipmentId: 'shp-cmd-1', lines: [{ lineId: line(0).lineId, quantity: 2 }] }, { source: 'warehouse', correlationId: 'wms-1' });
    await svc.send(TOPICS.orderCommands, command, command);
    // A new delivery of the same shipment under another envelope id: the domain knows the shipment id.
    await svc.send(TOPICS.orderCommands, svc.envelope('ShipOrder', { orderId, shipmentId: 'shp-cmd-1', lines: [{ lineId: line(0).lineId, quantity: 2 }] }, { source: 'warehouse' }));
    const [shipped] = await waitForType(orderId, 'OrderShipped');
    expect(shipped).toMatchObject({ correlationid: 'wms-1', causationid: command.id, data: { shipmentId: 'shp-cmd-1', carrier: null, trackingId: null } });
    await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'shipped');

    await settle(TOPICS.orderCommands, orderId);
    expect(ofType(orderId, 'OrderShipped')).toHaveLength(1);
    const viewsBefore = ofType(orderId, 'OrderStatusChanged').length;
    await svc.send(TOPICS.inventoryEvents, svc.envelope('StockShipped', { ...line(0), quantity: 2 }));
    await settle(TOPICS.inventoryEvents, 'SKU-MUG');
    expect(ofType(orderId, 'OrderStatusChanged')).toHaveLength(viewsBefore);
    expect(svc.received(`${TOPICS.inventoryEvents}.dlq`).filter((r) => r.value.includes(orderId))).toEqual([]);
  }, 90_000);

  it('dead-letters a shipment of units the order does not hold, and a StockShipped beyond what shipped, with the reason', async () => {
    const { orderId, line } = await placeOrder([{ sku: 'SKU-MUG', quantity: 2 }]);
    const command = svc.envelope('ShipOrder', { orderId, shipmentId: 'shp-early', lines: [{ lineId: line(0).lineId, quantity: 1 }] }, { source: 'warehouse' });
    await svc.send(TOPICS.orderCommands, command);
    const refused = await svc.waitForDeadLetter(TOPICS.orderCommands, (r) => r.value.includes(command.id));
    expect(refused.headers[DLQ_HEADERS.reason]).toMatch(/units-not-shippable: .*shp-early/);

    const stray = svc.envelope('StockShipped', { ...line(0), quantity: 1 });
    await svc.send(TOPICS.inventoryEvents, stray);
    const inconsistent = await svc.waitForDeadLetter(TOPICS.inventoryEvents, (r) => r.value.includes(stray.id));
    expect(inconsistent.headers[DLQ_HEADERS.reason]).toMatch(/inconsistent-outcome: /);
  }, 90_000);
});

describe('cancelling a line or part of it', () => {
  it('takes waiting units first (202), publishes OrderLineCancelled and the view; shipped units cannot be cancelled', async () => {
    const { orderId, customerId, line } = await placeOrder([{ sku: 'SKU-MUG', quantity: 5 }]);
    await svc.send(
      TOPICS.inventoryEvents,
      svc.envelope('StockReserved', { ...line(0), quantity: 3 }),
      svc.envelope('BackorderQueued', { ...line(0), quantity: 2, position: 1, expectedAt: DEC_4, preorder: false, substitutes: [] }),
    );
    await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'backordered');

    const partial = await svc.http('POST', `/orders/${orderId}/lines/${line(0).lineId}/cancel`, { body: { quantity: 3, reason: 'ordered too many' } });
    expect(partial).toMatchObject({
      status: 202,
      body: {
        orderId,
        lineId: line(0).lineId,
        quantity: 3,
        reason: 'ordered too many',
        status: 'confirmed',
        line: { quantity: 5, reserved: 2, backordered: 0, released: 3, shipped: 0 },
      },
    });
    const [cancelled] = await waitForType(orderId, 'OrderLineCancelled');
    expect(cancelled!.data).toEqual({ orderId, customerId, lineId: line(0).lineId, sku: 'SKU-MUG', quantity: 3, reason: 'ordered too many' });
    const views = await waitForType(orderId, 'OrderStatusChanged', 2);
    expect(views.at(-1)!.data).toMatchObject({ status: 'confirmed', lines: [{ reserved: 2, backordered: 0, released: 3 }] });

    // Until inventory confirms the units it had queued, the held ones do not ship: had the queued units expired
    // first, inventory would release held ones instead.
    const early = await svc.http<ErrorBody>('POST', `/orders/${orderId}/shipments`, { body: { lines: [{ lineId: line(0).lineId, quantity: 1 }] } });
    expect(early).toMatchObject({ status: 409, body: { code: 'units-not-shippable' } });
    // Inventory confirms: the queued 2, then 1 held unit. The view stays as it is.
    await svc.send(
      TOPICS.inventoryEvents,
      svc.envelope('BackorderReleased', { ...line(0), quantity: 2, reason: 'line-cancelled' }),
      svc.envelope('StockReleased', { ...line(0), quantity: 1, reason: 'line-cancelled' }),
    );
    await settle(TOPICS.inventoryEvents, 'SKU-MUG');
    expect((await svc.http('POST', `/orders/${orderId}/shipments`, { body: { shipmentId: 'shp-1', lines: [{ lineId: line(0).lineId, quantity: 2 }] } })).status).toBe(201);
    const shipped = await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'shipped');
    expect(shipped.lines[0]).toMatchObject({ reserved: 0, released: 3, shipped: 2 });

    const tooLate = await svc.http<ErrorBody>('POST', `/orders/${orderId}/lines/${line(0).lineId}/cancel`);
    expect(tooLate).toMatchObject({ status: 409, body: { code: 'line-not-cancellable', message: expect.stringContaining('2 shipped') } });
    expect(svc.received(`${TOPICS.inventoryEvents}.dlq`).filter((r) => r.value.includes(orderId))).toEqual([]);
  }, 90_000);

  it('cancels the whole line without a body, answers 404 for a line or order it does not know, 400 for a bad quantity', async () => {
    const { orderId, line } = await placeOrder([
      { sku: 'SKU-MUG', quantity: 2 },
      { sku: 'SKU-KETTLE', quantity: 1 },
    ]);
    await svc.send(
      TOPICS.inventoryEvents,
      svc.envelope('StockReserved', { ...line(0), quantity: 2 }),
      svc.envelope('StockReserved', { ...line(1), quantity: 1 }),
    );
    await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'confirmed');
    const whole = await svc.http('POST', `/orders/${orderId}/lines/${line(1).lineId}/cancel`);
    expect(whole).toMatchObject({ status: 202, body: { quantity: 1, reason: 'customer-request', status: 'confirmed', line: { released: 1, reserved: 0 } } });

    const noLine = await svc.http<ErrorBody>('POST', `/orders/${orderId}/lines/${orderId}-9/cancel`);
    expect(noLine).toMatchObject({ status: 404, body: { code: 'line-not-found', message: expect.stringContaining(`${orderId}-9`) } });
    const noOrder = await svc.http<ErrorBody>('POST', `/orders/${randomUUID()}/lines/x/cancel`);
    expect(noOrder).toMatchObject({ status: 404, body: { message: expect.stringContaining('not found') } });
    const bad = await svc.http<ErrorBody>('POST', `/orders/${orderId}/lines/${line(0).lineId}/cancel`, { body: { quantity: 0 } });
    expect(bad).toMatchObject({ status: 400, body: { field: 'quantity' } });
    const more = await svc.http<ErrorBody>('POST', `/orders/${orderId}/lines/${line(0).lineId}/cancel`, { body: { quantity: 3 } });
    expect(more).toMatchObject({ status: 409, body: { code: 'line-not-cancellable' } });
  }, 90_000);

  it('takes CancelOrderLine from order.commands, and dead-letters one for a line that has nothing left', async () => {
    const { orderId, line } = await placeOrder([{ sku: 'SKU-MUG', quantity: 2 }]);
    await svc.send(TOPICS.inventoryEvents, svc.envelope('StockReserved', { ...line(0), quantity: 2 }));
    await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'confirmed');
    const command = svc.envelope('CancelOrderLine', { orderId, lineId: line(0).lineId, quantity: 1 }, { source: 'support-desk' });
    await svc.send(TOPICS.orderCommands, command, command);
    const [cancelled] = await waitForType(orderId, 'OrderLineCancelled');
    expect(cancelled).toMatchObject({ causationid: command.id, data: { quantity: 1, reason: 'customer-request' } });
    const rest = svc.envelope('CancelOrderLine', { orderId, lineId: line(0).lineId }, { source: 'support-desk' });
    const nothingLeft = svc.envelope('CancelOrderLine', { orderId, lineId: line(0).lineId }, { source: 'support-desk' });
    await svc.send(TOPICS.orderCommands, rest, nothingLeft);
    const refused = await svc.waitForDeadLetter(TOPICS.orderCommands, (r) => r.value.includes(nothingLeft.id));
    expect(refused.headers[DLQ_HEADERS.reason]).toMatch(/line-not-cancellable: /);
    expect(ofType(orderId, 'OrderLineCancelled')).toHaveLength(2);
    expect(await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'cancelled')).toMatchObject({ lines: [{ released: 2 }] });
  }, 90_000);
});

describe('accepting a substitute', () => {
  it('moves the waiting units to a new line for a listed substitute (202), answered by inventory like a new line', async () => {
    const { orderId, customerId, line } = await placeOrder([{ sku: 'SKU-MUG', quantity: 3 }]);
    await svc.send(
      TOPICS.inventoryEvents,
      svc.envelope('StockReserved', { ...line(0), quantity: 1 }),
      svc.envelope('BackorderQueued', { ...line(0), quantity: 2, position: 4, expectedAt: DEC_4, preorder: false, substitutes: ['SKU-MUG-GREEN'] }),
    );
    await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'backordered');

    const notListed = await svc.http<ErrorBody>('POST', `/orders/${orderId}/lines/${line(0).lineId}/substitute`, { body: { sku: 'SKU-TEAPOT' } });
    expect(notListed).toMatchObject({ status: 409, body: { code: 'line-not-substitutable', message: expect.stringContaining('SKU-MUG-GREEN') } });
    const res = await svc.http('POST', `/orders/${orderId}/lines/${line(0).lineId}/substitute`, { body: { sku: 'SKU-MUG-GREEN' } });
    const newLineId = `${orderId}-2`;
    expect(res).toMatchObject({
      status: 202,
      body: { orderId, lineId: line(0).lineId, newLineId, sku: 'SKU-MUG', substituteSku: 'SKU-MUG-GREEN', quantity: 2, status: 'pending' },
    });
    const [substituted] = await waitForType(orderId, 'OrderLineSubstituted');
    expect(substituted!.data).toEqual({ orderId, customerId, lineId: line(0).lineId, newLineId, sku: 'SKU-MUG', substituteSku: 'SKU-MUG-GREEN', quantity: 2, waiting: 2 });

    await svc.send(
      TOPICS.inventoryEvents,
      svc.envelope('BackorderReleased', { ...line(0), quantity: 2, reason: 'substituted' }),
      svc.envelope('StockReserved', { sku: 'SKU-MUG-GREEN', orderId, lineId: newLineId, customerId, quantity: 2 }),
    );
    const confirmed = await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'confirmed');
    expect(confirmed.lines).toEqual([
      expect.objectContaining({ lineId: line(0).lineId, quantity: 3, reserved: 1, backordered: 0, released: 2 }),
      expect.objectContaining({ lineId: newLineId, sku: 'SKU-MUG-GREEN', quantity: 2, reserved: 2 }),
    ]);
    // Nothing waits any more on the old line: a second substitution is refused.
    const again = await svc.http<ErrorBody>('POST', `/orders/${orderId}/lines/${line(0).lineId}/substitute`, { body: { sku: 'SKU-MUG-GREEN' } });
    expect(again).toMatchObject({ status: 409, body: { code: 'line-not-substitutable' } });
  }, 90_000);

  it('takes SubstituteOrderLine from order.commands for unavailable units, and dead-letters one for a SKU not listed', async () => {
    const { orderId, line } = await placeOrder([{ sku: 'SKU-LAMP', quantity: 1 }]);
    await svc.send(TOPICS.inventoryEvents, svc.envelope('StockUnavailable', { ...line(0), quantity: 1, substitutes: ['SKU-LAMP-XL'] }));
    await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'rejected');
    const wrong = svc.envelope('SubstituteOrderLine', { orderId, lineId: line(0).lineId, sku: 'SKU-CANDLE' }, { source: 'storefront' });
    const right = svc.envelope('SubstituteOrderLine', { orderId, lineId: line(0).lineId, sku: 'SKU-LAMP-XL' }, { source: 'storefront' });
    await svc.send(TOPICS.orderCommands, wrong, right);
    const refused = await svc.waitForDeadLetter(TOPICS.orderCommands, (r) => r.value.includes(wrong.id));
    expect(refused.headers[DLQ_HEADERS.reason]).toMatch(/line-not-substitutable: /);
    const [substituted] = await waitForType(orderId, 'OrderLineSubstituted');
    expect(substituted).toMatchObject({ causationid: right.id, data: { newLineId: `${orderId}-2`, quantity: 1, waiting: 0 } });
    expect(await svc.waitForOrder<OrderView>(orderId, (o) => o.lines.length === 2)).toMatchObject({ status: 'pending' });
  }, 90_000);
});

describe('the order history', () => {
  it('lists shipments, line cancels and substitutions with the rest', async () => {
    const { orderId, line } = await placeOrder([{ sku: 'SKU-MUG', quantity: 2 }]);
    await svc.send(TOPICS.inventoryEvents, svc.envelope('StockReserved', { ...line(0), quantity: 2 }));
    await svc.waitForOrder<OrderView>(orderId, (o) => o.status === 'confirmed');
    await svc.http('POST', `/orders/${orderId}/shipments`, { body: { lines: [{ lineId: line(0).lineId, quantity: 1 }] } });
    await svc.http('POST', `/orders/${orderId}/lines/${line(0).lineId}/cancel`);
    const history = await svc.http<{ type: string }[]>('GET', `/orders/${orderId}/events`);
    const types = history.body.map((entry) => entry.type);
    expect(types).toEqual(expect.arrayContaining(['OrderPlaced', 'LineReserved', 'OrderReadyToShip', 'OrderShipped', 'OrderLineCancelled']));
    expect(types.indexOf('OrderShipped')).toBeLessThan(types.indexOf('OrderLineCancelled'));
  }, 60_000);
});
