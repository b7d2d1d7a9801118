import { describe, expect, it } from '@jest/globals';
import type { NotificationFact } from '@fulfillment/notification-domain';
import fc from 'fast-check';
import { readModelChanges } from './read-model-changes.js';

const given = (customerId: string, email: string, givenAt: string): NotificationFact => ({
  type: 'EmailAddressGiven',
  data: { customerId, email, givenAt },
});
const told = (kind: 'out-of-stock' | 'back-in-stock' | 'backordered', customerId: string, sku: string, n: number): NotificationFact => ({
  type: 'ChangeNotified',
  data: {
    kind,
    customerId,
    orderId: `order-${n}`,
    sku,
    sourceEventId: `event-${n}`,
    occurredAt: `2026-11-27T10:00:${String(n % 60).padStart(2, '0')}.000Z`,
    notificationIds: [],
  },
});

/** The read models as the facts leave them when written one statement per fact, as the service once did. */
function oneByOne(facts: readonly NotificationFact[]) {
  const emails = new Map<string, { email: string; givenAt: string }>();
  const waits = new Map<string, { orderId: string; since: string }>();
  for (const fact of facts) {
    if (fact.type === 'EmailAddressGiven') emails.set(fact.data.customerId, { email: fact.data.email, givenAt: fact.data.givenAt });
    else if (fact.type === 'ChangeNotified' && fact.data.kind === 'out-of-stock') {
      waits.set(`${fact.data.sku}|${fact.data.customerId}`, { orderId: fact.data.orderId, since: fact.data.occurredAt });
    } else if (fact.type === 'ChangeNotified' && fact.data.kind === 'back-in-stock') {
      waits.delete(`${fact.data.sku}|${fact.data.customerId}`);
    }
  }
  return { emails, waits };
}

describe('readModelChanges', () => {
  it('keeps the last address per customer and the last word on each (sku, customer) wait', () => {
    const changes = readModelChanges([
      given('c1', 'old@example.com', '2026-11-27T09:00:00.000Z'),
      told('out-of-stock', 'c1', 'S1', 1),
      given('c1', 'new@example.com', '2026-11-27T10:00:00.000Z'),
      told('back-in-stock', 'c1', 'S1', 2),
      told('back-in-stock', 'c2', 'S1', 3),
      told('out-of-stock', 'c2', 'S1', 4),
      told('backordered', 'c3', 'S1', 5),
    ]);
    expect(changes.addresses).toEqual([{ customerId: 'c1', email: 'new@example.com', givenAt: '2026-11-27T10:00:00.000Z' }]);
    expect(changes.cleared).toEqual([{ sku: 'S1', customerId: 'c1' }]);
    expect(changes.waits).toEqual([{ sku: 'S1', customerId: 'c2', orderId: 'order-4', since: '2026-11-27T10:00:04.000Z' }]);
  });

  it('deletes the address of a customer whose contact was erased, unless a newer address follows the erasure', () => {
    const erased = (customerId: string) => ({ type: 'ContactErased' as const, data: { customerId, erasedAt: '2026-11-28T09:00:00.000Z' } });
    const changes = readModelChanges([
      given('c1', 'a@example.com', '2026-11-27T09:00:00.000Z'),
      erased('c1'),
      erased('c2'),
      given('c2', 'b@example.com', '2026-11-29T09:00:00.000Z'),
    ]);
    expect(changes.erased).toEqual(['c1']);
    expect(changes.addresses).toEqual([{ customerId: 'c2', email: 'b@example.com', givenAt: '2026-11-29T09:00:00.000Z' }]);
  });

  it('leaves the read models as writing each fact on its own would, from any starting rows', () => {
    const customer = fc.constantFrom('c1', 'c2', 'c3');
    const sku = fc.constantFrom('S1', 'S2');
    const fact = fc.oneof(
      fc.tuple(customer, fc.nat(50)).map(([c, n]) => given(c, `${c}-${n}@example.com`, `2026-11-27T10:00:${String(n).padStart(2, '0')}.000Z`)),
      fc.tuple(fc.constantFrom('out-of-stock', 'back-in-stock', 'backordered' as const), customer, sku, fc.nat(59)).map(([kind, c, s, n]) =>
        told(kind as 'out-of-stock' | 'back-in-stock' | 'backordered', c, s, n),
      ),
    );
    fc.assert(
      fc.property(fc.array(fact, { maxLength: 30 }), fc.array(fact, { maxLength: 10 }), (facts, before) => {
        const start = oneByOne(before);
        const expected = oneByOne([...before, ...facts]);

        const { addresses, waits, cleared } = readModelChanges(facts);
        // No row twice in one statement: PostgreSQL refuses an upsert that touches a row twice.
        expect(new Set(addresses.map((a) => a.customerId)).size).toBe(addresses.length);
        const keys = [...waits, ...cleared].map((w) => `${w.sku}|${w.customerId}`);
        expect(new Set(keys).size).toBe(keys.length);

        const emails = new Map(start.emails);
        for (const a of addresses) emails.set(a.customerId, { email: a.email, givenAt: a.givenAt });
        const restock = new Map(start.waits);
        for (const w of waits) restock.set(`${w.sku}|${w.customerId}`, { orderId: w.orderId, since: w.since });
        for (const c of cleared) restock.delete(`${c.sku}|${c.customerId}`);
        expect(emails).toEqual(expected.emails);
        expect(restock).toEqual(expected.waits);
      }),
    );
  });
});
