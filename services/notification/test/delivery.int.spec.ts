// Email and webhook delivery run beside the consumer: a failing endpoint or a stopped SMTP server is retried with
// backoff, never blocks consumption or other customers' deliveries, and gives up after DELIVERY_MAX_ATTEMPTS.
import { describe, expect, it } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { kinds, notificationWithSmtp, TestWebhookEndpoint, WEBHOOK_SECRET } from './support/harness.js';

const MAX_ATTEMPTS = 5;
const webhook = new TestWebhookEndpoint();
// The SMTP server's port is reserved but nothing listens there yet: the mail server is down.
const service = notificationWithSmtp(
  {
    DELIVERY_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    DELIVERY_RETRY_INITIAL_MS: '500',
    DELIVERY_RETRY_MAX_MS: '2000',
    DELIVERY_TIMEOUT_MS: '3000',
  },
  { webhook, smtpDown: true },
);
const { h } = service;

let second = 0;
const next = () => new Date(Date.UTC(2026, 10, 27, 14, 0, second++)).toISOString();

interface DeliveryRow {
  customer_id: string;
  kind: string;
  channel: string;
  status: string;
  attempts: number;
  last_error: string | null;
}

function deliveriesOf(customerId: string, channel: string): Promise<DeliveryRow[]> {
  return h.query<DeliveryRow>(
    `SELECT n.customer_id, n.kind, d.channel, d.status, d.attempts, d.last_error
     FROM deliveries d JOIN notifications n USING (notification_id)
     WHERE n.customer_id = $1 AND d.channel = $2 ORDER BY n.occurred_at, n.seq`,
    [customerId, channel],
  );
}

/** Waits until the customer's deliveries on `channel` are recorded, the first as sent, and returns them. */
function sentDeliveriesOf(customerId: string, channel: string, what: string): Promise<DeliveryRow[]> {
  return h.eventually(async () => {
    const rows = await deliveriesOf(customerId, channel);
    return rows[0]?.status === 'sent' ? rows : undefined;
  }, what);
}

/** A customer with an order whose only line is backordered: one `backordered` notification per channel. */
async function backorderFor(customerId: string, email?: string): Promise<void> {
  const orderId = `order-${customerId}`;
  const placedAt = next();
  await h.produce(
    h.envelope('OrderPlaced', { orderId, customerId, ...(email ? { email } : {}), lines: [{ lineId: 'line-1', sku: 'SKU-D', quantity: 1 }], placedAt }, { time: placedAt }),
    h.envelope('BackorderQueued', { sku: 'SKU-D', orderId, lineId: 'line-1', customerId, quantity: 1, position: 1, expectedAt: null, preorder: false, substitutes: [] }, { time: next() }),
  );
}

describe('a webhook endpoint failing for one customer', () => {
  it('is retried until it accepts, delivering once, while other customers are delivered meanwhile', async () => {
    webhook.failFirst('cust-hal', 2);
    await backorderFor('cust-hal');
    await backorderFor('cust-ivy');

    const halOk = await h.eventually(() => webhook.delivered('cust-hal')[0], "Hal's webhook after two failures", 20_000);
    const halRequests = webhook.received.filter((hook) => hook.body.customerId === 'cust-hal');
    expect(halRequests.map((hook) => hook.status)).toEqual([500, 500, 204]);
    expect(new Set(halRequests.map((hook) => hook.headers['webhook-id'])).size).toBe(1);
    expect(halRequests.map((hook) => hook.headers['x-webhook-attempt'])).toEqual(['1', '2', '3']);
    // Every attempt is signed afresh over the same id, as a Standard Webhooks receiver checks it.
    const receiver = new Webhook(Buffer.from(WEBHOOK_SECRET), { format: 'raw' });
    for (const hook of halRequests) expect(receiver.verify(hook.rawBody, hook.headers as Record<string, string>)).toEqual(hook.body);

    // Ivy was not held up behind Hal's retries.
    const ivy = webhook.delivered('cust-ivy');
    expect(ivy).toHaveLength(1);
    expect(webhook.received.indexOf(ivy[0]!)).toBeLessThan(webhook.received.indexOf(halOk));

    // The endpoint has answered before the service records the answer.
    const hal = await sentDeliveriesOf('cust-hal', 'webhook', "Hal's delivery recorded as sent");
    expect(hal).toEqual([
      { customer_id: 'cust-hal', kind: 'backordered', channel: 'webhook', status: 'sent', attempts: 3, last_error: null },
    ]);
  }, 30_000);

  it('that does not answer is timed out and retried, while another customer is delivered meanwhile', async () => {
    webhook.hangFirst('cust-pat', 1);
    await backorderFor('cust-pat');
    await h.eventually(() => webhook.received.find((hook) => hook.body.customerId === 'cust-pat'), "Pat's first request");
    await backorderFor('cust-quinn');

    const patOk = await h.eventually(() => webhook.delivered('cust-pat')[0], "Pat's webhook after the timeout", 20_000);
    const quinn = webhook.delivered('cust-quinn');
    expect(quinn).toHaveLength(1);
    expect(webhook.received.indexOf(quinn[0]!)).toBeLessThan(webhook.received.indexOf(patOk));
    expect(webhook.received.filter((hook) => hook.body.customerId === 'cust-pat').map((hook) => hook.status)).toEqual([0, 204]);
    const [pat] = await sentDeliveriesOf('cust-pat', 'webhook', "Pat's delivery recorded as sent");
    expect(pat).toMatchObject({ attempts: 2 });
    expect(h.svc.output()).toMatch(/"reason":"TimeoutError: [^"]*".*"msg":"notification delivery failed; will retry"/);
  }, 30_000);

  it('that never accepts is given up after the last attempt, with the reason kept', async () => {
    webhook.failFirst('cust-kim', 1_000);
    await backorderFor('cust-kim');
    const [row] = await h.eventually(
      async () => {
        const rows = await deliveriesOf('cust-kim', 'webhook');
        return rows[0]?.status === 'failed' ? rows : undefined;
      },
      'the delivery to fail for good',
      20_000,
    );
    expect(row).toMatchObject({ attempts: MAX_ATTEMPTS, last_error: 'WebhookHttpError: webhook endpoint answered HTTP 500' });
    expect(webhook.received.filter((hook) => hook.body.customerId === 'cust-kim')).toHaveLength(MAX_ATTEMPTS);
  }, 30_000);
});

describe('the SMTP server down', () => {
  it('retries the emails while consumption goes on, and sends them once it is back', async () => {
    await backorderFor('cust-jo', 'jo@example.com');
    await backorderFor('cust-ned', 'ned@example.com');
    // Consumption is not held up: the notifications are recorded and listed while no mail can go out.
    await h.waitForList('cust-jo', (l) => kinds(l, 'email').length === 1, "Jo's email notification recorded");

    const [failing] = await h.eventually(
      async () => {
        const rows = await deliveriesOf('cust-jo', 'email');
        return rows[0] && rows[0].attempts >= 2 ? rows : undefined;
      },
      'two failed attempts',
      15_000,
    );
    expect(failing).toMatchObject({ status: 'pending', last_error: expect.stringContaining('ECONNREFUSED') });

    // Ned's address is erased before his mail could go out: it is skipped, not sent to a forgotten address.
    await h.query('DELETE FROM customer_emails WHERE customer_id = $1', ['cust-ned']);

    const moved = next();
    await h.produce(
      h.envelope(
        'BackorderEtaChanged',
        { sku: 'SKU-D', orderId: 'order-cust-jo', lineId: 'line-1', customerId: 'cust-jo', previousExpectedAt: null, expectedAt: '2026-12-15T09:00:00.000Z' },
        { time: moved },
      ),
    );
    await h.waitForList('cust-jo', (l) => kinds(l).includes('backorder-eta-changed'), 'the next change read meanwhile');

    await service.smtp.start();
    const mails = await h.waitForMails(service.smtp, 'jo@example.com', 2, 20_000);
    expect(mails.map((mail) => mail.subject).sort()).toEqual([
      'New expected date for SKU-D on order order-cust-jo',
      'SKU-D is on backorder for order order-cust-jo',
    ]);
    // The server has the mail before the service hears its answer and records it.
    await h.eventually(
      async () => ((await deliveriesOf('cust-jo', 'email')).every((row) => row.status === 'sent') ? true : undefined),
      "Jo's deliveries recorded as sent",
    );

    const [ned] = await h.eventually(
      async () => {
        const rows = await deliveriesOf('cust-ned', 'email');
        return rows[0]?.status === 'skipped' ? rows : undefined;
      },
      "Ned's email to be skipped",
    );
    expect(ned!.last_error).toBe('no email address on file for the customer');
    expect(service.smtp.mailsTo('ned@example.com')).toEqual([]);
  }, 45_000);

  it('a server refusing the recipient with the address in its reply: retried, and the address reaches no log', async () => {
    service.smtp.rejectFirst('lee@example.com', 1);
    await backorderFor('cust-lee', 'lee@example.com');
    await h.waitForMails(service.smtp, 'lee@example.com', 1, 15_000);
    const [lee] = await sentDeliveriesOf('cust-lee', 'email', "Lee's delivery recorded as sent");
    expect(lee).toMatchObject({ attempts: 2 });
    const logs = h.svc.output();
    expect(logs).toMatch(/EENVELOPE 450: .*\[email\]/);
    for (const address of ['jo@example.com', 'ned@example.com', 'lee@example.com']) expect(logs).not.toContain(address);
  }, 30_000);
});
