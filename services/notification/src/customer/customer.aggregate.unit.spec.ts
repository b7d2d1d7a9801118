import { describe, expect, it } from '@jest/globals';
import {
  decide,
  DEFAULT_NOTIFICATION_CONFIG,
  evolveCustomer,
  initialCustomerState,
  type CustomerState,
  type NotificationFact,
  type NotificationInput,
} from '@fulfillment/notification-domain';
import {
  customerAggregate,
  decideErasure,
  evolveCustomerFact,
  fromSnapshot,
  fromStoredFact,
  toSnapshot,
  toStoredFact,
  withEmailOnFile,
} from './customer.aggregate.js';

const customerId = 'cust-1';
const inputs: NotificationInput[] = [
  {
    type: 'OrderPlaced',
    eventId: 'e1',
    occurredAt: '2026-11-27T10:00:00.000Z',
    data: { orderId: 'o1', customerId, email: 'ada@example.com', lines: [{ lineId: 'l1', sku: 'S1', quantity: 2 }], placedAt: '2026-11-27T10:00:00.000Z' },
  },
  {
    type: 'BackorderQueued',
    eventId: 'e2',
    occurredAt: '2026-11-27T10:00:01.000Z',
    data: { sku: 'S1', orderId: 'o1', lineId: 'l1', customerId, quantity: 2, position: 1, expectedAt: '2026-12-04T08:00:00.000Z' },
  },
  {
    type: 'StockUnavailable',
    eventId: 'e3',
    occurredAt: '2026-11-27T10:00:02.000Z',
    data: { sku: 'S2', orderId: 'o1', lineId: 'l2', customerId, quantity: 1, substitutes: ['S3'] },
  },
  {
    type: 'OrderStatusChanged',
    eventId: 'e4',
    occurredAt: '2026-11-27T10:00:03.000Z',
    data: { orderId: 'o2', customerId, status: 'backordered', lines: [] },
  },
];

/** The facts the domain decides for `inputs`, one after the other, and the state they fold to. */
function history(): { facts: NotificationFact[]; state: CustomerState } {
  let state = initialCustomerState;
  const facts: NotificationFact[] = [];
  for (const input of inputs) {
    const decision = decide(input, { customers: new Map([[customerId, state]]) });
    facts.push(...decision.facts);
    state = decision.facts.reduce(evolveCustomer, state);
  }
  return { facts, state };
}

describe('stored facts', () => {
  it('keep when an address was given but never the address', () => {
    const { facts } = history();
    const given = facts.find((fact) => fact.type === 'EmailAddressGiven')!;
    const stored = toStoredFact(given);
    expect(JSON.stringify(stored)).not.toContain('ada@example.com');
    expect(stored.data).toEqual({ customerId, givenAt: '2026-11-27T10:00:00.000Z' });
  });

  it('fold to the domain state once the address on file is put back', () => {
    const { facts, state } = history();
    expect(facts.map((fact) => fact.type)).toEqual(['EmailAddressGiven', 'ChangeNotified', 'ChangeNotified', 'OrderBackorderNoted']);
    const folded = facts.map(toStoredFact).map(fromStoredFact).reduce(evolveCustomerFact, initialCustomerState);
    expect(withEmailOnFile(folded, 'ada@example.com')).toEqual(state);
  });

  it('refuse a fact type this code does not know instead of folding past it', () => {
    const stored = { streamId: 'customer-c', streamVersion: 4, globalPosition: 1n, id: 'e', type: 'SomethingNew', schemaVersion: 1, data: {}, metadata: {}, createdAt: new Date() };
    expect(() => customerAggregate(DEFAULT_NOTIFICATION_CONFIG).events.decode(stored)).toThrow(
      'event SomethingNew at version 4 of stream customer-c: unknown event type',
    );
  });
});

describe('erasing the contact', () => {
  const erase = { customerId, eraseContact: { at: '2026-11-28T09:00:00.000Z' } };

  it('records ContactErased while an address is on file, after which the customer has none and is emailed nothing', () => {
    const { state } = history();
    const facts = decideErasure(erase, state);
    expect(facts).toEqual([{ type: 'ContactErased', data: { customerId, erasedAt: '2026-11-28T09:00:00.000Z' } }]);
    const after = evolveCustomerFact(state, fromStoredFact(toStoredFact(facts[0]!)));
    expect(after).toEqual({ ...state, email: null });
    const unavailable: NotificationInput = {
      type: 'StockUnavailable',
      eventId: 'e5',
      occurredAt: '2026-11-28T10:00:00.000Z',
      data: { sku: 'S4', orderId: 'o1', lineId: 'l3', customerId, quantity: 1, substitutes: [] },
    };
    const channels = (on: CustomerState) =>
      customerAggregate(DEFAULT_NOTIFICATION_CONFIG).decideWithOutput!({ customerId, input: unavailable }, on).output.map((n) => n.channel);
    expect(channels(state)).toEqual(['in-app', 'email']);
    expect(channels(after)).toEqual(['in-app']);
  });

  it('records nothing when no address is on file: erasing again is a no-op', () => {
    const { state } = history();
    expect(decideErasure(erase, { ...state, email: null })).toEqual([]);
    expect(decideErasure(erase, initialCustomerState)).toEqual([]);
    expect(customerAggregate(DEFAULT_NOTIFICATION_CONFIG).decideWithOutput!(erase, initialCustomerState)).toEqual({ events: [], output: [] });
  });
});

describe('withEmailOnFile', () => {
  it('drops the address of a customer whose address was erased, so the next one given is taken', () => {
    const { state } = history();
    expect(withEmailOnFile(state, undefined).email).toBeNull();
  });

  it('leaves a customer who never gave an address alone', () => {
    expect(withEmailOnFile(initialCustomerState, 'x@example.com')).toBe(initialCustomerState);
  });
});

describe('snapshots', () => {
  it('survive JSON and give back the same state, without the address', () => {
    const { state } = history();
    const json = JSON.stringify(toSnapshot(state));
    expect(json).not.toContain('ada@example.com');
    expect(withEmailOnFile(fromSnapshot(JSON.parse(json)), 'ada@example.com')).toEqual(state);
  });
});
