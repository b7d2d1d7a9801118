// Upgrades lose nothing: this build starts on the databases the first release (0.1, commit in the manifest) wrote, as
// dumped by infra/upgrade/make-release-fixture.mjs, migrates them, and reads every order, queue, purchase order and
// notification as the release left them; keys and inbox rows the release recorded still work, and the story goes on.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TOPICS, type AnyEnvelope } from '@fulfillment/contracts';
import { createTestDatabase, eventually, repoRoot, startSystem, type RunningSystem, type ServiceKey, type TestDatabase } from '@fulfillment/testing';

interface Manifest {
  release: string;
  purchaseOrderId: string;
  orders: { orderId: string; customerId: string; idempotencyKey?: string; request?: unknown; view: Record<string, unknown> & { lines: object[] }; events: number }[];
  skus: Record<string, { onHand: number; reserved: number; available: number; backordered: number; queue: object[]; incoming: object[] }>;
  notifications: Record<string, { notificationId: string; kind: string; channel: string; message: string }[]>;
  purchaseOrder: Record<string, unknown>;
  redeliver: AnyEnvelope;
}

const SERVICES: ServiceKey[] = ['order', 'inventory', 'supplier', 'notification'];
const fixture = path.join(repoRoot(), 'e2e/fixtures/release-0.1');
const manifest = JSON.parse(fs.readFileSync(path.join(fixture, 'manifest.json'), 'utf8')) as Manifest;

describe(`a database written by release 0.1 (${manifest.release.slice(0, 7)})`, () => {
  let system: RunningSystem;
  const databases: Partial<Record<ServiceKey, TestDatabase>> = {};

  beforeAll(async () => {
    for (const service of SERVICES) {
      const database = await createTestDatabase(`upgrade_${service}`);
      databases[service] = database;
      // pg_dump's custom format; `pg_restore -f - <file>` prints it as SQL.
      execFileSync('pg_restore', ['--exit-on-error', '--no-owner', '--no-privileges', '-d', database.url, path.join(fixture, `${service}.dump`)], { stdio: ['ignore', 'ignore', 'pipe'] });
    }
    system = await startSystem({ databases: Object.fromEntries(SERVICES.map((service) => [service, databases[service]!.url])) });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
    await Promise.all(Object.values(databases).map((database) => database!.drop()));
  }, 60_000);

  it('shows every order as the release left it (with the line view of today: nothing shipped)', async () => {
    for (const order of manifest.orders) {
      const view = await system.http<Record<string, unknown>>('order', 'GET', `/orders/${order.orderId}`);
      expect(view.status).toBe(200);
      expect(view.body).toEqual({ ...order.view, lines: order.view.lines.map((line) => ({ ...line, shipped: 0 })) });
      const history = await system.http<unknown[]>('order', 'GET', `/orders/${order.orderId}/events`);
      expect(history.body).toHaveLength(order.events);
    }
  });

  it('keeps the FIFO queues, stock and purchase orders', async () => {
    for (const [sku, before] of Object.entries(manifest.skus)) {
      const { body } = await system.http<typeof before>('inventory', 'GET', `/skus/${sku}`);
      expect(body).toMatchObject({ onHand: before.onHand, reserved: before.reserved, available: before.available, backordered: before.backordered, incoming: before.incoming });
      expect(body.queue).toEqual(before.queue.map((line) => ({ ...line, preorder: false })));
    }
    expect((await system.http('supplier', 'GET', `/purchase-orders/${manifest.purchaseOrderId}`)).body).toEqual(manifest.purchaseOrder);
  });

  it("lists every customer's notifications as before", async () => {
    for (const [customerId, before] of Object.entries(manifest.notifications)) {
      expect((await system.http('notification', 'GET', `/customers/${customerId}/notifications`)).body).toEqual(before);
    }
  });

  it('replays a request retried with an Idempotency-Key the release recorded, and refuses the key for another request', async () => {
    const order = manifest.orders.find((candidate) => candidate.idempotencyKey !== undefined)!;
    const retried = await system.http<{ orderId: string }>('order', 'POST', '/orders', { body: order.request, headers: { 'Idempotency-Key': order.idempotencyKey! } });
    expect(retried.status).toBe(202);
    expect(retried.body.orderId).toBe(order.orderId);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    const other = await system.http('order', 'POST', '/orders', {
      body: { customerId: 'someone-else', lines: [{ sku: 'SKU-MUG', quantity: 1 }] },
      headers: { 'Idempotency-Key': order.idempotencyKey! },
    });
    expect(other).toMatchObject({ status: 422, body: { field: 'Idempotency-Key' } });
    // The supplier derived the purchase order's id from the key: the retry finds it rather than ordering again.
    const po = manifest.purchaseOrder as { sku: string; quantity: number; expectedAt: string; purchaseOrderId: string };
    const again = await system.http<{ purchaseOrderId: string }>('supplier', 'POST', '/purchase-orders', {
      body: { sku: po.sku, quantity: po.quantity, expectedAt: po.expectedAt },
      headers: { 'Idempotency-Key': 'release-po-1' },
    });
    expect(again.body.purchaseOrderId).toBe(po.purchaseOrderId);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
  });

  it('applies a command the release consumed only once, though it is delivered again', async () => {
    await system.publish(TOPICS.orderCommands, manifest.redeliver);
    // A later command on the same key and partition: once it is answered, the redelivered one was read before it.
    const marker = { ...manifest.redeliver, id: crypto.randomUUID(), data: { ...(manifest.redeliver.data as object), customerId: 'cust-marker' } } as AnyEnvelope;
    await system.publish(TOPICS.orderCommands, marker);
    await eventually(async () => ((await system.http<unknown[]>('order', 'GET', '/orders?customerId=cust-marker')).body.length === 1 ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the marker command answered',
    });
    const cust5 = await system.http<unknown[]>('order', 'GET', '/orders?customerId=cust-5');
    expect(cust5.body).toHaveLength(1);
  });

  it('goes on with the story: the rest of the purchase order goes to the head of the restored queue', async () => {
    const waiting = manifest.orders.find((order) => order.view.status === 'backordered')!;
    const received = await system.http('supplier', 'POST', `/purchase-orders/${manifest.purchaseOrderId}/receipts`, { body: { quantity: 2 } });
    expect(received.status).toBe(202);
    await eventually(async () => ((await system.http<{ status: string }>('order', 'GET', `/orders/${waiting.orderId}`)).body.status === 'confirmed' ? true : undefined), {
      timeoutMs: 60_000,
      what: 'the waiting order allocated',
    });
    const told = await eventually(
      async () => {
        const list = (await system.http<{ kind: string; channel: string }[]>('notification', 'GET', `/customers/${waiting.customerId}/notifications`)).body;
        return list.some((n) => n.kind === 'backorder-allocated') ? list : undefined;
      },
      { timeoutMs: 60_000, what: 'the customer told of the allocation' },
    );
    // Told once, in-app and by email (the address the release kept is still on file).
    expect(told.filter((n) => n.kind === 'backorder-allocated').map((n) => n.channel).sort()).toEqual(['email', 'in-app']);
  });
});
