// What inventory refuses, over HTTP and on Kafka, with the service running as a process on real infrastructure.
import { describe, expect, it } from '@jest/globals';
import { fileFixture } from '@fulfillment/testing';
import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fulfillment/contracts';
import { envelope, inDays, InventoryUnderTest, uniqueSku } from './support/inventory-under-test.js';

const inventory = fileFixture(() => InventoryUnderTest.start(), (service) => service.stop());

describe('HTTP', () => {
  it('documents its API at /docs/openapi.json', async () => {
    const { status, body } = await inventory.http('GET', '/docs/openapi.json');
    expect(status).toBe(200);
    expect(Object.keys(body!.paths['/skus/{sku}']).sort()).toEqual(['get', 'put']);
    expect(Object.keys(body!.paths['/skus/{sku}/adjustments'])).toEqual(['post']);
    expect(body!.paths['/skus/{sku}/adjustments'].post.responses).toHaveProperty('409');
  });

  it('answers 404 for a SKU it has never seen', async () => {
    const { status, body } = await inventory.http('GET', `/skus/${uniqueSku('never')}`);
    expect(status).toBe(404);
    expect(body).toMatchObject({ statusCode: 404 });
  });

  it.each([
    ['PUT', '/skus/SKU-1', { leadTimeDays: -1 }, 'leadTimeDays'],
    ['PUT', '/skus/SKU-1', { substitutes: ['ok', 'not ok'] }, 'substitutes[1]'],
    ['PUT', '/skus/SKU-1', '{"backorderable": tru', 'body'],
    ['POST', '/skus/SKU-1/adjustments', { delta: 0, reason: 'count' }, 'delta'],
    ['POST', '/skus/SKU-1/adjustments', { delta: 2 }, 'reason'],
    ['POST', '/skus/bad%20sku/adjustments', { delta: 2, reason: 'count' }, 'sku'],
    ['GET', `/skus/${'X'.repeat(101)}`, undefined, 'sku'],
  ])('answers 400 to %s %s %j naming %s', async (method, path, body, field) => {
    const response = await inventory.http(method, path, body);
    expect(response.status).toBe(400);
    if (field !== 'body') expect(response.body).toMatchObject({ field, message: expect.stringContaining(`${field}: `) });
  });

  it('answers 409 when an adjustment would take stock it does not have, and changes nothing', async () => {
    const sku = uniqueSku('short');
    await inventory.http('POST', `/skus/${sku}/adjustments`, { delta: 2, reason: 'count' });
    const refused = await inventory.http('POST', `/skus/${sku}/adjustments`, { delta: -3, reason: 'damaged' });
    expect(refused).toMatchObject({ status: 409, body: { statusCode: 409, code: 'insufficient-stock' } });
    expect((await inventory.http('GET', `/skus/${sku}`)).body).toMatchObject({ onHand: 2, available: 2 });
  });

  it('echoes X-Correlation-Id and carries it on what the request caused; invents one when absent', async () => {
    const sku = uniqueSku('correlated');
    await inventory.send(TOPICS.supplierEvents, envelope('PurchaseOrderPlaced', { purchaseOrderId: `po-${randomUUID()}`, sku, quantity: 5, expectedAt: inDays(6) }));
    await inventory.waitForIncoming(sku, 1);
    await inventory.send(TOPICS.orderEvents, envelope('OrderPlaced', { orderId: randomUUID(), customerId: 'c', lines: [{ lineId: 'l', sku, quantity: 1 }], placedAt: new Date().toISOString() }));
    await inventory.waitForEvents(sku, 1, 'BackorderQueued');

    const adjusted = await inventory.http('POST', `/skus/${sku}/adjustments`, { delta: 1, reason: 'found' }, { 'X-Correlation-Id': 'ticket-7731' });
    expect(adjusted.status).toBe(202);
    expect(adjusted.headers.get('x-correlation-id')).toBe('ticket-7731');
    const [allocated] = await inventory.waitForEvents(sku, 1, 'BackorderAllocated');
    expect(allocated).toMatchObject({ correlationid: 'ticket-7731', causationid: null });

    // Every answer carries one, reads included, so a caller can quote it in a support request.
    const anonymous = await inventory.http('GET', `/skus/${sku}`);
    expect(anonymous.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    const configured = await inventory.http('PUT', `/skus/${sku}`, {});
    expect(configured.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect((await inventory.http('PUT', `/skus/${sku}`, {}, { 'X-Correlation-Id': 'x'.repeat(201) })).body).toMatchObject({ field: 'X-Correlation-Id' });
  }, 90_000);
});

describe('Kafka', () => {
  it('dead-letters garbage on order.events with the reason, and carries on with the next order', async () => {
    await inventory.sendRaw(TOPICS.orderEvents, [{ key: 'order-x', value: '{"this is": "not an envelope"' }]);
    const letter = await inventory.waitForDeadLetter(TOPICS.orderEvents, (l) => l.value.startsWith('{"this is"'));
    expect(letter.reason).toMatch(/JSON/);

    const sku = uniqueSku('after-garbage');
    await inventory.http('POST', `/skus/${sku}/adjustments`, { delta: 1, reason: 'count' });
    await inventory.send(TOPICS.orderEvents, envelope('OrderPlaced', { orderId: 'order-x', customerId: 'c', lines: [{ lineId: 'l', sku, quantity: 1 }], placedAt: new Date().toISOString() }));
    await inventory.waitForEvents(sku, 1, 'StockReserved');
  }, 90_000);

  it('dead-letters a purchase order it refuses (already open; undated) and books the good ones around it', async () => {
    const sku = uniqueSku('po-refused');
    const purchaseOrderId = `po-${randomUUID()}`;
    const data = { purchaseOrderId, sku, quantity: 5, expectedAt: inDays(3) };
    const undated = envelope('PurchaseOrderPlaced', { purchaseOrderId: `po-${randomUUID()}`, sku, quantity: 2, expectedAt: null });
    const good = envelope('PurchaseOrderPlaced', { purchaseOrderId: `po-${randomUUID()}`, sku, quantity: 7, expectedAt: inDays(8) });
    // A second envelope (another id, so not a redelivery) for a purchase order that is already open.
    await inventory.send(TOPICS.supplierEvents, envelope('PurchaseOrderPlaced', data), envelope('PurchaseOrderPlaced', data), undated, good);

    const duplicate = await inventory.waitForDeadLetter(TOPICS.supplierEvents, (l) => l.value.includes(purchaseOrderId));
    expect(duplicate.reason).toMatch(/duplicate-purchase-order/);
    const noDate = await inventory.waitForDeadLetter(TOPICS.supplierEvents, (l) => l.value.includes(undated.id));
    expect(noDate.reason).toMatch(/no expectedAt/);
    const body = await inventory.waitForIncoming(sku, 2);
    expect(body.incoming).toEqual([
      { purchaseOrderId, quantity: 5, expectedAt: data.expectedAt },
      { purchaseOrderId: good.data.purchaseOrderId, quantity: 7, expectedAt: good.data.expectedAt },
    ]);
  }, 90_000);
});
