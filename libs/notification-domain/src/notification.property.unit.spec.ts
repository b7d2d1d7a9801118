import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import type { NotificationInput, OrderStatus } from './notification-input.js';
import { evolveCustomer, initialCustomerState, type NotificationConfig } from './notification.js';
import { line, run } from './notification.fixtures.js';

// A small world, so that random sequences keep hitting the same orders, lines and SKUs.
const ORDERS = [
  { orderId: 'o1', customerId: 'c1' },
  { orderId: 'o2', customerId: 'c1' },
  { orderId: 'o3', customerId: 'c2' },
  { orderId: 'o4', customerId: 'c3' },
];
const SKUS = ['SKU-A', 'SKU-B'];
const DATES = [null, '2026-12-08T09:00:00.000Z', '2026-12-08T20:00:00.000Z', '2026-12-15T09:00:00.000Z'];
const STATUSES: OrderStatus[] = ['pending', 'confirmed', 'backordered', 'rejected', 'cancelled', 'partially-shipped', 'shipped'];
const CONFIG: NotificationConfig = { webhookEnabled: true, timeZone: 'UTC' };

type Body = Omit<NotificationInput, 'eventId' | 'occurredAt'>;

const order = fc.constantFrom(...ORDERS);
const sku = fc.constantFrom(...SKUS);
const date = fc.constantFrom(...DATES);
const quantity = fc.integer({ min: 1, max: 3 });

const body: fc.Arbitrary<Body> = fc.oneof(
  fc.record({ o: order, email: fc.constantFrom(undefined, 'a@example.com', 'b@example.com'), at: fc.integer({ min: 0, max: 5 }) }).map(
    ({ o, email, at }): Body => ({
      type: 'OrderPlaced',
      data: { ...o, email, lines: [{ lineId: 'l1', sku: 'SKU-A', quantity: 1 }], placedAt: new Date(Date.UTC(2026, 10, 27, at)).toISOString() },
    }),
  ),
  fc
    .record({ o: order, status: fc.constantFrom(...STATUSES), reserved: fc.nat(2), allocated: fc.nat(2), backordered: fc.nat(2), withSubstitute: fc.boolean() })
    .map(({ o, status, reserved, allocated, backordered, withSubstitute }): Body => {
      const lines = [line({ quantity: reserved + allocated + backordered + 1, reserved, allocated, backordered, released: 1 })];
      // A view after a substitution of SKU-A: the substitute's line, answered.
      if (withSubstitute) lines.push(line({ lineId: `${o.orderId}-sub-SKU-A`, sku: 'SKU-B', quantity: 2, reserved, backordered: 2 - Math.min(2, reserved), unavailable: 0 }));
      return { type: 'OrderStatusChanged', data: { ...o, status, lines } };
    }),
  order.map((o): Body => ({ type: 'OrderCancelled', data: { ...o, reason: 'changed my mind' } })),
  fc.record({ o: order, sku, quantity, position: quantity, expectedAt: date, preorder: fc.boolean(), substitutes: fc.constant([]) }).map(
    ({ o, ...rest }): Body => ({ type: 'BackorderQueued', data: { ...o, lineId: `${o.orderId}-${rest.sku}`, ...rest } }),
  ),
  fc.record({ o: order, sku, quantity, remaining: fc.nat(2) }).map(
    ({ o, ...rest }): Body => ({ type: 'BackorderAllocated', data: { ...o, lineId: `${o.orderId}-${rest.sku}`, ...rest } }),
  ),
  fc.record({ o: order, sku, previousExpectedAt: date, expectedAt: date }).map(
    ({ o, ...rest }): Body => ({ type: 'BackorderEtaChanged', data: { ...o, lineId: `${o.orderId}-${rest.sku}`, ...rest } }),
  ),
  fc.record({ o: order, sku, quantity, substitutes: fc.subarray(['SKU-X', 'SKU-Y']) }).map(
    ({ o, ...rest }): Body => ({ type: 'StockUnavailable', data: { ...o, lineId: `${o.orderId}-${rest.sku}`, ...rest } }),
  ),
  fc.record({ sku, available: quantity }).map((data): Body => ({ type: 'BackInStock', data })),
  fc.record({ o: order, sku, quantity, reason: fc.constantFrom('expired', 'expired', 'line-cancelled') }).map(
    ({ o, ...rest }): Body => ({ type: 'BackorderReleased', data: { ...o, lineId: `${o.orderId}-${rest.sku}`, ...rest } }),
  ),
  fc.record({ o: order, sku, quantity, carrier: fc.constantFrom(null, 'DHL'), shipment: fc.nat(3) }).map(
    ({ o, sku, quantity, carrier, shipment }): Body => ({
      type: 'OrderShipped',
      data: { ...o, shipmentId: `s${shipment}`, lines: [{ lineId: `${o.orderId}-${sku}`, sku, quantity }], carrier, trackingId: null },
    }),
  ),
  fc.record({ o: order, sku, quantity }).map(
    ({ o, ...rest }): Body => ({ type: 'OrderLineCancelled', data: { ...o, lineId: `${o.orderId}-${rest.sku}`, ...rest, reason: 'changed my mind' } }),
  ),
  order.map(
    (o): Body => ({
      type: 'OrderLineSubstituted',
      data: { ...o, lineId: `${o.orderId}-SKU-A`, newLineId: `${o.orderId}-sub-SKU-A`, sku: 'SKU-A', substituteSku: 'SKU-B', quantity: 2, waiting: 1 },
    }),
  ),
);

/** Distinct events, each with its own envelope id and a time that grows with its place in the sequence. */
const events: fc.Arbitrary<NotificationInput[]> = fc.array(body, { maxLength: 40 }).map((bodies) =>
  bodies.map((b, i) => ({ ...b, eventId: `e${i}`, occurredAt: new Date(Date.UTC(2026, 10, 27, 12, 0, i)).toISOString() }) as NotificationInput),
);

/** The same events, each delivered first in its place, with redeliveries of already-delivered events mixed in. */
const withRedeliveries = fc
  .tuple(events, fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 40 }))
  .map(([original, redeliveries]) => {
    const delivered: NotificationInput[] = [];
    original.forEach((event, i) => {
      delivered.push(event);
      for (const [after, which] of redeliveries) {
        if (after % original.length === i) delivered.push(original[which % (i + 1)]);
      }
    });
    return { original, delivered };
  });

describe('notification decider properties', () => {
  it('tells exactly the same notifications whatever the redeliveries', () => {
    fc.assert(
      fc.property(withRedeliveries, ({ original, delivered }) => {
        expect(run(delivered, CONFIG).notifications).toEqual(run(original, CONFIG).notifications);
      }),
      { numRuns: 500 },
    );
  });

  it('never repeats a notification id, and tells every change in-app exactly once at the time of its event', () => {
    fc.assert(
      fc.property(withRedeliveries, ({ delivered }) => {
        const { notifications } = run(delivered, CONFIG);
        const ids = notifications.map((n) => n.notificationId);
        expect(new Set(ids).size).toBe(ids.length);
        const inApp = notifications.filter((n) => n.channel === 'in-app').map((n) => `${n.sourceEventId}/${n.customerId}`);
        const changes = new Set(notifications.map((n) => `${n.sourceEventId}/${n.customerId}`));
        expect(inApp.sort()).toEqual([...changes].sort());
        const timeOf = new Map(delivered.map((e) => [e.eventId, e.occurredAt]));
        for (const n of notifications) expect(n.occurredAt).toBe(timeOf.get(n.sourceEventId));
      }),
      { numRuns: 300 },
    );
  });

  it('never tells order-confirmed for an order that waited or took a substitute, and tells confirmation and cancellation once per order', () => {
    fc.assert(
      fc.property(events, (sequence) => {
        const { notifications } = run(sequence, CONFIG);
        const inApp = notifications.filter((n) => n.channel === 'in-app');
        for (const confirmed of inApp.filter((n) => n.kind === 'order-confirmed')) {
          const before = sequence.slice(0, sequence.findIndex((e) => e.eventId === confirmed.sourceEventId));
          const waited = before.some(
            (e) =>
              'orderId' in e.data &&
              e.data.orderId === confirmed.orderId &&
              (e.type === 'BackorderQueued' ||
                e.type === 'BackorderAllocated' ||
                e.type === 'BackorderEtaChanged' ||
                e.type === 'OrderLineSubstituted' ||
                (e.type === 'OrderStatusChanged' && e.data.status === 'backordered')),
          );
          expect(waited).toBe(false);
        }
        for (const kind of ['order-confirmed', 'order-cancelled'] as const) {
          const orders = inApp.filter((n) => n.kind === kind).map((n) => n.orderId);
          expect(new Set(orders).size).toBe(orders.length);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('tells each shipment, substitution and expired line at most once, and no line cancel after the order was cancelled', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(withRedeliveries, ({ original, delivered }) => {
        const inApp = run(delivered, CONFIG).notifications.filter((n) => n.channel === 'in-app');
        const count = (key: (n: (typeof inApp)[number]) => string | null) => {
          const keys = inApp.map(key).filter((k): k is string => k !== null);
          return keys.length - new Set(keys).size;
        };
        expect(count((n) => (n.kind === 'shipped' || n.kind === 'substitute-accepted' ? n.sourceEventId : null))).toBe(0);
        expect(count((n) => (n.kind === 'backorder-expired' ? `${n.customerId}/${n.orderId}/${n.sku}` : null))).toBe(0);
        // Every OrderShipped is told, once.
        expect(inApp.filter((n) => n.kind === 'shipped').length).toBe(original.filter((e) => e.type === 'OrderShipped').length);
        const cancelled = new Set<string>();
        for (const n of inApp) {
          if (n.kind === 'order-cancelled') cancelled.add(n.orderId);
          if (n.kind === 'line-cancelled' || n.kind === 'backorder-expired') expect(cancelled.has(n.orderId)).toBe(false);
          seen.add(n.kind);
        }
      }),
      { numRuns: 500 },
    );
    // Guards the generator: every new kind is reached.
    for (const kind of ['shipped', 'line-cancelled', 'substitute-accepted', 'backorder-expired', 'preordered']) expect(seen).toContain(kind);
  });

  it('tells back-in-stock once per (customer, SKU) told out-of-stock, and only after that', () => {
    fc.assert(
      fc.property(events, (sequence) => {
        const waiting = new Set<string>();
        for (const n of run(sequence, CONFIG).notifications.filter((x) => x.channel === 'in-app')) {
          const pair = `${n.customerId}/${n.sku}`;
          if (n.kind === 'out-of-stock') waiting.add(pair);
          if (n.kind === 'back-in-stock') {
            expect(waiting.has(pair)).toBe(true);
            waiting.delete(pair);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('gives each customer the state their own facts alone fold to, so the shell may keep one stream per customer', () => {
    fc.assert(
      fc.property(withRedeliveries, ({ delivered }) => {
        const { state, facts } = run(delivered, CONFIG);
        for (const [customerId, customer] of state.customers) {
          const own = facts.filter((f) => f.data.customerId === customerId);
          expect(own.reduce(evolveCustomer, initialCustomerState)).toEqual(customer);
        }
      }),
      { numRuns: 200 },
    );
  });
});
