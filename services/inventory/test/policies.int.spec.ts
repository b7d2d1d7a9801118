// SPEC 10 through the inventory service as a process, on the real broker and PostgreSQL: each per-SKU policy set with
// PUT /skus/:sku and seen in what inventory publishes, the expiry sweep with a short EXPIRY_SWEEP_INTERVAL_MS, a
// preorder released a few seconds after it was set up, and a replenishment the supplier could not plan.
import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fulfillment/contracts';
import { eventually, fileFixture } from '@fulfillment/testing';
import { envelope, inDays, InventoryUnderTest, uniqueSku } from './support/inventory-under-test.js';

const inventory = fileFixture(() => InventoryUnderTest.start({ env: { EXPIRY_SWEEP_INTERVAL_MS: '250' } }), (service) => service.stop());

const placeOrder = (sku: string, quantity: number, customerId = `cust-${randomUUID().slice(0, 6)}`) => {
  const orderId = randomUUID();
  return { orderId, customerId, message: envelope('OrderPlaced', { orderId, customerId, lines: [{ lineId: `${orderId}-1`, sku, quantity }], placedAt: new Date().toISOString() }) };
};
const purchaseOrder = (sku: string, quantity: number, expectedAt: string) =>
  envelope('PurchaseOrderPlaced', { purchaseOrderId: `po-${randomUUID()}`, sku, quantity, expectedAt }, { source: 'supplier' });
const configure = async (sku: string, body: Record<string, unknown>) => {
  const response = await inventory.http('PUT', `/skus/${sku}`, body);
  expect(response.status).toBe(200);
  return response.body!;
};

describe('PUT /skus/:sku policies', () => {
  it('stores the four policies, shows them on GET with preordersUntil, and refuses a bad one naming it', async () => {
    const sku = uniqueSku('policies');
    const releaseAt = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const configured = await configure(sku, { maxBackorder: 10, maxWaitDays: 14, autoCancelAfterDays: 30, releaseAt });
    expect(configured.configuration).toMatchObject({ maxBackorder: 10, maxWaitDays: 14, autoCancelAfterDays: 30, releaseAt });
    expect(configured.preordersUntil).toBe(releaseAt);
    const { body } = await inventory.http('GET', `/skus/${sku}`);
    expect(body).toMatchObject({ preordersUntil: releaseAt, configuration: { maxBackorder: 10, maxWaitDays: 14, autoCancelAfterDays: 30, releaseAt } });

    for (const [bad, field] of [
      [{ maxBackorder: -1 }, 'maxBackorder'],
      [{ maxWaitDays: 'a week' }, 'maxWaitDays'],
      [{ autoCancelAfterDays: 1.5 }, 'autoCancelAfterDays'],
      [{ releaseAt: '2026-13-01T00:00:00Z' }, 'releaseAt'],
    ] as const) {
      const refused = await inventory.http('PUT', `/skus/${sku}`, bad);
      expect(refused).toMatchObject({ status: 400, body: { field } });
    }
    // Nothing of the refused requests changed the SKU.
    expect((await inventory.http('GET', `/skus/${sku}`)).body!.configuration).toMatchObject({ maxBackorder: 10, releaseAt });
  }, 60_000);

  it('maxBackorder: the part of a line beyond the cap is unavailable, with the substitutes', async () => {
    const sku = uniqueSku('cap');
    await configure(sku, { maxBackorder: 3, substitutes: ['SKU-ALT'] });
    await inventory.send(TOPICS.supplierEvents, purchaseOrder(sku, 10, inDays(5)));
    await inventory.waitForIncoming(sku, 1);
    const { orderId, message } = placeOrder(sku, 5);
    await inventory.send(TOPICS.orderEvents, message);
    const [queued, unavailable] = await inventory.waitForEvents(sku, 2, 'BackorderQueued', 'StockUnavailable');
    expect(queued).toMatchObject({ type: 'BackorderQueued', data: { orderId, quantity: 3, preorder: false, substitutes: ['SKU-ALT'] } });
    expect(unavailable).toMatchObject({ type: 'StockUnavailable', data: { orderId, quantity: 2, substitutes: ['SKU-ALT'] } });
  }, 90_000);

  it('maxWaitDays: a line promised later than the horizon is not queued; one within it is', async () => {
    const sku = uniqueSku('horizon');
    await configure(sku, { maxWaitDays: 7 });
    await inventory.send(TOPICS.supplierEvents, purchaseOrder(sku, 10, inDays(10)));
    await inventory.waitForIncoming(sku, 1);
    const late = placeOrder(sku, 2);
    await inventory.send(TOPICS.orderEvents, late.message);
    const [unavailable] = await inventory.waitForEvents(sku, 1, 'StockUnavailable');
    expect(unavailable!.data).toMatchObject({ orderId: late.orderId, quantity: 2 });

    const soon = inDays(3);
    await inventory.send(TOPICS.supplierEvents, purchaseOrder(sku, 4, soon));
    await inventory.waitForIncoming(sku, 2);
    const onTime = placeOrder(sku, 2);
    await inventory.send(TOPICS.orderEvents, onTime.message);
    const [queued] = await inventory.waitForEvents(sku, 1, 'BackorderQueued');
    expect(queued!.data).toMatchObject({ orderId: onTime.orderId, quantity: 2, expectedAt: soon });
    expect(inventory.eventsOf(sku, 'StockUnavailable')).toHaveLength(1);
  }, 90_000);

  it('autoCancelAfterDays: the sweep expires a waiting line, moves the next one up and re-promises it', async () => {
    const sku = uniqueSku('expiry');
    const releaseAt = new Date(Date.now() + 3_600_000).toISOString();
    await configure(sku, {});
    const [early, late] = [inDays(5), inDays(20)];
    await inventory.send(TOPICS.supplierEvents, purchaseOrder(sku, 2, early), purchaseOrder(sku, 3, late));
    await inventory.waitForIncoming(sku, 2);
    const first = placeOrder(sku, 2);
    await inventory.send(TOPICS.orderEvents, first.message);
    await inventory.waitForEvents(sku, 1, 'BackorderQueued');
    // A release in an hour holds the lines ordered from now on: the second line waits for the release and cannot
    // expire, while the first (ordered before the hold) can.
    await configure(sku, { releaseAt });
    const second = placeOrder(sku, 2);
    await inventory.send(TOPICS.orderEvents, second.message);
    const [, queuedSecond] = await inventory.waitForEvents(sku, 2, 'BackorderQueued');
    expect(queuedSecond!.data).toMatchObject({ orderId: second.orderId, preorder: true, expectedAt: late });

    await configure(sku, { releaseAt, autoCancelAfterDays: 0 });
    const [expired] = await inventory.waitForEvents(sku, 1, 'BackorderReleased');
    expect(expired!.data).toMatchObject({ orderId: first.orderId, quantity: 2, reason: 'expired' });
    const [moved] = await inventory.waitForEvents(sku, 1, 'BackorderEtaChanged');
    expect(moved!.data).toMatchObject({ orderId: second.orderId, previousExpectedAt: late, expectedAt: early });

    const { body } = await inventory.http('GET', `/skus/${sku}`);
    expect(body!.queue).toEqual([expect.objectContaining({ orderId: second.orderId, expectedAt: early, preorder: true })]);
    // Later sweeps release nothing more: the line held for the release never expires.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(inventory.eventsOf(sku, 'BackorderReleased')).toHaveLength(1);
  }, 90_000);

  it('releaseAt: preorders wait for the release even with stock on hand, and the first sweep after it serves them FIFO', async () => {
    const sku = uniqueSku('preorder');
    const releaseAt = new Date(Date.now() + 6_000).toISOString();
    await configure(sku, { releaseAt });
    await inventory.http('POST', `/skus/${sku}/adjustments`, { delta: 3, reason: 'first delivery' });
    const a = placeOrder(sku, 2);
    const b = placeOrder(sku, 2);
    await inventory.send(TOPICS.orderEvents, a.message);
    await inventory.waitForEvents(sku, 1, 'BackorderQueued');
    await inventory.send(TOPICS.orderEvents, b.message);
    const queued = await inventory.waitForEvents(sku, 2, 'BackorderQueued');
    expect(queued.map((event) => event.data)).toEqual([
      expect.objectContaining({ orderId: a.orderId, quantity: 2, preorder: true, expectedAt: releaseAt }),
      expect.objectContaining({ orderId: b.orderId, quantity: 1, preorder: true, expectedAt: releaseAt }),
    ]);
    const before = (await inventory.http('GET', `/skus/${sku}`)).body!;
    // Only meaningful while the release is still ahead (a slow machine may get here later); the allocation times
    // below are checked either way.
    if (Date.now() < Date.parse(releaseAt)) {
      expect(before).toMatchObject({ onHand: 3, reserved: 0, available: 3, backordered: 3, preordersUntil: releaseAt });
      expect(inventory.eventsOf(sku, 'StockReserved', 'BackorderAllocated')).toEqual([]);
    }

    const allocated = await inventory.waitForEvents(sku, 2, 'BackorderAllocated');
    expect(allocated.map((event) => event.data)).toEqual([
      expect.objectContaining({ orderId: a.orderId, quantity: 2, remaining: 0 }),
      expect.objectContaining({ orderId: b.orderId, quantity: 1, remaining: 0 }),
    ]);
    for (const event of allocated) expect(Date.parse(String(event.time))).toBeGreaterThanOrEqual(Date.parse(releaseAt));
    const after = (await inventory.http('GET', `/skus/${sku}`)).body!;
    expect(after).toMatchObject({ onHand: 3, reserved: 3, available: 0, backordered: 0, queue: [], preordersUntil: null });
  }, 90_000);
});

describe('a replenishment the supplier could not plan', () => {
  it('stops counting as pending supply, is not requested again, and is requested again once a lead time is set', async () => {
    const sku = uniqueSku('unplanned');
    await configure(sku, { reorderPoint: 5 });
    const [requested] = await inventory.waitForEvents(sku, 1, 'ReplenishmentRequested');
    expect(requested!.data).toMatchObject({ quantity: 5, reason: 'reorder-point', leadTimeDays: null });
    expect((await inventory.http('GET', `/skus/${sku}`)).body).toMatchObject({ pendingReplenishment: 5, unplannedReplenishment: 0 });

    await inventory.send(
      TOPICS.supplierEvents,
      envelope('ReplenishmentUnplanned', { requestId: String(requested!.id), sku, quantity: 5, reason: 'no-lead-time' }, { source: 'supplier' }),
    );
    await eventually(
      async () => {
        const { body } = await inventory.http('GET', `/skus/${sku}`);
        return body?.unplannedReplenishment === 5 ? body : undefined;
      },
      { timeoutMs: 45_000, what: 'the unplanned replenishment recorded' },
    ).then((body) => expect(body).toMatchObject({ pendingReplenishment: 0 }));
    // An order changes the position but asks nothing new: without a lead time the supplier would refuse it again.
    await inventory.send(TOPICS.orderEvents, placeOrder(sku, 1).message);
    await inventory.waitForEvents(sku, 1, 'StockUnavailable');
    expect(inventory.eventsOf(sku, 'ReplenishmentRequested')).toHaveLength(1);

    await configure(sku, { reorderPoint: 5, leadTimeDays: 3 });
    const [, again] = await inventory.waitForEvents(sku, 2, 'ReplenishmentRequested');
    expect(again!.data).toMatchObject({ quantity: 5, leadTimeDays: 3 });
  }, 90_000);
});

describe('the planning reads over HTTP', () => {
  it('refuse a bad query with 400 naming the parameter, and a cursor of another listing', async () => {
    for (const [path, field] of [
      ['/skus?sort=oldest', 'sort'],
      ['/skus?backordered=maybe', 'backordered'],
      ['/skus?limit=0', 'limit'],
      ['/skus?cursor=not-a-cursor!', 'cursor'],
      ['/skus?sortBy=demand', 'sortBy'],
      ['/reports/backorders?format=xml', 'format'],
    ] as const) {
      expect(await inventory.http('GET', path)).toMatchObject({ status: 400, body: { field } });
    }
    await inventory.http('PUT', `/skus/${uniqueSku('page')}`, {});
    await inventory.http('PUT', `/skus/${uniqueSku('page')}`, {});
    const first = await eventually(
      async () => {
        const { body } = await inventory.http('GET', '/skus?limit=1');
        return body?.nextCursor ? body : undefined;
      },
      { timeoutMs: 30_000, what: 'a first page with more after it' },
    );
    expect((await inventory.http('GET', `/skus?limit=1&cursor=${first.nextCursor}`)).status).toBe(200);
    expect(await inventory.http('GET', `/skus?limit=1&sort=demand&cursor=${first.nextCursor}`)).toMatchObject({
      status: 400,
      body: { field: 'cursor', message: expect.stringMatching(/another sort or filter/) },
    });
  }, 60_000);
});
