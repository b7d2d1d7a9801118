// POST /orders, GET /orders/:orderId and GET /orders/:orderId/events against the service running as a process, with
// its own database and topics on the real broker.
import { describe, expect, it } from '@jest/globals';
import { fileFixture } from '@fulfillment/testing';
import { OrderServiceHarness } from './support/order-service.harness.js';

interface Placed {
  orderId: string;
  status: string;
}

const order = { customerId: 'cust-ada', email: 'ada@example.com', lines: [{ sku: 'SKU-MUG', quantity: 2 }, { sku: 'SKU-KETTLE', quantity: 1 }] };

const svc = fileFixture(() => OrderServiceHarness.start(), (service) => service.dispose());

describe('POST /orders', () => {
  it('answers 202 pending, echoes the correlation id, and publishes OrderPlaced keyed by the order', async () => {
    const res = await svc.http<Placed>('POST', '/orders', { body: order, headers: { 'x-correlation-id': 'checkout-4711' } });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ orderId: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'pending' });
    expect(res.headers.get('x-correlation-id')).toBe('checkout-4711');
    expect(res.headers.get('location')).toBe(`/orders/${res.body.orderId}`);
    const { orderId } = res.body;

    const [placed] = await svc.waitForOrderEvents(orderId, 1);
    expect(placed).toEqual({
      specversion: '1.0',
      id: expect.any(String),
      type: 'OrderPlaced',
      dataversion: 1,
      source: 'order',
      subject: orderId,
      time: expect.any(String),
      datacontenttype: 'application/json',
      correlationid: 'checkout-4711',
      causationid: null,
      data: {
        orderId,
        customerId: 'cust-ada',
        email: 'ada@example.com',
        lines: [
          { lineId: `${orderId}-1`, sku: 'SKU-MUG', quantity: 2 },
          { lineId: `${orderId}-2`, sku: 'SKU-KETTLE', quantity: 1 },
        ],
        placedAt: placed!.time,
        shipping: 'as-available',
      },
    });
    // The address travels in data.email and nowhere else on the wire, and never reaches the service's log.
    const record = svc.received('order.events').find((r) => r.key === orderId)!;
    expect(record.value.split('ada@example.com')).toHaveLength(2);
    expect(Object.values(record.headers).join(' ')).not.toContain('ada@');
    expect(svc.service.output()).not.toContain('ada@example.com');

    const view = await svc.http('GET', `/orders/${orderId}`);
    expect(view).toMatchObject({ status: 200 });
    expect(view.body).toEqual({
      orderId,
      customerId: 'cust-ada',
      status: 'pending',
      lines: [
        { lineId: `${orderId}-1`, sku: 'SKU-MUG', quantity: 2, reserved: 0, allocated: 0, backordered: 0, unavailable: 0, released: 0, shipped: 0, expectedAt: null },
        { lineId: `${orderId}-2`, sku: 'SKU-KETTLE', quantity: 1, reserved: 0, allocated: 0, backordered: 0, unavailable: 0, released: 0, shipped: 0, expectedAt: null },
      ],
    });
  });

  it('makes up a correlation id when the caller sends none, and stamps it on the event', async () => {
    const res = await svc.http<Placed>('POST', '/orders', { body: { customerId: 'cust-bob', lines: [{ sku: 'SKU-MUG', quantity: 1 }] } });
    const correlationId = res.headers.get('x-correlation-id');
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const [placed] = await svc.waitForOrderEvents(res.body.orderId, 1);
    expect(placed!.correlationid).toBe(correlationId);
    expect(placed!.data).not.toHaveProperty('email');
  });

  it('places one order per Idempotency-Key: a retry gets the same answer, a different body with the key 422', async () => {
    const key = `key-${Date.now()}`;
    const first = await svc.http<Placed>('POST', '/orders', { body: order, headers: { 'idempotency-key': key } });
    const retry = await svc.http<Placed>('POST', '/orders', {
      // Same content, other key order: still the same request.
      body: { lines: order.lines, email: order.email, customerId: order.customerId },
      headers: { 'idempotency-key': key },
    });
    expect(first.status).toBe(202);
    expect(retry.status).toBe(202);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');

    const other = await svc.http('POST', '/orders', { body: { ...order, lines: [{ sku: 'SKU-MUG', quantity: 3 }] }, headers: { 'idempotency-key': key } });
    expect(other).toMatchObject({ status: 422, body: { field: 'Idempotency-Key', message: 'Idempotency-Key: was already used for a different request' } });

    // A later order published afterwards proves the retry's OrderPlaced would have arrived by now.
    const marker = await svc.http<Placed>('POST', '/orders', { body: order });
    await svc.waitForOrderEvents(marker.body.orderId, 1);
    expect(svc.orderEvents(first.body.orderId).map((e) => e.type)).toEqual(['OrderPlaced']);
  });

  it('places exactly one order when the same key arrives five times at once', async () => {
    const key = `race-${Date.now()}`;
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => svc.http<Placed>('POST', '/orders', { body: order, headers: { 'idempotency-key': key } })),
    );
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202, 202, 202]);
    expect(new Set(answers.map((a) => a.body.orderId)).size).toBe(1);
  });

  it.each([
    ['customerId', { ...order, customerId: '' }],
    ['customerId', { lines: order.lines }],
    ['email', { ...order, email: 'not an address' }],
    ['lines', { ...order, lines: [] }],
    ['lines', { ...order, lines: Array.from({ length: 101 }, () => ({ sku: 'SKU-MUG', quantity: 1 })) }],
    ['lines[0].sku', { ...order, lines: [{ sku: '', quantity: 1 }] }],
    ['lines[1].quantity', { ...order, lines: [{ sku: 'SKU-MUG', quantity: 1 }, { sku: 'SKU-MUG', quantity: 0 }] }],
    ['lines[0].quantity', { ...order, lines: [{ sku: 'SKU-MUG', quantity: 1.5 }] }],
  ])('answers 400 naming %s', async (field, body) => {
    const res = await svc.http<{ field: string; message: string }>('POST', '/orders', { body });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
    expect(res.body.message.startsWith(`${field}: `)).toBe(true);
  });

  it('answers 400 to a body that is not JSON, and to bad headers, naming them', async () => {
    expect((await svc.http('POST', '/orders', { rawBody: '{"customerId": ' })).status).toBe(400);
    expect(await svc.http('POST', '/orders', { body: order, headers: { 'idempotency-key': 'has spaces in it' } })).toMatchObject({
      status: 400,
      body: { field: 'Idempotency-Key' },
    });
    expect(await svc.http('POST', '/orders', { body: order, headers: { 'x-correlation-id': 'x'.repeat(501) } })).toMatchObject({
      status: 400,
      body: { field: 'X-Correlation-Id' },
    });
  });
});

describe('GET /orders', () => {
  it('answers 404 for an order it does not know, on the view and on the history', async () => {
    expect(await svc.http('GET', '/orders/no-such-order')).toMatchObject({ status: 404, body: { message: 'order no-such-order not found' } });
    expect((await svc.http('GET', '/orders/no-such-order/events')).status).toBe(404);
  });

  it("lists a customer's orders newest first, and asks for the customer", async () => {
    const customerId = `cust-list-${Date.now()}`;
    const first = await svc.http<Placed>('POST', '/orders', { body: { customerId, lines: [{ sku: 'SKU-A', quantity: 1 }] } });
    // Orders placed within the same millisecond have no order between them.
    await new Promise((resolve) => setTimeout(resolve, 5));
    const second = await svc.http<Placed>('POST', '/orders', { body: { customerId, lines: [{ sku: 'SKU-B', quantity: 1 }] } });
    const list = await svc.http<{ orderId: string }[]>('GET', `/orders?customerId=${customerId}`);
    expect(list.status).toBe(200);
    expect(list.body.map((o) => o.orderId)).toEqual([second.body.orderId, first.body.orderId]);
    expect(await svc.http('GET', '/orders')).toMatchObject({ status: 400, body: { field: 'customerId' } });
    expect(await svc.http('GET', `/orders?customerId=${customerId}&limit=0`)).toMatchObject({ status: 400, body: { field: 'limit' } });
  });

  it('shows the history oldest first, without the email address', async () => {
    const res = await svc.http<Placed>('POST', '/orders', { body: order, headers: { 'x-correlation-id': 'history-1' } });
    await svc.http('POST', `/orders/${res.body.orderId}/cancel`, { body: { reason: 'ordered twice' } });
    const history = await svc.http<{ version: number; type: string; data: Record<string, unknown> }[]>('GET', `/orders/${res.body.orderId}/events`);
    expect(history.status).toBe(200);
    // The cancellation gives up each line's units inventory has not answered yet.
    expect(history.body.map((e) => [e.version, e.type])).toEqual([
      [1, 'OrderPlaced'],
      [2, 'OrderCancelled'],
      [3, 'LineReleased'],
      [4, 'LineReleased'],
      [5, 'OrderStatusChanged'],
    ]);
    expect(history.body[0]).toMatchObject({ correlationId: 'history-1', causationId: null, occurredAt: expect.any(String) });
    expect(history.body[1]!.data).toMatchObject({ reason: 'ordered twice' });
    expect(JSON.stringify(history.body)).not.toContain('ada@');
  });
});

describe('POST /orders/:orderId/cancel', () => {
  it('answers 404 for an order it does not know, and 400 naming a bad reason', async () => {
    expect(await svc.http('POST', '/orders/no-such-order/cancel', { body: {} })).toMatchObject({
      status: 404,
      body: { message: 'order no-such-order not found' },
    });
    const placed = await svc.http<Placed>('POST', '/orders', { body: order });
    expect(await svc.http('POST', `/orders/${placed.body.orderId}/cancel`, { body: { reason: '' } })).toMatchObject({
      status: 400,
      body: { field: 'reason' },
    });
    expect(await svc.http('GET', `/orders/${placed.body.orderId}`)).toMatchObject({ body: { status: 'pending' } });
  });
});

describe('GET /docs/openapi.json', () => {
  it('documents every route with the rules the service applies', async () => {
    const { status, body } = await svc.http<{ paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: { required?: string[] } }> } }>> }>(
      'GET',
      '/docs/openapi.json',
    );
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining(['/orders', '/orders/{orderId}', '/orders/{orderId}/cancel', '/orders/{orderId}/events']),
    );
    expect(Object.keys(body.paths['/orders']!).sort()).toEqual(['get', 'post']);
    expect(body.paths['/orders']!.post!.requestBody!.content['application/json']!.schema.required).toEqual(['customerId', 'lines']);
  });
});
