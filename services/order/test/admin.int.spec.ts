// SPEC 13's admin routes (shared by every service, libs/platform/src/admin) on the order service as a process: its dead
// letters listed with their reasons, re-driven once to their source topic for its own consumer group, and handled
// then; projections and the retention prune; scope admin only.
import { randomUUID } from 'node:crypto';
import { DLQ_HEADERS, REDRIVE_HEADERS, SCOPES, TOPICS, encodeEnvelope } from '@fulfillment/contracts';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, testToken } from '@fulfillment/testing';
import { OrderServiceHarness } from './support/order-service.harness.js';

let svc: OrderServiceHarness;

beforeAll(async () => {
  svc = await OrderServiceHarness.start();
}, 120_000);

afterAll(async () => {
  await svc?.dispose();
}, 60_000);

interface DeadLetterView {
  partition: number;
  offset: string;
  type: string | null;
  id: string | null;
  reason: string | null;
  sourceTopic: string | null;
  redrivenAt: string | null;
  headers: Record<string, string>;
  value: string | null;
}
interface Listing {
  topic: string;
  consumerGroup: string;
  total: number;
  deadLetters: DeadLetterView[];
}

const lines = [{ sku: 'SKU-ADMIN', quantity: 1 }];
const listing = async () => (await svc.http<Listing>('GET', `/admin/dead-letters?topic=${TOPICS.orderCommands}`)).body;

describe('admin routes', () => {
  it('list a command dead-lettered before its order existed, re-drive it once, and the order is cancelled then', async () => {
    const orderId = `ord-${randomUUID()}`;
    const cancel = svc.envelope('CancelOrder', { orderId, reason: 'arrived before the order' }, { source: 'support-desk' });
    await svc.send(TOPICS.orderCommands, cancel);
    const dead = await svc.waitForDeadLetter(TOPICS.orderCommands, (r) => r.value.includes(cancel.id));
    expect(dead.headers[DLQ_HEADERS.reason]).toMatch(/order-not-found/);

    const listed = await eventually(async () => {
      const body = await listing();
      return body.deadLetters.find((d) => d.id === cancel.id);
    }, { what: 'the dead letter listed' });
    expect(listed).toMatchObject({ type: 'CancelOrder', sourceTopic: TOPICS.orderCommands, redrivenAt: null });
    expect(listed.reason).toMatch(/order-not-found/);
    expect(JSON.parse(listed.value!)).toMatchObject({ id: cancel.id, data: { orderId } });

    await svc.send(TOPICS.orderCommands, svc.envelope('PlaceOrder', { orderId, customerId: 'cust-admin', lines }, { source: 'storefront' }));
    await svc.waitForOrderEvents(orderId, 1);

    const name = `${listed.partition}:${listed.offset}`;
    const redriven = await svc.http('POST', '/admin/dead-letters/redrive', { body: { topic: TOPICS.orderCommands, offsets: [name, '0:999999'] } });
    expect(redriven).toMatchObject({ status: 200, body: { topic: TOPICS.orderCommands, redriven: [name], alreadyRedriven: [], notFound: ['0:999999'] } });
    await eventually(async () => ((await svc.http<{ status: string }>('GET', `/orders/${orderId}`)).body.status === 'cancelled' ? true : undefined), {
      what: 'the order cancelled by the re-driven command',
    });
    // Sent back as it was, marked for this service's group and for where it came from.
    const [back] = await svc.waitFor(TOPICS.orderCommands, (r) => r.value.includes(cancel.id) && r.headers[REDRIVE_HEADERS.group] !== undefined);
    expect(back!.headers[REDRIVE_HEADERS.group]).toBe((await listing()).consumerGroup);
    expect(back!.headers[REDRIVE_HEADERS.from]).toMatch(new RegExp(`order\\.commands\\.dlq:${name}$`));
    expect(back!.headers[DLQ_HEADERS.reason]).toBeUndefined();

    // Asking again sends nothing twice, named or not.
    expect((await svc.http('POST', '/admin/dead-letters/redrive', { body: { topic: TOPICS.orderCommands, offsets: [Number(listed.offset)] } })).body).toMatchObject({ redriven: [], alreadyRedriven: [name] });
    expect((await svc.http('POST', '/admin/dead-letters/redrive', { body: { topic: TOPICS.orderCommands } })).body).toMatchObject({ redriven: [], alreadyRedriven: [name] });
    expect(svc.received(TOPICS.orderCommands).filter((r) => r.value.includes(cancel.id))).toHaveLength(2);
    expect((await listing()).deadLetters.find((d) => d.id === cancel.id)!.redrivenAt).toEqual(expect.any(String));
    // Without a topic: the count on each topic the service consumes.
    const counts = await svc.http<{ topics: { topic: string; deadLetters: number; notRedriven: number }[] }>('GET', '/admin/dead-letters');
    expect(counts.body.topics.map((t) => t.topic)).toEqual([TOPICS.inventoryEvents, TOPICS.orderCommands]);
    expect(counts.body.topics.find((t) => t.topic === TOPICS.orderCommands)).toEqual({ topic: TOPICS.orderCommands, deadLetters: 1, notRedriven: 0 });
  });

  it("leave a record re-driven for another consumer group to that group: it is not handled here", async () => {
    const orderId = `ord-${randomUUID()}`;
    const place = svc.envelope('PlaceOrder', { orderId, customerId: 'cust-other-group', lines }, { source: 'storefront' });
    await svc.sendRaw(TOPICS.orderCommands, [{ key: place.subject, value: encodeEnvelope(place), headers: { [REDRIVE_HEADERS.group]: 'some-other-service' } }]);
    await svc.waitUntilConsumed([TOPICS.orderCommands]);
    expect((await svc.http('GET', `/orders/${orderId}`)).status).toBe(404);
    expect(svc.deadLetters(TOPICS.orderCommands).filter((r) => r.value.includes(place.id))).toEqual([]);
  });

  it('refuse a missing or foreign topic and bad offsets naming the field, and callers without the admin scope', async () => {
    const foreign = await svc.http<{ field: string; message: string }>('GET', `/admin/dead-letters?topic=${TOPICS.supplierCommands}`);
    expect(foreign).toMatchObject({ status: 400, body: { field: 'topic' } });
    expect(foreign.body.message).toContain('inventory.events');
    expect(await svc.http('POST', '/admin/dead-letters/redrive', { body: { topic: TOPICS.orderCommands, offsets: ['x'] } })).toMatchObject({ status: 400, body: { field: 'offsets[0]' } });
    expect(await svc.http('GET', `/admin/dead-letters?topic=${TOPICS.orderCommands}&limit=0`)).toMatchObject({ status: 400, body: { field: 'limit' } });

    const staffWithoutAdmin = await testToken({ scopes: [SCOPES.ordersRead, SCOPES.ordersWrite] });
    expect((await svc.http('GET', `/admin/dead-letters?topic=${TOPICS.orderCommands}`, { token: staffWithoutAdmin })).status).toBe(403);
    expect((await svc.http('POST', '/admin/prune', { token: staffWithoutAdmin })).status).toBe(403);
    expect((await svc.http('GET', '/admin/projections', { token: null })).status).toBe(401);
  });

  it('have no projection to rebuild here, say so, and prune on request', async () => {
    expect(await svc.http('GET', '/admin/projections')).toMatchObject({ status: 200, body: [] });
    const unknown = await svc.http<{ message: string }>('POST', '/admin/projections/planning/rebuild');
    expect(unknown).toMatchObject({ status: 404 });
    expect(unknown.body.message).toContain('no projection named planning');
    const pruned = await svc.http<{ pruned: number }>('POST', '/admin/prune');
    expect(pruned.status).toBe(200);
    expect(pruned.body.pruned).toBeGreaterThanOrEqual(0);
  });
});
