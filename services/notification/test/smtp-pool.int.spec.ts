// Emails go out over a pool of reused SMTP connections, at most DELIVERY_CONCURRENCY of them, each email once; a
// server that restarts meanwhile is reconnected to and the emails it missed are sent then. Counted, not timed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually } from '@fulfillment/testing';
import { freePort, NotificationHarness, TestSmtpServer } from './support/harness.js';

const h = new NotificationHarness();
let smtp: TestSmtpServer;
const CONNECTIONS = 2;
let second = 0;
const next = () => new Date(Date.UTC(2026, 10, 28, 9, 0, second++)).toISOString();

/** A customer with an email whose order's only line is backordered: one `backordered` email. */
async function backorderFor(customerId: string): Promise<void> {
  const orderId = `order-${customerId}`;
  const placedAt = next();
  await h.produce(
    h.envelope('OrderPlaced', { orderId, customerId, email: `${customerId}@shop.example`, lines: [{ lineId: 'line-1', sku: 'SKU-P', quantity: 1 }], placedAt }, { time: placedAt }),
    h.envelope('BackorderQueued', { sku: 'SKU-P', orderId, lineId: 'line-1', customerId, quantity: 1, position: 1, expectedAt: null, preorder: false, substitutes: [] }, { time: next() }),
  );
}
const mailsTo = (prefix: string) => smtp.mails.filter((m) => m.to.some((to) => to.startsWith(prefix)));

beforeAll(async () => {
  smtp = new TestSmtpServer(await freePort());
  await smtp.start();
  await h.start({ env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}`, DELIVERY_CONCURRENCY: String(CONNECTIONS), DELIVERY_RETRY_INITIAL_MS: '200', DELIVERY_RETRY_MAX_MS: '1000' } });
}, 120_000);

afterAll(async () => {
  await h.stop();
  await smtp?.stop();
}, 60_000);

describe('email delivery over pooled SMTP connections', () => {
  it(`sends 30 emails over at most ${CONNECTIONS} connections, each once`, async () => {
    for (let i = 1; i <= 30; i++) await backorderFor(`pool-a${i}`);
    await eventually(() => (mailsTo('pool-a').length >= 30 ? true : undefined), { timeoutMs: 60_000, what: '30 emails' });
    expect(new Set(mailsTo('pool-a').map((m) => m.to[0])).size).toBe(30);
    expect(mailsTo('pool-a')).toHaveLength(30);
    // One connection per email would be 30.
    expect(smtp.connections).toBeGreaterThanOrEqual(1);
    expect(smtp.connections).toBeLessThanOrEqual(CONNECTIONS);
  }, 90_000);

  it('reconnects after the server restarts, and sends what it missed once', async () => {
    const before = smtp.connections;
    await smtp.stop();
    for (let i = 1; i <= 5; i++) await backorderFor(`pool-b${i}`);
    await smtp.start();
    await eventually(() => (mailsTo('pool-b').length >= 5 ? true : undefined), { timeoutMs: 60_000, what: 'the 5 emails after the restart' });
    expect(mailsTo('pool-b')).toHaveLength(5);
    expect(new Set(mailsTo('pool-b').map((m) => m.to[0])).size).toBe(5);
    expect(smtp.connections - before).toBeLessThanOrEqual(CONNECTIONS);
  }, 90_000);
});
