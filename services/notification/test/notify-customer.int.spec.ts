// Events in, notifications out: the service as a process on the real broker and database, mailing a real SMTP server
// and posting to a real HTTP endpoint.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { DLQ_HEADERS, TOPICS, type AnyEnvelope } from '@fulfillment/contracts';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { kinds, notificationWithSmtp, TestWebhookEndpoint, WEBHOOK_SECRET, type NotificationView } from './support/harness.js';

const webhook = new TestWebhookEndpoint();
const service = notificationWithSmtp({}, { webhook });
const { h } = service;

const ADA = { id: 'cust-ada', email: 'ada.lovelace@example.com' };
const BOB = { id: 'cust-bob', email: 'bob.builder@example.com' };
const CY = { id: 'cust-cy', email: 'cy.twombly@example.com' };
const DEE = { id: 'cust-dee' }; // gave no address

const at = (second: number) => new Date(Date.UTC(2026, 10, 27, 10, 0, second)).toISOString();
const line = (sku: string, quantity: number) => ({ lineId: 'line-1', sku, quantity });
const produced: AnyEnvelope[] = [];

async function produce(...envelopes: AnyEnvelope[]) {
  produced.push(...envelopes);
  await h.produce(...envelopes);
}

beforeAll(async () => {
  // Ada: a backordered line whose date moves, then filled in two receipts.
  const adaLine = { sku: 'SKU-MUG-350', orderId: 'order-ada', lineId: 'line-1', customerId: ADA.id };
  await produce(
    h.envelope('OrderPlaced', { orderId: 'order-ada', customerId: ADA.id, email: ADA.email, lines: [line('SKU-MUG-350', 2)], placedAt: at(0) }, { time: at(0) }),
    h.envelope('BackorderQueued', { ...adaLine, quantity: 2, position: 1, expectedAt: '2026-12-04T08:00:00.000Z', preorder: false, substitutes: [] }, { time: at(1) }),
    h.envelope('BackorderEtaChanged', { ...adaLine, previousExpectedAt: '2026-12-04T08:00:00.000Z', expectedAt: '2026-12-09T08:00:00.000Z' }, { time: at(2) }),
    h.envelope('BackorderAllocated', { ...adaLine, quantity: 1, remaining: 1 }, { time: at(3) }),
    h.envelope('BackorderAllocated', { ...adaLine, quantity: 1, remaining: 0 }, { time: at(4) }),
  );
  // Bob: confirmed at once, then cancelled; the cancellation is published twice under different ids.
  const bobView = { lineId: 'line-1', sku: 'SKU-KETTLE', quantity: 1, reserved: 1, allocated: 0, backordered: 0, unavailable: 0, released: 0, shipped: 0, expectedAt: null };
  await produce(
    h.envelope('OrderPlaced', { orderId: 'order-bob', customerId: BOB.id, email: BOB.email, lines: [line('SKU-KETTLE', 1)], placedAt: at(5) }, { time: at(5) }),
    h.envelope('OrderStatusChanged', { orderId: 'order-bob', customerId: BOB.id, status: 'confirmed', lines: [bobView] }, { time: at(6) }),
    h.envelope('OrderCancelled', { orderId: 'order-bob', customerId: BOB.id, reason: 'customer-request' }, { time: at(7) }),
    h.envelope('OrderCancelled', { orderId: 'order-bob', customerId: BOB.id, reason: 'customer-request' }, { time: at(8) }),
  );
  // Cy and Dee: told a lamp is out of stock (with a substitute), then it comes back, and the news is repeated.
  await produce(
    h.envelope('OrderPlaced', { orderId: 'order-cy', customerId: CY.id, email: CY.email, lines: [line('SKU-LAMP', 1)], placedAt: at(9) }, { time: at(9) }),
    h.envelope('OrderPlaced', { orderId: 'order-dee', customerId: DEE.id, lines: [line('SKU-LAMP', 1)], placedAt: at(9) }, { time: at(9) }),
    h.envelope('StockUnavailable', { sku: 'SKU-LAMP', orderId: 'order-cy', lineId: 'line-1', customerId: CY.id, quantity: 1, substitutes: ['SKU-LAMP-XL'] }, { time: at(10) }),
    h.envelope('StockUnavailable', { sku: 'SKU-LAMP', orderId: 'order-dee', lineId: 'line-1', customerId: DEE.id, quantity: 1, substitutes: ['SKU-LAMP-XL'] }, { time: at(11) }),
    h.envelope('BackInStock', { sku: 'SKU-LAMP', available: 4 }, { time: at(12) }),
    h.envelope('BackInStock', { sku: 'SKU-LAMP', available: 3 }, { time: at(13) }),
  );
  await h.waitUntilConsumed();
}, 120_000);

describe('a backordered line (Ada)', () => {
  let list: NotificationView[];

  beforeAll(async () => {
    list = await h.waitForList(ADA.id, (l) => l.length === 12, 'four changes on three channels');
  });

  it('is told queued, date moved, and each of two partial allocations, in the order they happened, on every channel', () => {
    const expected = ['backordered', 'backorder-eta-changed', 'backorder-allocated', 'backorder-allocated'];
    expect(kinds(list, 'in-app')).toEqual(expected);
    expect(kinds(list, 'email')).toEqual(expected);
    expect(kinds(list, 'webhook')).toEqual(expected);
    expect(list.every((n) => n.orderId === 'order-ada' && n.sku === 'SKU-MUG-350')).toBe(true);
    expect(new Set(list.map((n) => n.notificationId)).size).toBe(12);
  });

  it('gets the backorder email, with the promised date, at the address given with the order', async () => {
    const mails = await h.waitForMails(service.smtp, ADA.email, 4);
    const backordered = mails.find((mail) => mail.subject === 'SKU-MUG-350 is on backorder for order order-ada');
    expect(backordered?.text).toContain('Friday, 4 December 2026');
    const moved = mails.find((mail) => mail.subject === 'New expected date for SKU-MUG-350 on order order-ada');
    expect(moved?.text).toContain('Wednesday, 9 December 2026 instead of Friday, 4 December 2026');
    expect(mails.map((mail) => mail.headers['x-notification-id']).sort()).toEqual(
      list.filter((n) => n.channel === 'email').map((n) => n.notificationId).sort(),
    );
  });

  it('is posted to the webhook, signed with the shared secret, once per notification', async () => {
    const webhookIds = list.filter((n) => n.channel === 'webhook').map((n) => n.notificationId);
    const hooks = await h.eventually(() => (webhook.delivered(ADA.id).length === 4 ? webhook.delivered(ADA.id) : undefined), 'four webhooks for Ada');
    expect(hooks.map((hook) => hook.headers['webhook-id']).sort()).toEqual([...webhookIds].sort());
    // Checked as a receiver would, with the official Standard Webhooks library.
    const receiver = new Webhook(Buffer.from(WEBHOOK_SECRET), { format: 'raw' });
    for (const hook of hooks) {
      expect(receiver.verify(hook.rawBody, hook.headers as Record<string, string>)).toEqual(hook.body);
      expect(hook.body.id).toBe(hook.headers['webhook-id']);
      expect(hook.rawBody).not.toContain(ADA.email);
    }
    const stranger = new Webhook(Buffer.from('not-the-secret-at-all'), { format: 'raw' });
    expect(() => stranger.verify(hooks[0]!.rawBody, hooks[0]!.headers as Record<string, string>)).toThrow(WebhookVerificationError);
  });

  it('is never told order-confirmed for an order that waited', async () => {
    const view = { lineId: 'line-1', sku: 'SKU-MUG-350', quantity: 2, reserved: 0, allocated: 2, backordered: 0, unavailable: 0, released: 0, shipped: 0, expectedAt: null };
    await produce(h.envelope('OrderStatusChanged', { orderId: 'order-ada', customerId: ADA.id, status: 'confirmed', lines: [view] }, { time: at(20) }));
    await h.waitUntilConsumed();
    expect(kinds(await h.listOf(ADA.id))).not.toContain('order-confirmed');
  });
});

describe('an order confirmed and then cancelled (Bob)', () => {
  it('is told order-confirmed once and order-cancelled once, although the cancellation was published twice', async () => {
    const list = await h.waitForList(BOB.id, (l) => l.length === 6, 'two changes on three channels');
    expect(kinds(list)).toEqual(['order-confirmed', 'order-cancelled']);
    expect(list.filter((n) => n.channel === 'in-app').map((n) => n.sku)).toEqual([null, null]);
    expect(list.find((n) => n.kind === 'order-confirmed')?.message).toContain('1 unit of SKU-KETTLE');
  });
});

describe('a line out of stock (Cy with an address, Dee without)', () => {
  it('is told out of stock naming the substitute, then back in stock once, although BackInStock came twice', async () => {
    const cy = await h.waitForList(CY.id, (l) => l.length === 6, 'two changes on three channels for Cy');
    expect(kinds(cy)).toEqual(['out-of-stock', 'back-in-stock']);
    expect(cy.find((n) => n.kind === 'out-of-stock')?.message).toContain('SKU-LAMP-XL');
    expect(cy.find((n) => n.kind === 'back-in-stock')?.orderId).toBe('order-cy');

    const dee = await h.waitForList(DEE.id, (l) => l.length === 4, 'two changes on two channels for Dee');
    expect(kinds(dee)).toEqual(['out-of-stock', 'back-in-stock']);
    expect(kinds(dee, 'webhook')).toEqual(['out-of-stock', 'back-in-stock']);
    expect(kinds(dee, 'email')).toEqual([]);
  });
});

describe('what the service publishes', () => {
  it('is one CustomerNotified per notification on notification.events, keyed by customer, without addresses', async () => {
    const all = (await Promise.all([ADA, BOB, CY, DEE].map((c) => h.listOf(c.id)))).flat();
    const published = await h.eventually(
      () => (h.customerNotified().length >= all.length ? h.customerNotified() : undefined),
      'every CustomerNotified',
    );
    expect(published.map((e) => e.id).sort()).toEqual(all.map((n) => n.notificationId).sort());
    for (const envelope of published) {
      expect(envelope).toMatchObject({ type: 'CustomerNotified', source: 'notification' });
      const data = envelope.data as { customerId: string; notificationId: string };
      expect(envelope.subject).toBe(data.customerId);
      expect(data.notificationId).toBe(envelope.id);
    }
    const values = h.published.map((record) => record.value).join('\n');
    for (const { email } of [ADA, BOB, CY]) expect(values).not.toContain(email);
  });

  it('continues the flow of the event that caused it (correlation and causation ids)', () => {
    const cause = produced.find((e) => e.type === 'BackorderQueued')!;
    const caused = h.customerNotified(ADA.id).filter((e) => e.causationid === cause.id);
    expect(caused).toHaveLength(3);
    expect(caused.every((e) => e.correlationid === cause.correlationid)).toBe(true);
  });
});

describe('metrics', () => {
  it('count notifications by kind and channel, and delivery attempts by outcome', async () => {
    const text = await (await fetch(`${h.svc.url}/metrics`)).text();
    expect(text).toMatch(/^notifications_recorded_total\{kind="backorder-allocated",channel="email",service="notification"\} 2$/m);
    expect(text).toMatch(/^notification_delivery_attempts_total\{channel="webhook",outcome="sent",service="notification"\} \d+$/m);
  });
});

describe('redelivery', () => {
  it('of every event three more times changes nothing: same list, nothing published, mailed or posted again', async () => {
    const customers = [ADA.id, BOB.id, CY.id, DEE.id];
    // Let the first round settle completely (every delivery done, the outbox drained) before counting.
    await h.eventually(async () => {
      const [{ busy }] = await h.query<{ busy: string }>(
        `SELECT (SELECT count(*) FROM deliveries WHERE status = 'pending') + (SELECT count(*) FROM es_outbox) AS busy`,
      );
      return Number(busy) === 0 ? true : undefined;
    }, 'deliveries and outbox to settle');
    const before = await Promise.all(customers.map((id) => h.listOf(id)));
    const publishedBefore = h.customerNotified().length;
    const mailsBefore = service.smtp.mails.length;
    const hooksBefore = webhook.received.length;

    for (let round = 0; round < 3; round++) await h.produce(...produced);
    await h.waitUntilConsumed();

    expect(await Promise.all(customers.map((id) => h.listOf(id)))).toEqual(before);
    // The relay and the delivery worker would act within their poll intervals; give them several.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(h.customerNotified()).toHaveLength(publishedBefore);
    expect(service.smtp.mails).toHaveLength(mailsBefore);
    expect(webhook.received).toHaveLength(hooksBefore);
  }, 60_000);
});

describe('events the domain does not react to', () => {
  it('are consumed without effect: no notification, no dead letter', async () => {
    const before = await Promise.all([ADA, BOB, CY, DEE].map((c) => h.listOf(c.id)));
    await h.produce(
      h.envelope('PurchaseOrderPlaced', { purchaseOrderId: 'po-1', sku: 'SKU-MUG-350', quantity: 10, expectedAt: '2026-12-04T08:00:00.000Z' }, { time: at(30) }),
      h.envelope('StockReserved', { sku: 'SKU-MUG-350', orderId: 'order-ada', lineId: 'line-1', customerId: ADA.id, quantity: 1 }, { time: at(31) }),
    );
    await h.waitUntilConsumed();
    expect(await Promise.all([ADA, BOB, CY, DEE].map((c) => h.listOf(c.id)))).toEqual(before);
    expect(h.deadLetters(TOPICS.supplierEvents)).toEqual([]);
  });
});

describe('bad input', () => {
  it('a record that is not an envelope goes to the topic\'s .dlq with the reason, and the partition moves on', async () => {
    await h.produceRaw(TOPICS.inventoryEvents, 'SKU-X', '{"not": "an envelope"');
    const dead = await h.eventually(() => h.deadLetters(TOPICS.inventoryEvents)[0], 'a dead letter');
    expect(dead.value).toBe('{"not": "an envelope"');
    expect(dead.headers[DLQ_HEADERS.reason]).toMatch(/JSON/i);
    await h.waitUntilConsumed();
  });

  it('GET for a customer never heard of is 404, for an id that is too long 400 naming the field', async () => {
    expect((await h.notificationsOf('cust-nobody')).status).toBe(404);
    const tooLong = await h.notificationsOf('x'.repeat(201));
    expect(tooLong).toEqual({
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: 'customerId: must be at most 200 characters', field: 'customerId' },
    });
  });
});

describe('personal data', () => {
  it('addresses are in customer_emails only: not in stored facts, snapshots or the outbox, and never in the logs', async () => {
    const emails = await h.query<{ customer_id: string; email: string }>('SELECT customer_id, email FROM customer_emails ORDER BY customer_id');
    expect(emails).toEqual([
      { customer_id: ADA.id, email: ADA.email },
      { customer_id: BOB.id, email: BOB.email },
      { customer_id: CY.id, email: CY.email },
    ]);
    const leaks = await h.query<{ n: string }>(
      `SELECT (SELECT count(*) FROM es_events WHERE data::text LIKE '%@%')
            + (SELECT count(*) FROM es_snapshots WHERE state::text LIKE '%@%')
            + (SELECT count(*) FROM es_outbox WHERE value LIKE '%@%') AS n`,
    );
    expect(Number(leaks[0]!.n)).toBe(0);
    const logs = h.svc.output();
    expect(logs).toContain('notification delivered');
    for (const { email } of [ADA, BOB, CY]) expect(logs).not.toContain(email);
  });
});
