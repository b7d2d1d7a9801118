// SPEC 13 (retention): DELETE /customers/:customerId/contact on the notification service as a process (real Kafka,
// PostgreSQL and SMTP server): the customer's address is erased through the customer's pipeline, nothing is emailed to
// it afterwards, and no table of the service holds it any more; in-app notifications go on.
import { describe, expect, it } from '@jest/globals';
import { testToken } from '@fulfillment/testing';
import { kinds, notificationWithSmtp } from './support/harness.js';

const service = notificationWithSmtp({ DELIVERY_POLL_MS: '100' });
const { h } = service;

let second = 0;
const next = () => new Date(Date.UTC(2026, 10, 28, 9, 0, second++)).toISOString();
const erase = (customerId: string, options: { token?: string; headers?: Record<string, string> } = {}) =>
  h.svc.http('DELETE', `/customers/${encodeURIComponent(customerId)}/contact`, options);

/** Tables of the service's database (event store, read models, queues) whose rows mention `text` anywhere. */
async function tablesMentioning(text: string): Promise<string[]> {
  const tables = await h.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
  const found: string[] = [];
  for (const { name } of tables) {
    const [row] = await h.query<{ n: string }>(`SELECT count(*) AS n FROM "${name}" t WHERE t::text LIKE $1`, [`%${text}%`]);
    if (Number(row!.n) > 0) found.push(name);
  }
  return found;
}

describe('DELETE /customers/:customerId/contact', () => {
  it('erases the address: later changes are told in-app but never emailed, and no table holds the address', async () => {
    const customerId = 'cust-erase';
    const address = 'erase-me@example.com';
    const orderId = 'order-erase';
    const placedAt = next();
    await h.produce(
      h.envelope('OrderPlaced', { orderId, customerId, email: address, lines: [{ lineId: 'line-1', sku: 'SKU-E', quantity: 1 }, { lineId: 'line-2', sku: 'SKU-F', quantity: 1 }], placedAt }, { time: placedAt }),
      h.envelope('BackorderQueued', { sku: 'SKU-E', orderId, lineId: 'line-1', customerId, quantity: 1, position: 1, expectedAt: null, preorder: false, substitutes: [] }, { time: next() }),
    );
    await h.waitForMails(service.smtp, address, 1);
    expect(await tablesMentioning(address)).toEqual(['customer_emails']);

    // Only an admin may erase; a customer may not even erase their own.
    expect((await erase(customerId, { token: await testToken({ scopes: ['notifications:read'] }) })).status).toBe(403);
    expect((await erase(customerId, { token: await testToken({ scopes: ['customer'], subject: customerId }) })).status).toBe(403);
    expect((await erase('cust-never-heard-of')).status).toBe(404);

    const first = await erase(customerId, { token: await testToken({ scopes: ['admin'] }) });
    expect(first.status).toBe(204);
    expect(await tablesMentioning(address)).toEqual([]);
    const facts = await h.query<{ event_type: string; data: unknown }>(
      `SELECT event_type, data FROM es_events WHERE stream_id = $1 ORDER BY stream_version`,
      [`customer-${customerId}`],
    );
    expect(facts.map((fact) => fact.event_type)).toContain('ContactErased');
    expect(facts.at(-1)).toMatchObject({ event_type: 'ContactErased', data: { customerId } });

    // Idempotent: again, and with an Idempotency-Key twice, 204 and nothing more recorded.
    expect((await erase(customerId)).status).toBe(204);
    const keyed = await erase(customerId, { headers: { 'Idempotency-Key': 'erase-1' } });
    const replayed = await erase(customerId, { headers: { 'Idempotency-Key': 'erase-1' } });
    expect([keyed.status, replayed.status]).toEqual([204, 204]);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    const [{ n }] = (await h.query<{ n: string }>(`SELECT count(*) AS n FROM es_events WHERE stream_id = $1 AND event_type = 'ContactErased'`, [`customer-${customerId}`])) as [{ n: string }];
    expect(Number(n)).toBe(1);

    // A later change is told in-app, not by email: no email notification is even decided.
    await h.produce(h.envelope('StockUnavailable', { sku: 'SKU-F', orderId, lineId: 'line-2', customerId, quantity: 1, substitutes: [] }, { time: next() }));
    const list = await h.waitForList(customerId, (l) => kinds(l).includes('out-of-stock'), 'the out-of-stock notice in-app');
    expect(kinds(list)).toEqual(['backordered', 'out-of-stock']);
    expect(kinds(list, 'email')).toEqual(['backordered']);
    await h.waitUntilConsumed();
    await new Promise((resolve) => setTimeout(resolve, 1000)); // delivery polls every 100 ms
    expect(service.smtp.mailsTo(address)).toHaveLength(1);
    expect(await tablesMentioning(address)).toEqual([]);

    // The customer's notifications still read as before.
    expect((await h.notificationsOf(customerId)).status).toBe(200);
  }, 120_000);

  it('answers 204 for a known customer who never gave an address, recording nothing', async () => {
    const customerId = 'cust-no-address';
    const placedAt = next();
    await h.produce(h.envelope('OrderPlaced', { orderId: 'order-no-address', customerId, lines: [{ lineId: 'line-1', sku: 'SKU-G', quantity: 1 }], placedAt }, { time: placedAt }));
    await h.eventually(async () => ((await h.notificationsOf(customerId)).status === 200 ? true : undefined), 'the customer known');
    expect((await erase(customerId)).status).toBe(204);
    expect(await h.query(`SELECT 1 FROM es_events WHERE event_type = 'ContactErased' AND stream_id = $1`, [`customer-${customerId}`])).toEqual([]);
  }, 60_000);
});
