// Two inventory instances in one consumer group share the partitions of order.events, which is keyed by order: both
// decide for the same SKU at the same time. The SKU's stream lock must turn that into one FIFO queue.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fulfillment/contracts';
import { eventually, testKafka } from '@fulfillment/testing';
import { envelope, inDays, InventoryUnderTest, uniqueSku } from './support/inventory-under-test.js';

const ORDERS = 60;
let inventory: InventoryUnderTest;

beforeAll(async () => {
  inventory = await InventoryUnderTest.start({ instances: 2 });
  // Both must hold partitions before the orders arrive, or one instance would simply do all the work.
  const admin = (await testKafka('inventory-group-probe')).admin();
  await admin.connect();
  try {
    await eventually(
      async () => {
        const { groups } = await admin.describeGroups([`${inventory.namespace.prefix}inventory-service`]);
        return groups[0]?.state === 'Stable' && groups[0].members.length === 2 ? true : undefined;
      },
      { timeoutMs: 60_000, what: 'a stable consumer group of two inventory instances' },
    );
  } finally {
    await admin.disconnect();
  }
}, 150_000);

afterAll(async () => {
  await inventory?.stop();
}, 60_000);

const consumedFrom = async (url: string, topic: string): Promise<number> => {
  const metrics = await (await fetch(`${url}/metrics`)).text();
  const line = metrics.split('\n').find((l) => l.startsWith('messaging_messages_consumed_total') && l.includes(`topic="${topic}"`));
  return line ? Number(line.split(' ').pop()) : 0;
};

describe('two instances, one SKU, orders from many order ids', () => {
  it('queues every line at a unique position and later allocates strictly in queue order', async () => {
    const sku = uniqueSku('contended');
    const purchaseOrderId = `po-${randomUUID()}`;
    await inventory.send(
      TOPICS.supplierEvents,
      envelope('PurchaseOrderPlaced', { purchaseOrderId, sku, quantity: ORDERS, expectedAt: inDays(5) }, { source: 'supplier' }),
    );
    await inventory.waitForIncoming(sku, 1);

    const orders = Array.from({ length: ORDERS }, () => randomUUID());
    await inventory.send(
      TOPICS.orderEvents,
      ...orders.map((orderId) =>
        envelope('OrderPlaced', { orderId, customerId: `cust-${orderId}`, lines: [{ lineId: 'line-1', sku, quantity: 1 }], placedAt: new Date().toISOString() }),
      ),
    );

    const queued = await inventory.waitForEvents(sku, ORDERS, 'BackorderQueued');
    expect(queued).toHaveLength(ORDERS);
    expect(queued.map((event) => event.data.position).sort((a, b) => a - b)).toEqual(orders.map((_, index) => index + 1));
    expect(new Set(queued.map((event) => event.data.orderId))).toEqual(new Set(orders));
    // Both instances really took part: each consumed part of order.events.
    const realTopic = inventory.namespace.name(TOPICS.orderEvents);
    const perInstance = await Promise.all(inventory.instances.map((instance) => consumedFrom(instance.url, realTopic)));
    expect(perInstance.every((count) => count > 0)).toBe(true);
    expect(perInstance.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(ORDERS);

    await inventory.send(
      TOPICS.supplierEvents,
      envelope('RestockReceived', { purchaseOrderId, sku, quantity: ORDERS, receivedAt: new Date().toISOString(), remainingOnOrder: 0 }, { source: 'supplier' }),
    );
    const allocated = await inventory.waitForEvents(sku, ORDERS, 'BackorderAllocated');
    const queueOrder = [...queued].sort((a, b) => a.data.position - b.data.position).map((event) => event.data.orderId);
    expect(allocated.map((event) => event.data.orderId)).toEqual(queueOrder);
    expect(allocated.every((event) => event.data.quantity === 1 && event.data.remaining === 0)).toBe(true);
    const { body } = await inventory.http('GET', `/skus/${sku}`);
    expect(body).toMatchObject({ onHand: ORDERS, reserved: ORDERS, backordered: 0, queue: [], incoming: [] });
  }, 120_000);
});
