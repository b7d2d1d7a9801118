import { decodeMessage, encodeEnvelope } from '@fulfillment/contracts';
import { describe, expect, it } from '@jest/globals';
import { decide, evolve, initialState, orderView, type OrderCommand, type OrderState, type PlacedOrder } from '@fulfillment/order-domain';
import type { Cause } from '@fulfillment/eventstore';
import { orderEnvelopes, type RecordedDecision } from './order-events.mapper.js';

const placedAt = '2026-11-27T10:00:00.000Z';
const later = '2026-11-27T10:05:00.000Z';
const cause: Cause = { correlationId: 'corr-1', causationId: 'cmd-1' };

const place = (email: string | null): OrderCommand => ({
  type: 'PlaceOrder',
  data: {
    orderId: 'o-1',
    customerId: 'cust-1',
    email,
    lines: [
      { lineId: 'o-1-1', sku: 'SKU-A', quantity: 2 },
      { lineId: 'o-1-2', sku: 'SKU-B', quantity: 1 },
    ],
    now: placedAt,
  },
});

/** Runs the command through the real decider, as the processor does, and numbers its events. */
function decision(state: OrderState, command: OrderCommand): RecordedDecision {
  const events = decide(command, state);
  const after = events.reduce(evolve, state) as PlacedOrder;
  return { events, eventIds: events.map((_, i) => `00000000-0000-4000-8000-00000000000${i}`), after, before: state, occurredAt: later, cause };
}

const stateAfter = (...commands: OrderCommand[]): OrderState =>
  commands.reduce((state, command) => decide(command, state).reduce(evolve, state), initialState());

describe('orderEnvelopes', () => {
  it('publishes OrderPlaced alone, with the email, at placedAt, under the event id and the order key', () => {
    const [placed, ...rest] = orderEnvelopes(decision(initialState(), place('ada@example.com')));
    expect(rest).toEqual([]);
    expect(placed).toMatchObject({
      type: 'OrderPlaced',
      id: '00000000-0000-4000-8000-000000000000',
      source: 'order',
      subject: 'o-1',
      time: placedAt,
      correlationid: 'corr-1',
      causationid: 'cmd-1',
      data: {
        orderId: 'o-1',
        customerId: 'cust-1',
        email: 'ada@example.com',
        lines: [
          { lineId: 'o-1-1', sku: 'SKU-A', quantity: 2 },
          { lineId: 'o-1-2', sku: 'SKU-B', quantity: 1 },
        ],
        placedAt,
      },
    });
  });

  it('leaves email out of OrderPlaced when the customer gave none', () => {
    const [placed] = orderEnvelopes(decision(initialState(), place(null)));
    expect(placed!.data).not.toHaveProperty('email');
  });

  it('publishes the whole view once every line is answered, under the id of the status change', () => {
    const placed = stateAfter(place(null));
    const reserved = decision(placed, { type: 'RecordStockReserved', data: { lineId: 'o-1-1', quantity: 2, eventId: 'inv-1' } });
    expect(reserved.events.map((e) => e.type)).toEqual(['LineReserved', 'OrderReadyToShip']);
    // Line 2 has no answer yet, and the contract's view has no bucket for its units: no view to publish yet, only the
    // reserved units that can ship.
    expect(orderEnvelopes(reserved).map((e) => e.type)).toEqual(['OrderReadyToShip']);

    const queued = decision(reserved.after, {
      type: 'RecordBackorderQueued',
      data: { lineId: 'o-1-2', quantity: 1, expectedAt: '2026-12-04T08:00:00.000Z', eventId: 'inv-2' },
    });
    expect(queued.events.map((e) => e.type)).toEqual(['LineBackordered', 'OrderStatusChanged']);
    const envelopes = orderEnvelopes(queued);
    expect(envelopes).toHaveLength(1);
    expect(envelopes[0]).toMatchObject({
      type: 'OrderStatusChanged',
      id: queued.eventIds[1],
      subject: 'o-1',
      time: later,
      data: {
        orderId: 'o-1',
        customerId: 'cust-1',
        status: 'backordered',
        lines: [
          { lineId: 'o-1-1', sku: 'SKU-A', quantity: 2, reserved: 2, allocated: 0, backordered: 0, unavailable: 0, released: 0, shipped: 0, expectedAt: null },
          { lineId: 'o-1-2', sku: 'SKU-B', quantity: 1, reserved: 0, allocated: 0, backordered: 1, unavailable: 0, released: 0, shipped: 0, expectedAt: '2026-12-04T08:00:00.000Z' },
        ],
      },
    });
  });

  it('publishes a view whose status did not move when a line changed, e.g. its promised date', () => {
    const queued = stateAfter(
      place(null),
      { type: 'RecordStockReserved', data: { lineId: 'o-1-1', quantity: 2, eventId: 'inv-1' } },
      { type: 'RecordBackorderQueued', data: { lineId: 'o-1-2', quantity: 1, expectedAt: '2026-12-04T08:00:00.000Z', eventId: 'inv-2' } },
    );
    const moved = decision(queued, {
      type: 'RecordBackorderEtaChanged',
      data: { lineId: 'o-1-2', expectedAt: '2026-12-09T08:00:00.000Z', eventId: 'inv-3' },
    });
    const envelopes = orderEnvelopes(moved);
    expect(envelopes).toHaveLength(1);
    expect(envelopes[0]).toMatchObject({ type: 'OrderStatusChanged', id: moved.eventIds[0], data: { status: 'backordered' } });
    expect((envelopes[0]!.data as { lines: { expectedAt: string | null }[] }).lines[1]!.expectedAt).toBe('2026-12-09T08:00:00.000Z');
  });

  it('publishes OrderCancelled first, then the released view, each under its own id', () => {
    const answered = stateAfter(
      place(null),
      { type: 'RecordStockReserved', data: { lineId: 'o-1-1', quantity: 2, eventId: 'inv-1' } },
      { type: 'RecordStockReserved', data: { lineId: 'o-1-2', quantity: 1, eventId: 'inv-2' } },
    );
    const cancelled = decision(answered, { type: 'CancelOrder', data: { orderId: 'o-1', reason: 'changed my mind', now: later } });
    const envelopes = orderEnvelopes(cancelled);
    expect(envelopes.map((e) => e.type)).toEqual(['OrderCancelled', 'OrderStatusChanged']);
    expect(envelopes[0]).toMatchObject({ time: later, data: { orderId: 'o-1', customerId: 'cust-1', reason: 'changed my mind' } });
    expect(envelopes[1]!.data).toMatchObject({
      status: 'cancelled',
      lines: [expect.objectContaining({ reserved: 0, released: 2 }), expect.objectContaining({ reserved: 0, released: 1 })],
    });
    expect(new Set(envelopes.map((e) => e.id)).size).toBe(2);
  });

  it('publishes the view of an order cancelled before every line was answered at once: unanswered units are given up', () => {
    const partlyAnswered = stateAfter(place(null), { type: 'RecordStockReserved', data: { lineId: 'o-1-1', quantity: 2, eventId: 'inv-1' } });
    const cancelled = decision(partlyAnswered, { type: 'CancelOrder', data: { orderId: 'o-1', reason: 'r', now: later } });
    const envelopes = orderEnvelopes(cancelled);
    expect(envelopes.map((e) => e.type)).toEqual(['OrderCancelled', 'OrderStatusChanged']);
    expect(envelopes[1]!.data).toMatchObject({ status: 'cancelled', lines: [expect.objectContaining({ released: 2 }), expect.objectContaining({ released: 1 })] });

    // Inventory's late answer lands on the given-up units: the view stays as published, and is not published again.
    const late = decision(cancelled.after, { type: 'RecordStockReserved', data: { lineId: 'o-1-2', quantity: 1, eventId: 'inv-2' } });
    expect(late.events.map((e) => e.type)).toEqual(['LineReserved']);
    expect(orderEnvelopes(late)).toEqual([]);
    expect(orderView(late.after)).toEqual(orderView(cancelled.after));
  });

  it('publishes OrderShipped, OrderLineCancelled and OrderLineSubstituted for themselves, then the view', () => {
    const answered = stateAfter(
      place(null),
      { type: 'RecordStockReserved', data: { lineId: 'o-1-1', quantity: 2, eventId: 'inv-1' } },
      { type: 'RecordStockUnavailable', data: { lineId: 'o-1-2', quantity: 1, substitutes: ['SKU-C'], eventId: 'inv-2' } },
    );
    const shipped = decision(answered, {
      type: 'ShipOrder',
      data: { orderId: 'o-1', shipmentId: 'shp-1', lines: [{ lineId: 'o-1-1', quantity: 1 }], carrier: 'DHL', trackingId: null, now: later },
    });
    expect(orderEnvelopes(shipped).map((e) => [e.type, e.data])).toEqual([
      ['OrderShipped', { orderId: 'o-1', customerId: 'cust-1', shipmentId: 'shp-1', lines: [{ lineId: 'o-1-1', sku: 'SKU-A', quantity: 1 }], carrier: 'DHL', trackingId: null }],
      ['OrderStatusChanged', expect.objectContaining({ status: 'partially-shipped' })],
    ]);
    const lineCancelled = decision(shipped.after, { type: 'CancelOrderLine', data: { orderId: 'o-1', lineId: 'o-1-1', reason: 'customer-request', now: later } });
    expect(orderEnvelopes(lineCancelled).map((e) => [e.type, e.data])).toEqual([
      ['OrderLineCancelled', { orderId: 'o-1', customerId: 'cust-1', lineId: 'o-1-1', sku: 'SKU-A', quantity: 1, reason: 'customer-request' }],
      ['OrderStatusChanged', expect.objectContaining({ status: 'shipped' })],
    ]);
    const substituted = decision(answered, { type: 'SubstituteOrderLine', data: { orderId: 'o-1', lineId: 'o-1-2', sku: 'SKU-C', now: later } });
    const [first, ...rest] = orderEnvelopes(substituted);
    expect(first).toMatchObject({
      type: 'OrderLineSubstituted',
      time: later,
      data: { orderId: 'o-1', customerId: 'cust-1', lineId: 'o-1-2', newLineId: 'o-1-3', sku: 'SKU-B', substituteSku: 'SKU-C', quantity: 1, waiting: 0 },
    });
    // The new line waits for its answer: no view yet.
    expect(rest).toEqual([]);
    for (const envelope of [...orderEnvelopes(shipped), ...orderEnvelopes(lineCancelled), first!]) {
      expect(decodeMessage('order.events', Buffer.from(encodeEnvelope(envelope)))).toEqual({ ok: true, envelope });
    }
  });

  it('does not publish the view again when an answer changed inventory\'s buckets but not the view', () => {
    const given = stateAfter(
      place(null),
      { type: 'RecordStockReserved', data: { lineId: 'o-1-1', quantity: 2, eventId: 'inv-1' } },
      { type: 'RecordBackorderQueued', data: { lineId: 'o-1-2', quantity: 1, expectedAt: null, eventId: 'inv-2' } },
      { type: 'CancelOrderLine', data: { orderId: 'o-1', lineId: 'o-1-2', reason: 'customer-request', now: later } },
    );
    // Inventory allocated the queued unit before it read the cancellation, then released it: the customer had given
    // it up already, so the view says the same thing throughout.
    const allocated = decision(given, { type: 'RecordBackorderAllocated', data: { lineId: 'o-1-2', quantity: 1, eventId: 'inv-3' } });
    expect(allocated.events.map((e) => e.type)).toEqual(['LineAllocated']);
    expect(orderEnvelopes(allocated)).toEqual([]);
    const released = decision(allocated.after, { type: 'RecordStockReleased', data: { lineId: 'o-1-2', quantity: 1, reason: 'line-cancelled', eventId: 'inv-4' } });
    expect(released.events.map((e) => e.type)).toEqual(['LineReleasedByInventory']);
    expect(orderEnvelopes(released)).toEqual([]);
    // Without the state before (as the release before computed it), the unchanged view was published again.
    expect(orderEnvelopes({ ...released, before: undefined }).map((e) => e.type)).toEqual(['OrderStatusChanged']);
  });

  it('publishes nothing when the decision changed nothing', () => {
    const cancelled = stateAfter(place(null), { type: 'CancelOrder', data: { orderId: 'o-1', reason: 'r', now: later } });
    expect(orderEnvelopes(decision(cancelled, { type: 'CancelOrder', data: { orderId: 'o-1', reason: 'again', now: later } }))).toEqual([]);
  });

  it('produces envelopes that a consumer decodes back unchanged', () => {
    const placed = stateAfter(place('ada@example.com'), { type: 'RecordStockReserved', data: { lineId: 'o-1-2', quantity: 1, eventId: 'inv-1' } });
    const all = [
      ...orderEnvelopes(decision(initialState(), place('ada@example.com'))),
      ...orderEnvelopes(decision(placed, { type: 'RecordStockUnavailable', data: { lineId: 'o-1-1', quantity: 2, substitutes: ['SKU-C'], eventId: 'inv-3' } })),
    ];
    expect(all.map((e) => e.type)).toEqual(['OrderPlaced', 'OrderStatusChanged']);
    for (const envelope of all) {
      const decoded = decodeMessage('order.events', Buffer.from(encodeEnvelope(envelope)));
      expect(decoded).toEqual({ ok: true, envelope });
    }
  });
});
