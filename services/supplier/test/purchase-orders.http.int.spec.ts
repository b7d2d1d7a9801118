// Purchase orders through HTTP, with what the service publishes on supplier.events as a result.
import { describe, expect, it } from '@jest/globals';
import { fileFixture } from '@fulfillment/testing';
import { randomUUID } from 'node:crypto';
import { inDays, SupplierUnderTest, utcDate, type Received } from './supplier-under-test.js';

interface View {
  purchaseOrderId: string;
  sku: string;
  quantity: number;
  received: number;
  expectedAt: string;
  status: string;
}

const sut = fileFixture(() => SupplierUnderTest.start(), (service) => service.stop(), { startTimeoutMs: 90_000 });

const newSku = () => `SKU-${randomUUID().slice(0, 8)}`;

async function place(sku: string, quantity = 10, expectedAt = inDays(7)): Promise<View> {
  const res = await sut.http<View>('POST', '/purchase-orders', { sku, quantity, expectedAt });
  expect(res.status).toBe(201);
  return res.body;
}

const eventsOf = (purchaseOrderId: string, type: string): Received[] =>
  sut.published().filter((r) => r.envelope?.type === type && r.envelope.data.purchaseOrderId === purchaseOrderId);

const waitForEvent = (purchaseOrderId: string, type: string, extra: (r: Received) => boolean = () => true) =>
  sut.waitFor(
    (r) => r.envelope?.type === type && r.envelope.data.purchaseOrderId === purchaseOrderId && extra(r),
    `${type} of ${purchaseOrderId}`,
  );

describe('POST /purchase-orders', () => {
  it('answers 201 with the purchase order and publishes PurchaseOrderPlaced keyed by sku, in the caller\'s flow', async () => {
    const sku = newSku();
    const day = utcDate(7);
    const res = await sut.http<View>(
      'POST',
      '/purchase-orders',
      { sku, quantity: 24, expectedAt: `${day}T09:00:00+01:00` },
      { 'X-Correlation-Id': 'flow-42' },
    );
    expect(res.status).toBe(201);
    const { purchaseOrderId } = res.body;
    expect(res.body).toEqual({
      purchaseOrderId: expect.any(String),
      sku,
      quantity: 24,
      received: 0,
      expectedAt: `${day}T08:00:00.000Z`,
      status: 'open',
    });
    expect(res.headers.get('x-correlation-id')).toBe('flow-42');
    expect(res.headers.get('location')).toBe(`/purchase-orders/${purchaseOrderId}`);

    const placed = await waitForEvent(purchaseOrderId, 'PurchaseOrderPlaced');
    expect(placed.key).toBe(sku);
    expect(placed.envelope).toMatchObject({
      source: 'supplier',
      subject: sku,
      correlationid: 'flow-42',
      causationid: null,
      data: { purchaseOrderId, sku, quantity: 24, expectedAt: `${day}T08:00:00.000Z`, reason: 'manual' },
    });
    // The envelope id is the stored domain event's id, and its time the moment the order was placed.
    const history = await sut.http<{ eventId: string; type: string; data: { placedAt: string } }[]>(
      'GET',
      `/purchase-orders/${purchaseOrderId}/events`,
    );
    expect(history.body.map((e) => e.type)).toEqual(['PurchaseOrderPlaced']);
    expect(placed.envelope!.id).toBe(history.body[0]!.eventId);
    expect(placed.envelope!.time).toBe(history.body[0]!.data.placedAt);
  });

  it('makes up a correlation id when the caller sends none, and echoes it', async () => {
    const res = await sut.http<View>('POST', '/purchase-orders', { sku: newSku(), quantity: 1, expectedAt: inDays(3) });
    const correlationId = res.headers.get('x-correlation-id');
    expect(correlationId).toMatch(/^[0-9a-f-]{36}$/);
    const placed = await waitForEvent(res.body.purchaseOrderId, 'PurchaseOrderPlaced');
    expect(placed.envelope!.correlationid).toBe(correlationId);
  });

  it('with an Idempotency-Key places one purchase order however often the request is repeated', async () => {
    const sku = newSku();
    const key = `idem-${randomUUID()}`;
    const body = { sku, quantity: 5, expectedAt: inDays(5) };
    const first = await sut.http<View>('POST', '/purchase-orders', body, { 'Idempotency-Key': key });
    const again = await sut.http<View>('POST', '/purchase-orders', body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');

    const other = await sut.http('POST', '/purchase-orders', { ...body, quantity: 6 }, { 'Idempotency-Key': key });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ field: 'Idempotency-Key' });

    // A later event of the same SKU shares the partition: once it is here, a second placement would be too.
    const marker = await place(sku);
    await waitForEvent(marker.purchaseOrderId, 'PurchaseOrderPlaced');
    expect(eventsOf(first.body.purchaseOrderId, 'PurchaseOrderPlaced')).toHaveLength(1);
    const listed = await sut.http<View[]>('GET', `/purchase-orders?sku=${sku}`);
    expect(listed.body.map((v) => v.purchaseOrderId)).toEqual([first.body.purchaseOrderId, marker.purchaseOrderId]);
  });
});

describe('GET /purchase-orders', () => {
  it('returns one purchase order by id, and lists them by sku and status, oldest first', async () => {
    const sku = newSku();
    const a = await place(sku, 3);
    const b = await place(sku, 4);
    await place(newSku(), 5);
    expect((await sut.http('GET', `/purchase-orders/${a.purchaseOrderId}`)).body).toEqual(a);

    const bySku = await sut.http<View[]>('GET', `/purchase-orders?sku=${sku}`);
    expect(bySku.body).toEqual([a, b]);

    await sut.http('POST', `/purchase-orders/${a.purchaseOrderId}/receipts`, { quantity: 3 });
    const open = await sut.http<View[]>('GET', `/purchase-orders?sku=${sku}&status=open`);
    expect(open.body).toEqual([b]);
    const received = await sut.http<View[]>('GET', `/purchase-orders?sku=${sku}&status=received`);
    expect(received.body).toEqual([{ ...a, received: 3, status: 'received' }]);
  });
});

describe('PATCH /purchase-orders/:id', () => {
  it('moves the expected date and publishes PurchaseOrderEtaChanged; the same date again publishes nothing', async () => {
    const sku = newSku();
    const [placedDay, movedDay, backDay] = [utcDate(7), utcDate(12), utcDate(10)];
    const po = await place(sku, 10, `${placedDay}T08:00:00.000Z`);

    const moved = await sut.http<View>('PATCH', `/purchase-orders/${po.purchaseOrderId}`, {
      expectedAt: `${movedDay}T08:00:00Z`,
    });
    expect(moved.status).toBe(200);
    expect(moved.body).toEqual({ ...po, expectedAt: `${movedDay}T08:00:00.000Z` });

    // The same instant in another notation is the same date.
    const same = await sut.http<View>('PATCH', `/purchase-orders/${po.purchaseOrderId}`, {
      expectedAt: `${movedDay}T09:00:00+01:00`,
    });
    expect(same.status).toBe(200);
    expect(same.body).toEqual(moved.body);

    const back = await sut.http<View>('PATCH', `/purchase-orders/${po.purchaseOrderId}`, { expectedAt: backDay });
    expect(back.body.expectedAt).toBe(`${backDay}T00:00:00.000Z`);

    await waitForEvent(
      po.purchaseOrderId,
      'PurchaseOrderEtaChanged',
      (r) => r.envelope!.data.expectedAt === `${backDay}T00:00:00.000Z`,
    );
    const changes = eventsOf(po.purchaseOrderId, 'PurchaseOrderEtaChanged').map((r) => r.envelope!.data);
    const { purchaseOrderId } = po;
    expect(changes).toEqual([
      { purchaseOrderId, sku, previousExpectedAt: `${placedDay}T08:00:00.000Z`, expectedAt: `${movedDay}T08:00:00.000Z` },
      { purchaseOrderId, sku, previousExpectedAt: `${movedDay}T08:00:00.000Z`, expectedAt: `${backDay}T00:00:00.000Z` },
    ]);
    expect(eventsOf(po.purchaseOrderId, 'PurchaseOrderEtaChanged').every((r) => r.key === sku)).toBe(true);
  });
});

describe('POST /purchase-orders/:id/receipts', () => {
  it('answers 202 and publishes RestockReceived with what remains on order', async () => {
    const sku = newSku();
    const po = await place(sku, 10);
    const res = await sut.http<Record<string, unknown>>('POST', `/purchase-orders/${po.purchaseOrderId}/receipts`, {
      quantity: 4,
    });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({
      purchaseOrderId: po.purchaseOrderId,
      sku,
      quantity: 4,
      remainingOnOrder: 6,
      purchaseOrder: { ...po, received: 4, status: 'open' },
    });

    const received = await waitForEvent(po.purchaseOrderId, 'RestockReceived');
    expect(received.key).toBe(sku);
    expect(received.envelope).toMatchObject({
      id: res.body.receiptId,
      source: 'supplier',
      time: res.body.receivedAt,
      data: { purchaseOrderId: po.purchaseOrderId, sku, quantity: 4, receivedAt: res.body.receivedAt, remainingOnOrder: 6 },
    });
  });

  it('refuses more than was ordered with 409 naming ordered, received and attempted, and publishes nothing', async () => {
    const sku = newSku();
    const po = await place(sku, 10);
    await sut.http('POST', `/purchase-orders/${po.purchaseOrderId}/receipts`, { quantity: 4 });

    const over = await sut.http<{ message: string }>('POST', `/purchase-orders/${po.purchaseOrderId}/receipts`, {
      quantity: 7,
    });
    expect(over.status).toBe(409);
    expect(over.body).toMatchObject({ statusCode: 409, code: 'over-receipt' });
    expect(over.body.message).toContain('ordered 10, received 4, attempted 7');
    expect((await sut.http<View>('GET', `/purchase-orders/${po.purchaseOrderId}`)).body.received).toBe(4);

    const rest = await sut.http('POST', `/purchase-orders/${po.purchaseOrderId}/receipts`, { quantity: 6 });
    expect(rest.status).toBe(202);
    await waitForEvent(po.purchaseOrderId, 'RestockReceived', (r) => r.envelope!.data.quantity === 6);
    expect(eventsOf(po.purchaseOrderId, 'RestockReceived').map((r) => r.envelope!.data.quantity)).toEqual([4, 6]);
    expect((await sut.http<View>('GET', `/purchase-orders/${po.purchaseOrderId}`)).body).toMatchObject({
      received: 10,
      status: 'received',
    });

    const afterFull = await sut.http('POST', `/purchase-orders/${po.purchaseOrderId}/receipts`, { quantity: 1 });
    expect(afterFull.status).toBe(409);
    expect(afterFull.body).toMatchObject({ code: 'purchase-order-closed' });
  });

  it('with close: true closes a purchase order that arrived short; it then takes no receipt and no new date', async () => {
    const po = await place(newSku(), 10);
    const res = await sut.http<{ remainingOnOrder: number; purchaseOrder: View }>(
      'POST',
      `/purchase-orders/${po.purchaseOrderId}/receipts`,
      { quantity: 8, close: true },
    );
    expect(res.status).toBe(202);
    expect(res.body.remainingOnOrder).toBe(0);
    expect(res.body.purchaseOrder).toMatchObject({ received: 8, status: 'closed' });
    const published = await waitForEvent(po.purchaseOrderId, 'RestockReceived');
    expect(published.envelope!.data).toMatchObject({ quantity: 8, remainingOnOrder: 0 });

    const late = await sut.http<{ message: string }>('POST', `/purchase-orders/${po.purchaseOrderId}/receipts`, {
      quantity: 2,
    });
    expect(late.status).toBe(409);
    expect(late.body.message).toContain('closed');
    const eta = await sut.http('PATCH', `/purchase-orders/${po.purchaseOrderId}`, { expectedAt: inDays(9) });
    expect(eta.status).toBe(409);
  });
});

describe('an unknown purchase order', () => {
  it.each([
    ['GET', ''],
    ['GET', '/events'],
    ['PATCH', ''],
    ['POST', '/receipts'],
  ])('%s /purchase-orders/:id%s is 404', async (method, suffix) => {
    const id = `po-${randomUUID()}`;
    const body = method === 'PATCH' ? { expectedAt: inDays(2) } : method === 'POST' ? { quantity: 1 } : undefined;
    const res = await sut.http<{ message: string }>(method, `/purchase-orders/${id}${suffix}`, body);
    expect(res.status).toBe(404);
    expect(res.body.message).toBe(`purchase order ${id} does not exist`);
  });
});

describe('invalid input', () => {
  const valid = () => ({ sku: 'SKU-VALID', quantity: 2, expectedAt: inDays(7) });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['no sku', { sku: undefined }, 'sku', /is required/],
    ['a blank sku', { sku: '   ' }, 'sku', /non-empty/],
    ['a sku longer than 100', { sku: 'S'.repeat(101) }, 'sku', /100/],
    ['quantity 0', { quantity: 0 }, 'quantity', /positive integer/],
    ['a fractional quantity', { quantity: 1.5 }, 'quantity', /positive integer/],
    ['a quantity as text', { quantity: '3' }, 'quantity', /positive integer/],
    ['no expectedAt', { expectedAt: undefined }, 'expectedAt', /is required/],
    ['expectedAt in words', { expectedAt: 'next tuesday' }, 'expectedAt', /ISO-8601/],
    ['expectedAt without a zone', { expectedAt: `${utcDate(7)}T08:00:00` }, 'expectedAt', /ISO-8601/],
    ['expectedAt in year 2206', { expectedAt: '2206-06-15T08:00:00Z' }, 'expectedAt', /within 730 days/],
    ['expectedAt months ago', { expectedAt: inDays(-60) }, 'expectedAt', /in the past/],
    ['an unknown field', { received: 5 }, 'received', /not a field/],
  ])('POST /purchase-orders with %s is 400 naming the field', async (_, change, field, message) => {
    const res = await sut.http<{ field: string; message: string }>('POST', '/purchase-orders', { ...valid(), ...change });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
    expect(res.body.message).toMatch(new RegExp(`^${field}: `));
    expect(res.body.message).toMatch(message);
  });

  it('a body that is not a JSON object is 400', async () => {
    const res = await sut.http<{ field: string }>('POST', '/purchase-orders', [valid()]);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('body');
  });

  it('PATCH without a valid expectedAt, and receipts without a valid quantity or close, are 400 naming the field', async () => {
    const po = await place(newSku());
    const path = `/purchase-orders/${po.purchaseOrderId}`;
    expect((await sut.http('PATCH', path, {})).body).toMatchObject({ statusCode: 400, field: 'expectedAt' });
    expect((await sut.http('PATCH', path, { expectedAt: '04/12/2026' })).body).toMatchObject({ field: 'expectedAt' });
    expect((await sut.http('POST', `${path}/receipts`, { quantity: -1 })).body).toMatchObject({ field: 'quantity' });
    expect((await sut.http('POST', `${path}/receipts`, { quantity: 1, close: 'yes' })).body).toMatchObject({
      statusCode: 400,
      field: 'close',
    });
    expect((await sut.http('GET', '/purchase-orders?status=lost')).body).toMatchObject({ statusCode: 400, field: 'status' });
    expect((await sut.http<View>('GET', path)).body).toEqual(po);
  });

  it('an X-Correlation-Id that could not travel in an envelope is 400 naming the header', async () => {
    const res = await sut.http('POST', '/purchase-orders', valid(), { 'X-Correlation-Id': 'x'.repeat(201) });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ field: 'X-Correlation-Id' });
  });
});
