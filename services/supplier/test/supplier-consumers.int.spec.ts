// Events in, events out: ReceiveRestock commands and inventory's ReplenishmentRequested on real Kafka topics, with
// what the service publishes and dead-letters in answer.
import { describe, expect, it } from '@jest/globals';
import { fileFixture } from '@fulfillment/testing';
import { randomUUID } from 'node:crypto';
import { DLQ_HEADERS, messageIdentity, TOPICS, type Envelope } from '@fulfillment/contracts';
import { dlqReason, envelope, inDays, SupplierUnderTest, type Received } from './supplier-under-test.js';

const sut = fileFixture(() => SupplierUnderTest.start(), (service) => service.stop(), { startTimeoutMs: 90_000 });

const newSku = () => `SKU-${randomUUID().slice(0, 8)}`;

async function placePurchaseOrder(sku: string, quantity: number): Promise<string> {
  const res = await sut.http<{ purchaseOrderId: string }>('POST', '/purchase-orders', {
    sku,
    quantity,
    expectedAt: inDays(7),
  });
  expect(res.status).toBe(201);
  return res.body.purchaseOrderId;
}

const causedBy = (cause: Envelope, type: string) => (r: Received) =>
  r.envelope?.type === type && r.envelope.causationid === cause.id;

const publishedCausedBy = (cause: Envelope, type: string): Received[] =>
  sut.published().filter(causedBy(cause, type));

const receiveRestock = (data: { purchaseOrderId?: string; sku: string; quantity: number; closePurchaseOrder?: boolean }) =>
  envelope('ReceiveRestock', data, 'warehouse');

describe('ReceiveRestock on supplier.commands', () => {
  it('against a purchase order publishes RestockReceived with what remains on order, in the command\'s flow', async () => {
    const sku = newSku();
    const purchaseOrderId = await placePurchaseOrder(sku, 10);
    const command = receiveRestock({ purchaseOrderId, sku, quantity: 3 });
    await sut.send(TOPICS.supplierCommands, command);

    const received = await sut.waitFor(causedBy(command, 'RestockReceived'), 'RestockReceived');
    expect(received.key).toBe(sku);
    expect(received.envelope).toMatchObject({
      source: 'supplier',
      subject: sku,
      correlationid: command.correlationid,
      causationid: command.id,
      time: command.time,
      data: { purchaseOrderId, sku, quantity: 3, receivedAt: command.time, remainingOnOrder: 7 },
    });
    expect(received.envelope!.id).not.toBe(command.id);
    const view = await sut.http('GET', `/purchase-orders/${purchaseOrderId}`);
    expect(view.body).toMatchObject({ received: 3, status: 'open' });
  });

  it('without a purchase order publishes RestockReceived with purchaseOrderId null, recorded in the SKU\'s receipts stream', async () => {
    const sku = newSku();
    const command = receiveRestock({ sku, quantity: 5 });
    await sut.send(TOPICS.supplierCommands, command);

    const received = await sut.waitFor(causedBy(command, 'RestockReceived'), 'RestockReceived without a PO');
    expect(received.key).toBe(sku);
    expect(received.envelope!.data).toEqual({ purchaseOrderId: null, sku, quantity: 5, receivedAt: command.time });
    const stored = await sut.query<{ event_id: string; event_type: string; data: unknown }>(
      'SELECT event_id, event_type, data FROM es_events WHERE stream_id = $1 ORDER BY stream_version',
      [`sku-receipts-${sku}`],
    );
    expect(stored).toEqual([
      { event_id: received.envelope!.id, event_type: 'UnplannedRestockReceived', data: { sku, quantity: 5, receivedAt: command.time } },
    ]);
  });

  it('applies the same command once however often it is delivered', async () => {
    const sku = newSku();
    const purchaseOrderId = await placePurchaseOrder(sku, 10);
    const command = receiveRestock({ purchaseOrderId, sku, quantity: 2 });
    const unplanned = receiveRestock({ sku, quantity: 1 });
    // Twice in one batch, then again in a later one.
    await sut.send(TOPICS.supplierCommands, command, command, unplanned);
    await sut.waitFor(causedBy(unplanned, 'RestockReceived'), 'the first unplanned receipt');
    await sut.send(TOPICS.supplierCommands, command, unplanned);
    const marker = receiveRestock({ purchaseOrderId, sku, quantity: 1 });
    await sut.send(TOPICS.supplierCommands, marker);

    // Same SKU, same partition: once the marker's receipt is out, any repeated one would be out before it.
    await sut.waitFor(causedBy(marker, 'RestockReceived'), 'the marker receipt');
    expect(publishedCausedBy(command, 'RestockReceived')).toHaveLength(1);
    expect(publishedCausedBy(unplanned, 'RestockReceived')).toHaveLength(1);
    expect((await sut.http('GET', `/purchase-orders/${purchaseOrderId}`)).body).toMatchObject({ received: 3 });
  });

  it('with closePurchaseOrder closes a purchase order that arrived short', async () => {
    const sku = newSku();
    const purchaseOrderId = await placePurchaseOrder(sku, 10);
    const command = receiveRestock({ purchaseOrderId, sku, quantity: 6, closePurchaseOrder: true });
    await sut.send(TOPICS.supplierCommands, command);
    const received = await sut.waitFor(causedBy(command, 'RestockReceived'), 'the closing receipt');
    expect(received.envelope!.data).toMatchObject({ quantity: 6, remainingOnOrder: 0 });
    expect((await sut.http('GET', `/purchase-orders/${purchaseOrderId}`)).body).toMatchObject({ status: 'closed' });
  });

  it('dead-letters a command that can never apply, with the reason, and applies the good ones around it', async () => {
    const sku = newSku();
    const purchaseOrderId = await placePurchaseOrder(sku, 5);
    const before = receiveRestock({ purchaseOrderId, sku, quantity: 1 });
    const unknownId = `po-${randomUUID()}`;
    const unknown = receiveRestock({ purchaseOrderId: unknownId, sku, quantity: 1 });
    const over = receiveRestock({ purchaseOrderId, sku, quantity: 9 });
    const otherSku = receiveRestock({ purchaseOrderId, sku: `${sku}-X`, quantity: 1 });
    const closeWithoutOrder = receiveRestock({ sku, quantity: 1, closePurchaseOrder: true });
    const after = receiveRestock({ purchaseOrderId, sku, quantity: 2 });
    await sut.send(TOPICS.supplierCommands, before, unknown, over, closeWithoutOrder, after);
    await sut.send(TOPICS.supplierCommands, otherSku);

    const deadLetter = (command: Envelope) =>
      sut.waitFor(
        (r) => r.topic === `${TOPICS.supplierCommands}.dlq` && r.envelope?.id === command.id,
        `dead letter of ${command.id}`,
      );
    const refusals = [unknown, over, otherSku, closeWithoutOrder];
    const [unknownDl, overDl, otherSkuDl, closeDl] = await Promise.all(refusals.map(deadLetter));
    expect(dlqReason(unknownDl!)).toContain(`purchase order ${unknownId} does not exist`);
    expect(dlqReason(overDl!)).toContain(`ordered 5, received 1, attempted 9`);
    expect(dlqReason(otherSkuDl!)).toContain(`is for sku ${sku}, not ${sku}-X`);
    expect(dlqReason(closeDl!)).toContain('closePurchaseOrder: needs a purchaseOrderId');
    for (const dl of [unknownDl!, overDl!, otherSkuDl!, closeDl!]) {
      // One shape for every refusal of every service: the domain's code, then its message.
      expect(dlqReason(dl)).toMatch(/^NonRetryableError: [a-z-]+: /);
      expect(dl.headers[DLQ_HEADERS.attempts]).toBe('1');
      expect(dl.headers[DLQ_HEADERS.sourceTopic]).toBe(sut.namespace.name(TOPICS.supplierCommands));
    }

    await sut.waitFor(causedBy(after, 'RestockReceived'), 'the receipt after the refused ones');
    expect(publishedCausedBy(before, 'RestockReceived')).toHaveLength(1);
    for (const refused of refusals) expect(publishedCausedBy(refused, 'RestockReceived')).toEqual([]);
    expect((await sut.http('GET', `/purchase-orders/${purchaseOrderId}`)).body).toMatchObject({ received: 3 });
  });

  it('dead-letters what is not a valid ReceiveRestock with the decode reason', async () => {
    const key = newSku();
    await sut.send(TOPICS.supplierCommands, { key, value: 'not json at all' });
    const badQuantity = JSON.stringify({ ...receiveRestock({ sku: key, quantity: 1 }), data: { sku: key, quantity: 0 } });
    await sut.send(TOPICS.supplierCommands, { key, value: badQuantity });

    const garbage = await sut.waitFor((r) => r.topic === 'supplier.commands.dlq' && r.value === 'not json at all', 'garbage dead letter');
    expect(garbage.key).toBe(key);
    expect(dlqReason(garbage)).toMatch(/json/i);
    expect(garbage.headers[DLQ_HEADERS.attempts]).toBe('0');
    const invalid = await sut.waitFor((r) => r.topic === 'supplier.commands.dlq' && r.value === badQuantity, 'invalid dead letter');
    expect(dlqReason(invalid)).toContain('data.quantity');
  });
});

describe('ReplenishmentRequested on inventory.events', () => {
  const replenishment = (sku: string, leadTimeDays?: number | null) =>
    envelope('ReplenishmentRequested', { sku, quantity: 24, reason: 'backorder', leadTimeDays }, 'inventory');

  const placedFor = (request: Envelope) => publishedCausedBy(request, 'PurchaseOrderPlaced');

  it('with a lead time places a purchase order dated by it, once however often the request is delivered', async () => {
    const sku = newSku();
    const request = replenishment(sku, 7);
    await sut.send(TOPICS.inventoryEvents, request, request);

    const placed = await sut.waitFor(causedBy(request, 'PurchaseOrderPlaced'), 'PurchaseOrderPlaced');
    const due = new Date(Date.parse(request.time) + 7 * 86_400_000).toISOString().slice(0, 10);
    expect(placed.key).toBe(sku);
    expect(placed.envelope).toMatchObject({
      source: 'supplier',
      correlationid: request.correlationid,
      causationid: request.id,
      time: request.time,
      data: { sku, quantity: 24, expectedAt: `${due}T00:00:00.000Z`, reason: 'replenishment' },
    });
    const purchaseOrderId = placed.envelope!.data.purchaseOrderId as string;
    expect((await sut.http('GET', `/purchase-orders/${purchaseOrderId}`)).body).toMatchObject({
      sku,
      quantity: 24,
      status: 'open',
    });

    // Redelivered after the inbox forgot it (pruned): the purchase order id comes from the request, so it is found.
    await sut.query('DELETE FROM es_inbox');
    const marker = replenishment(sku, 3);
    await sut.send(TOPICS.inventoryEvents, request, marker);
    await sut.waitFor(causedBy(marker, 'PurchaseOrderPlaced'), 'the marker purchase order');
    expect(placedFor(request)).toHaveLength(1);
    const listed = await sut.http<{ purchaseOrderId: string }[]>('GET', `/purchase-orders?sku=${sku}`);
    expect(listed.body).toHaveLength(2);
    // Applied as a no-op, not refused: a refusal would have rolled its inbox claim back and dead-lettered it.
    const claimed = await sut.query('SELECT 1 FROM es_inbox WHERE message_id = $1', [messageIdentity(request)]);
    expect(claimed).toHaveLength(1);
    expect(sut.deadLetters(TOPICS.inventoryEvents).filter((r) => r.envelope?.id === request.id)).toEqual([]);
  });

  it('without a lead time places nothing, and other inventory events are passed over', async () => {
    const sku = newSku();
    const withoutLeadTime = replenishment(sku);
    const nullLeadTime = replenishment(sku, null);
    const backInStock = envelope('BackInStock', { sku, available: 4 }, 'inventory');
    const marker = replenishment(sku, 2);
    await sut.send(TOPICS.inventoryEvents, withoutLeadTime, nullLeadTime, backInStock, marker);

    const placed = await sut.waitFor(causedBy(marker, 'PurchaseOrderPlaced'), 'the marker purchase order');
    expect(placedFor(withoutLeadTime)).toEqual([]);
    expect(placedFor(nullLeadTime)).toEqual([]);
    expect(sut.published().filter((r) => r.envelope?.causationid === backInStock.id)).toEqual([]);
    expect(sut.deadLetters(TOPICS.inventoryEvents).filter((r) => r.key === sku)).toEqual([]);
    const listed = await sut.http<{ purchaseOrderId: string }[]>('GET', `/purchase-orders?sku=${sku}`);
    expect(listed.body.map((v) => v.purchaseOrderId)).toEqual([placed.envelope!.data.purchaseOrderId]);
  });

  it('dead-letters garbage on inventory.events with the reason', async () => {
    const key = newSku();
    await sut.send(TOPICS.inventoryEvents, { key, value: '{"specversion":"1.0","type":"ReplenishmentRequested"' });
    const dl = await sut.waitFor((r) => r.topic === 'inventory.events.dlq' && r.key === key, 'dead letter');
    expect(dlqReason(dl).length).toBeGreaterThan(0);
    expect(dlqReason(dl)).toMatch(/json/i);
    expect(dl.headers[DLQ_HEADERS.sourceTopic]).toBe(sut.namespace.name(TOPICS.inventoryEvents));
  });
});
