// PlaceOrder and CancelOrder arriving on order.commands: idempotent on the envelope id, the same rules as HTTP, and
// everything the service cannot execute dead-lettered with its reason.
import { randomUUID } from 'node:crypto';
import { DLQ_HEADERS, messageIdentity, TOPICS, type AnyEnvelope } from '@fulfillment/contracts';
import { describe, expect, it } from '@jest/globals';
import { eventually, fileFixture } from '@fulfillment/testing';
import pg from 'pg';
import { OrderServiceHarness } from './support/order-service.harness.js';

const svc = fileFixture(() => OrderServiceHarness.start(), (service) => service.dispose());

const lines = [{ sku: 'SKU-MUG', quantity: 2 }];

/** OrderPlaced events the service published because of the given command. */
const placedBy = (command: AnyEnvelope) =>
  svc.received(TOPICS.orderEvents).map((r) => JSON.parse(r.value) as AnyEnvelope).filter((e) => e.type === 'OrderPlaced' && e.causationid === command.id);

describe('PlaceOrder', () => {
  it('delivered twice places one order, named after the envelope when it names none', async () => {
    const command = svc.envelope('PlaceOrder', { customerId: 'cust-cmd', email: 'grace@example.com', lines }, { source: 'storefront', correlationId: 'flow-1' });
    await svc.send(TOPICS.orderCommands, command);
    await svc.send(TOPICS.orderCommands, command);
    const [placed] = await eventually(() => (placedBy(command).length > 0 ? placedBy(command) : undefined), { what: 'OrderPlaced for the command' });
    const orderId = (placed!.data as { orderId: string }).orderId;
    expect(placed).toMatchObject({ source: 'order', subject: orderId, correlationid: 'flow-1', causationid: command.id });
    expect(placed!.data).toMatchObject({ customerId: 'cust-cmd', email: 'grace@example.com', lines: [{ lineId: `${orderId}-1`, sku: 'SKU-MUG', quantity: 2 }] });

    // A command sent after both copies is handled after them on the same partition (same customer key): once it
    // shows, the duplicate has been handled too, and placed nothing.
    const later = svc.envelope('PlaceOrder', { customerId: 'cust-cmd', lines }, { source: 'storefront' });
    await svc.send(TOPICS.orderCommands, later);
    await eventually(() => (placedBy(later).length > 0 ? true : undefined), { what: 'the later command' });
    expect(placedBy(command)).toHaveLength(1);
    expect(await svc.http('GET', `/orders/${orderId}`)).toMatchObject({ status: 200, body: { orderId, status: 'pending' } });
  });

  it('delivered again after the inbox forgot it, places nothing and dead-letters nothing', async () => {
    const command = svc.envelope('PlaceOrder', { customerId: 'cust-forgotten', lines }, { source: 'storefront' });
    await svc.send(TOPICS.orderCommands, command);
    await eventually(() => (placedBy(command).length > 0 ? true : undefined), { what: 'OrderPlaced for the command' });

    const db = new pg.Client({ connectionString: svc.database.url });
    await db.connect();
    try {
      expect((await db.query('DELETE FROM es_inbox WHERE message_id = $1', [messageIdentity(command)])).rowCount).toBe(1);
    } finally {
      await db.end();
    }
    await svc.send(TOPICS.orderCommands, command);
    const later = svc.envelope('PlaceOrder', { customerId: 'cust-forgotten', lines }, { source: 'storefront' });
    await svc.send(TOPICS.orderCommands, later);
    await eventually(() => (placedBy(later).length > 0 ? true : undefined), { what: 'the later command' });
    expect(placedBy(command)).toHaveLength(1);
    expect(svc.received('order.commands.dlq').filter((r) => r.value.includes(command.id))).toEqual([]);
  });

  it('places the order under the id it names', async () => {
    const orderId = `ord-${randomUUID()}`;
    const command = svc.envelope('PlaceOrder', { orderId, customerId: 'cust-cmd', lines }, { source: 'storefront' });
    await svc.send(TOPICS.orderCommands, command);
    const [placed] = await svc.waitForOrderEvents(orderId, 1);
    expect(placed).toMatchObject({ type: 'OrderPlaced', causationid: command.id });
  });

  it('is dead-lettered when its order id is taken, or when HTTP would refuse it, naming the reason', async () => {
    const orderId = `ord-${randomUUID()}`;
    await svc.send(TOPICS.orderCommands, svc.envelope('PlaceOrder', { orderId, customerId: 'cust-cmd', lines }, { source: 'storefront' }));
    await svc.waitForOrderEvents(orderId, 1);
    const again = svc.envelope('PlaceOrder', { orderId, customerId: 'cust-other', lines }, { source: 'storefront' });
    const tooBig = svc.envelope('PlaceOrder', { customerId: 'cust-cmd', lines: Array.from({ length: 101 }, () => ({ sku: 'S', quantity: 1 })) }, { source: 'storefront' });
    await svc.send(TOPICS.orderCommands, again, tooBig);
    const taken = await svc.waitForDeadLetter(TOPICS.orderCommands, (r) => r.value.includes(again.id));
    expect(taken.headers[DLQ_HEADERS.reason]).toMatch(/^NonRetryableError: order-already-placed: /);
    const refused = await svc.waitForDeadLetter(TOPICS.orderCommands, (r) => r.value.includes(tooBig.id));
    expect(refused.headers[DLQ_HEADERS.reason]).toBe('NonRetryableError: PlaceOrder refused: lines: must have at most 100 lines');
    expect(refused.headers[DLQ_HEADERS.attempts]).toBe('1');
    expect((await svc.http('GET', `/orders/${orderId}`)).body).toMatchObject({ customerId: 'cust-cmd' });
  });
});

describe('CancelOrder', () => {
  it('cancels the order once, however often it is delivered', async () => {
    const orderId = `ord-${randomUUID()}`;
    await svc.send(TOPICS.orderCommands, svc.envelope('PlaceOrder', { orderId, customerId: 'cust-cmd', lines }, { source: 'storefront' }));
    await svc.waitForOrderEvents(orderId, 1);
    const cancel = svc.envelope('CancelOrder', { orderId, reason: 'found it cheaper' }, { source: 'support-desk', correlationId: 'ticket-81' });
    await svc.send(TOPICS.orderCommands, cancel, cancel);
    const events = await svc.waitForOrderEvents(orderId, 2);
    expect(events[1]).toMatchObject({
      type: 'OrderCancelled',
      correlationid: 'ticket-81',
      causationid: cancel.id,
      data: { orderId, customerId: 'cust-cmd', reason: 'found it cheaper' },
    });
    expect(await svc.http('GET', `/orders/${orderId}`)).toMatchObject({ body: { status: 'cancelled' } });
    const history = await svc.http<{ type: string }[]>('GET', `/orders/${orderId}/events`);
    expect(history.body.filter((e) => e.type === 'OrderCancelled')).toHaveLength(1);
  });

  it('for an unknown order is dead-lettered with the reason', async () => {
    const cancel = svc.envelope('CancelOrder', { orderId: 'never-placed' }, { source: 'support-desk' });
    await svc.send(TOPICS.orderCommands, cancel);
    const dead = await svc.waitForDeadLetter(TOPICS.orderCommands, (r) => r.value.includes(cancel.id));
    expect(dead.headers[DLQ_HEADERS.reason]).toMatch(/^NonRetryableError: order-not-found: CancelOrder/);
    expect(dead.key).toBe('never-placed');
  });
});

describe('garbage on order.commands', () => {
  it.each([
    ['text that is not JSON', () => 'PlaceOrder please', /^not valid JSON/],
    ['an envelope without its data', () => JSON.stringify({ ...svc.envelope('CancelOrder', { orderId: 'o-1' }), data: undefined }), /missing required attribute "data"/],
    [
      'a command whose data breaks its schema',
      () => JSON.stringify({ ...svc.envelope('CancelOrder', { orderId: 'o-1' }), data: { orderId: '' } }),
      /data\.orderId: must not be empty/,
    ],
    [
      'a command with a string the database could not store',
      () => JSON.stringify(svc.envelope('CancelOrder', { orderId: 'o-1\u0000' })),
      /^(subject|data\.orderId): must not contain a NUL character$/,
    ],
    ['an event that belongs on another topic', () => JSON.stringify(svc.envelope('StockReserved', { sku: 'S', orderId: 'o', lineId: 'l', customerId: 'c', quantity: 1 })), /does not belong on topic/],
  ])('goes to order.commands.dlq untouched, with the reason: %s', async (_case, value, reason) => {
    const key = `garbage-${randomUUID()}`;
    const bytes = value();
    await svc.sendRaw(TOPICS.orderCommands, [{ key, value: bytes }]);
    const dead = await svc.waitForDeadLetter(TOPICS.orderCommands, (r) => r.key === key);
    expect(dead.value).toBe(bytes);
    expect(dead.headers[DLQ_HEADERS.reason]).toMatch(reason);
    expect(dead.headers[DLQ_HEADERS.sourceTopic]).toMatch(/order\.commands$/);
  });
});
