// The notification service's own settings, seen from outside: a malformed one stops the process with one line naming
// it; an absent SMTP server or webhook endpoint is a channel turned off, not an error.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnService } from '@fulfillment/testing';
import { NotificationHarness } from './support/harness.js';

describe('a bad setting', () => {
  it.each([
    ['SMTP_URL', 'is invalid', { SMTP_URL: 'mail.example.com:25' }],
    ['WEBHOOK_URL', 'is invalid', { WEBHOOK_URL: 'hooks.example.com/in', WEBHOOK_SECRET: 'sixteen-chars-ok' }],
    ['WEBHOOK_SECRET', 'is missing: is required when WEBHOOK_URL is set', { WEBHOOK_URL: 'https://hooks.example.com/in' }],
    ['WEBHOOK_SECRET', 'is invalid ("***"): must be at least 16 characters', { WEBHOOK_URL: 'https://hooks.example.com/in', WEBHOOK_SECRET: 'short' }],
  ])('%s (%s) stops the service with exit 78 and one line naming it', async (setting, problem, env) => {
    const svc = spawnService('notification', { PORT: '3998', ...env });
    expect(await svc.exited).toBe(78);
    const lines = svc.output().trim().split('\n');
    expect(lines).toEqual([expect.stringContaining(`notification-service: invalid configuration: ${setting} ${problem}`)]);
  });
});

describe('without SMTP_URL and WEBHOOK_URL', () => {
  const h = new NotificationHarness();

  beforeAll(() => h.start({ env: { SMTP_URL: '', WEBHOOK_URL: '' } }), 120_000);
  afterAll(() => h.stop(), 60_000);

  it('records the email notification as skipped with the reason, and has no webhook channel', async () => {
    const at = '2026-11-27T16:00:00.000Z';
    await h.produce(
      h.envelope('OrderPlaced', { orderId: 'order-mo', customerId: 'cust-mo', email: 'mo@example.com', lines: [{ lineId: 'line-1', sku: 'SKU-M', quantity: 1 }], placedAt: at }, { time: at }),
      h.envelope('OrderCancelled', { orderId: 'order-mo', customerId: 'cust-mo', reason: 'customer-request' }, { time: at }),
    );
    const list = await h.waitForList('cust-mo', (l) => l.length === 2, 'in-app and email');
    expect(list.map((n) => [n.kind, n.channel])).toEqual([
      ['order-cancelled', 'in-app'],
      ['order-cancelled', 'email'],
    ]);
    expect(await h.query('SELECT channel, status, attempts, last_error FROM deliveries')).toEqual([
      { channel: 'email', status: 'skipped', attempts: 0, last_error: 'SMTP_URL is not set' },
    ]);
    expect(h.svc.output()).not.toContain('mo@example.com');
  });
});
