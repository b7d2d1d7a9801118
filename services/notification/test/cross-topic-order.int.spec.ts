// inventory.events and order.events are not ordered with respect to each other: an order's backorder can be read
// before the OrderPlaced that carries the customer's address. The service parks such events until the OrderPlaced is
// read, or until PARK_TIMEOUT_MS has passed.
import { describe, expect, it } from '@jest/globals';
import { kinds, notificationWithSmtp } from './support/harness.js';

const PARK_TIMEOUT_MS = 3_000;
const service = notificationWithSmtp({ PARK_TIMEOUT_MS: String(PARK_TIMEOUT_MS) });
const { h } = service;

const at = (second: number) => new Date(Date.UTC(2026, 10, 27, 12, 0, second)).toISOString();

function orderPlaced(customerId: string, orderId: string, sku: string, email: string | undefined, second: number) {
  return h.envelope(
    'OrderPlaced',
    { orderId, customerId, ...(email ? { email } : {}), lines: [{ lineId: 'line-1', sku, quantity: 2 }], placedAt: at(second) },
    { time: at(second) },
  );
}

async function parkedOf(orderId: string): Promise<string[]> {
  const rows = await h.query<{ event_type: string }>('SELECT event_type FROM parked_events WHERE order_id = $1 ORDER BY seq', [orderId]);
  return rows.map((row) => row.event_type);
}

describe('an inventory event read before its OrderPlaced', () => {
  it('waits, then is told with the email the OrderPlaced brought', async () => {
    const line = { sku: 'SKU-E', orderId: 'order-erin', lineId: 'line-1', customerId: 'cust-erin' };
    await h.produce(h.envelope('BackorderQueued', { ...line, quantity: 2, position: 3, expectedAt: '2026-12-10T09:00:00.000Z', preorder: false, substitutes: [] }, { time: at(2) }));
    await h.waitUntilConsumed();
    expect(await parkedOf('order-erin')).toEqual(['BackorderQueued']);
    expect((await h.notificationsOf('cust-erin')).status).toBe(404);

    await h.produce(orderPlaced('cust-erin', 'order-erin', 'SKU-E', 'erin@example.com', 1));
    const list = await h.waitForList('cust-erin', (l) => l.length === 2, 'in-app and email');
    expect(list.map((n) => [n.kind, n.channel])).toEqual([
      ['backordered', 'in-app'],
      ['backordered', 'email'],
    ]);
    const [mail] = await h.waitForMails(service.smtp, 'erin@example.com', 1);
    expect(mail!.text).toContain('Thursday, 10 December 2026');
    expect(await parkedOf('order-erin')).toEqual([]);
  });

  it('keeps the original order of several parked events, and a BackInStock read meanwhile still reaches the line', async () => {
    const line = { sku: 'SKU-F', orderId: 'order-fay', lineId: 'line-1', customerId: 'cust-fay' };
    await h.produce(
      h.envelope('StockUnavailable', { ...line, quantity: 2, substitutes: [] }, { time: at(11) }),
      // Nobody is waiting for SKU-F yet as far as the service can tell: Fay's out-of-stock is still parked.
      h.envelope('BackInStock', { sku: 'SKU-F', available: 5 }, { time: at(12) }),
    );
    await h.waitUntilConsumed();
    expect(await parkedOf('order-fay')).toEqual(['StockUnavailable', 'BackInStock']);

    await h.produce(orderPlaced('cust-fay', 'order-fay', 'SKU-F', 'fay@example.com', 10));
    const list = await h.waitForList('cust-fay', (l) => l.length === 4, 'two changes on two channels');
    expect(kinds(list, 'in-app')).toEqual(['out-of-stock', 'back-in-stock']);
    expect(kinds(list, 'email')).toEqual(['out-of-stock', 'back-in-stock']);
  });
});

describe('a customer with one order read and one parked', () => {
  it('is told back in stock once for a BackInStock that answered both orders (found by the chaos soak)', async () => {
    const sku = 'SKU-H';
    const line = (orderId: string) => ({ sku, orderId, lineId: 'line-1', customerId: 'cust-hal' });
    await h.produce(orderPlaced('cust-hal', 'order-hal-1', sku, undefined, 30));
    await h.produce(
      h.envelope('StockUnavailable', { ...line('order-hal-1'), quantity: 1, substitutes: [] }, { time: at(31) }),
      // order-hal-2's OrderPlaced has not been read: its refusal is parked, with a copy of the BackInStock after it.
      h.envelope('StockUnavailable', { ...line('order-hal-2'), quantity: 1, substitutes: [] }, { time: at(32) }),
      h.envelope('BackInStock', { sku, available: 2 }, { time: at(33) }),
    );
    await h.waitForList('cust-hal', (l) => kinds(l).includes('back-in-stock'), 'back in stock for order-hal-1');
    await h.produce(orderPlaced('cust-hal', 'order-hal-2', sku, undefined, 29));
    await h.waitForList('cust-hal', (l) => l.length === 3, "order-hal-2's refusal");
    await h.produce(h.envelope('BackInStock', { sku, available: 3 }, { time: at(40) }));
    await h.waitUntilConsumed();
    expect(kinds(await h.listOf('cust-hal'))).toEqual(['out-of-stock', 'out-of-stock', 'back-in-stock']);
  });
});

describe('an OrderPlaced that never comes', () => {
  it('holds the events back only until the timeout; they are then told without email, and later ones are not parked', async () => {
    const line = { sku: 'SKU-G', orderId: 'order-gus', lineId: 'line-1', customerId: 'cust-gus' };
    await h.produce(h.envelope('BackorderQueued', { ...line, quantity: 2, position: 1, expectedAt: null, preorder: false, substitutes: [] }, { time: at(21) }));

    // Nothing but the sweep can release it (no OrderPlaced comes), and the order records that the timeout did.
    const released = await h.waitForList('cust-gus', (l) => l.length === 1, 'the backorder after the timeout', PARK_TIMEOUT_MS + 15_000);
    expect(released.map((n) => [n.kind, n.channel])).toEqual([['backordered', 'in-app']]);
    expect(await h.query('SELECT via FROM known_orders WHERE order_id = $1', ['order-gus'])).toEqual([{ via: 'timeout' }]);
    expect(h.svc.output()).toContain('OrderPlaced not seen in time');

    await h.produce(h.envelope('BackorderAllocated', { ...line, quantity: 1, remaining: 1 }, { time: at(22) }));
    await h.waitUntilConsumed();
    expect(await parkedOf('order-gus')).toEqual([]);
    expect(kinds(await h.listOf('cust-gus'))).toEqual(['backordered', 'backorder-allocated']);

    // The OrderPlaced, read late after all, still gives later changes their email.
    await h.produce(orderPlaced('cust-gus', 'order-gus', 'SKU-G', 'gus@example.com', 20));
    await h.produce(h.envelope('BackorderAllocated', { ...line, quantity: 1, remaining: 0 }, { time: at(23) }));
    const list = await h.waitForList('cust-gus', (l) => l.length === 4, 'the last allocation on two channels');
    expect(list.map((n) => [n.kind, n.channel])).toEqual([
      ['backordered', 'in-app'],
      ['backorder-allocated', 'in-app'],
      ['backorder-allocated', 'in-app'],
      ['backorder-allocated', 'email'],
    ]);
    expect(await h.query('SELECT via FROM known_orders WHERE order_id = $1', ['order-gus'])).toEqual([{ via: 'placed' }]);
  }, 60_000);
});
