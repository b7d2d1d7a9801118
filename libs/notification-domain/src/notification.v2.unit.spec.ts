import { describe, expect, it } from '@jest/globals';
import {
  backorderAllocated,
  backorderQueued,
  backorderReleased,
  given,
  line,
  lineCancelled,
  lineSubstituted,
  orderCancelled,
  orderPlaced,
  orderShipped,
  run,
  statusChanged,
  stockUnavailable,
} from './notification.fixtures.js';
import { CLOSED_ORDERS_KEPT, customerStateOf, type Notification } from './notification.js';

// SPEC 9 and 10 kinds: shipped, line-cancelled, substitute-accepted, backorder-expired, preordered.

const at = (second: number) => new Date(Date.UTC(2026, 10, 27, 10, 0, second)).toISOString();
const WITH_EMAIL = orderPlaced({ eventId: 'placed-1', occurredAt: at(0) }, { email: 'ada@example.com' });
const told = (notifications: readonly Notification[]) =>
  notifications.filter((n) => n.channel === 'in-app').map((n) => ({ kind: n.kind, sku: n.sku, occurredAt: n.occurredAt, message: n.message }));
const kinds = (notifications: readonly Notification[]) => notifications.filter((n) => n.channel === 'in-app').map((n) => n.kind);

describe('shipped', () => {
  it('tells each shipment once per channel, with carrier and tracking id', () => {
    const decision = given([WITH_EMAIL]).when(
      orderShipped({ eventId: 'shp-event-1', occurredAt: at(5) }, { lines: [{ lineId: 'l1', sku: 'SKU-A', quantity: 2 }, { lineId: 'l2', sku: 'SKU-B', quantity: 1 }] }),
    );
    expect(decision.notifications.map((n) => [n.kind, n.channel, n.sku, n.occurredAt])).toEqual([
      ['shipped', 'in-app', null, at(5)],
      ['shipped', 'email', null, at(5)],
    ]);
    expect(decision.notifications[0]?.message).toBe(
      'We have shipped 2 units of SKU-A and 1 unit of SKU-B from your order order-1 with DHL. Your tracking number is JD0146.',
    );
  });

  it('says no more than it knows when the shipper gave no carrier or tracking id', () => {
    const decision = given([]).when(orderShipped({ eventId: 'e1' }, { carrier: null, trackingId: null }));
    expect(decision.notifications[0]?.message).toBe('We have shipped 2 units of SKU-A from your order order-1.');
  });

  it('tells two shipments of one order as two, and a redelivered one not again', () => {
    const first = orderShipped({ eventId: 'e1', occurredAt: at(1) }, { shipmentId: 'shp-1' });
    const second = orderShipped({ eventId: 'e2', occurredAt: at(2) }, { shipmentId: 'shp-2' });
    expect(kinds(run([first, second, first]).notifications)).toEqual(['shipped', 'shipped']);
  });
});

describe('line-cancelled', () => {
  it('tells each cancelled line, with its quantity and reason', () => {
    const decision = given([]).when(lineCancelled({ eventId: 'e1', occurredAt: at(3) }, { quantity: 2 }));
    expect(told(decision.notifications)).toEqual([
      {
        kind: 'line-cancelled',
        sku: 'SKU-A',
        occurredAt: at(3),
        message: '2 units of SKU-A on your order order-1 have been cancelled. Reason: customer request.',
      },
    ]);
  });

  it('tells a line cancel and, later, the cancellation of the rest of the order', () => {
    const { notifications } = run([lineCancelled({ eventId: 'e1' }), orderCancelled({ eventId: 'e2' })]);
    expect(kinds(notifications)).toEqual(['line-cancelled', 'order-cancelled']);
  });

  it('adds nothing to order-cancelled: a line cancel read after the whole order was cancelled is not told', () => {
    expect(given([orderCancelled({ eventId: 'e1' })]).when(lineCancelled({ eventId: 'e2' })).notifications).toEqual([]);
  });
});

describe('order-cancelled after a shipment', () => {
  it('says that what shipped is on its way', () => {
    const decision = given([orderShipped({ eventId: 'e1' })]).when(orderCancelled({ eventId: 'e2' }));
    expect(decision.notifications[0]).toMatchObject({
      kind: 'order-cancelled',
      subject: 'The rest of your order order-1 is cancelled',
      message: expect.stringContaining('What has already shipped is on its way'),
    });
  });
});

describe('substitute-accepted', () => {
  const substituted = lineSubstituted({ eventId: 'sub-1', occurredAt: at(10) });
  const reservedView = (eventId: string, second: number) =>
    statusChanged({ eventId, occurredAt: at(second) }, {
      status: 'confirmed',
      lines: [line({ lineId: 'line-1', reserved: 0, released: 2 }), line({ lineId: 'order-1-2', sku: 'SKU-B', reserved: 2 })],
    });

  it('waits for inventory to answer the new line, then says the substitute is set aside, and nothing more', () => {
    expect(given([stockUnavailable({ eventId: 'e1' })]).when(substituted)).toEqual({
      facts: [expect.objectContaining({ type: 'SubstitutionNoted' })],
      notifications: [],
    });
    const { notifications } = run([stockUnavailable({ eventId: 'e1', occurredAt: at(1) }), substituted, reservedView('status-1', 12)]);
    expect(told(notifications)).toEqual([
      expect.objectContaining({ kind: 'out-of-stock' }),
      {
        kind: 'substitute-accepted',
        sku: 'SKU-B',
        occurredAt: at(10),
        message: 'You chose SKU-B instead of SKU-A on your order order-1: 2 units. They are set aside for you.',
      },
    ]);
  });

  it('never makes a substitute set aside at once an order-confirmed, even for an order never confirmed before', () => {
    const rejected = statusChanged({ eventId: 'status-0', occurredAt: at(2) }, { status: 'rejected', lines: [line({ reserved: 0, unavailable: 2 })] });
    const { notifications } = run([stockUnavailable({ eventId: 'e1', occurredAt: at(1) }), rejected, substituted, reservedView('status-1', 12)]);
    expect(kinds(notifications)).toEqual(['out-of-stock', 'substitute-accepted']);
  });

  it('is told at the time of the substitution, before the backorder inventory reported for the new line, in either arrival order', () => {
    const queuedNewLine = backorderQueued({ eventId: 'q-1', occurredAt: at(11) }, { lineId: 'order-1-2', sku: 'SKU-B', quantity: 2 });
    const waitingView = statusChanged({ eventId: 'status-1', occurredAt: at(12) }, {
      status: 'backordered',
      lines: [line({ lineId: 'line-1', reserved: 0, released: 2 }), line({ lineId: 'order-1-2', sku: 'SKU-B', reserved: 0, backordered: 2 })],
    });
    for (const inputs of [
      [substituted, queuedNewLine, waitingView],
      [queuedNewLine, substituted, waitingView],
      [substituted, waitingView, queuedNewLine],
    ]) {
      const { notifications } = run(inputs);
      const listed = told(notifications).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
      expect(listed.map((n) => n.kind)).toEqual(['substitute-accepted', 'backordered']);
      expect(listed[0]?.message).toBe('You chose SKU-B instead of SKU-A on your order order-1: 2 units. We will tell you when we can send them.');
    }
  });

  it('says how much is set aside when inventory reserved part of the new line', () => {
    const view = statusChanged({ eventId: 'status-1' }, {
      status: 'backordered',
      lines: [line({ lineId: 'order-1-2', sku: 'SKU-B', quantity: 3, reserved: 1, backordered: 2 })],
    });
    const { notifications } = run([lineSubstituted({ eventId: 'sub-1' }, { quantity: 3 }), view]);
    expect(notifications[0]?.message).toBe(
      'You chose SKU-B instead of SKU-A on your order order-1: 3 units. 1 unit is set aside for you; we will tell you about the other 2.',
    );
  });

  it('keeps waiting through a view older than the substitution: one without the new line, or dated before it', () => {
    const old = statusChanged({ eventId: 'status-0', occurredAt: at(11) }, { status: 'confirmed', lines: [line({ reserved: 2 })] });
    expect(given([substituted]).when(old).notifications.filter((n) => n.kind === 'substitute-accepted')).toEqual([]);
    expect(given([substituted]).when({ ...reservedView('status-0', 9) }).notifications.filter((n) => n.kind === 'substitute-accepted')).toEqual([]);
  });

  it('is told before order-cancelled when the order is cancelled before inventory answered', () => {
    const { notifications } = run([substituted, orderCancelled({ eventId: 'c-1', occurredAt: at(11) })]);
    expect(kinds(notifications)).toEqual(['substitute-accepted', 'order-cancelled']);
  });

  it('is told once however often the substitution and the view are delivered', () => {
    const { notifications } = run([substituted, reservedView('status-1', 12), substituted, reservedView('status-1', 12), reservedView('status-2', 13)]);
    expect(kinds(notifications)).toEqual(['substitute-accepted']);
  });

  it('tells two substitutions of one order each once', () => {
    const second = lineSubstituted({ eventId: 'sub-2', occurredAt: at(11) }, { lineId: 'line-2', newLineId: 'order-1-3', sku: 'SKU-C', substituteSku: 'SKU-D' });
    const view = statusChanged({ eventId: 'status-1', occurredAt: at(12) }, {
      status: 'confirmed',
      lines: [line({ lineId: 'order-1-2', sku: 'SKU-B', reserved: 2 }), line({ lineId: 'order-1-3', sku: 'SKU-D', reserved: 2 })],
    });
    expect(told(run([substituted, second, view]).notifications).map((n) => n.sku)).toEqual(['SKU-B', 'SKU-D']);
  });
});

describe('backorder-expired', () => {
  it('tells a line released because it waited too long, once', () => {
    const expired = backorderReleased({ eventId: 'r-1', occurredAt: at(4) }, { quantity: 2 });
    const { notifications } = run([backorderQueued({ eventId: 'q-1' }), expired, expired, backorderReleased({ eventId: 'r-2' }, { quantity: 1 })]);
    expect(told(notifications)[1]).toEqual({
      kind: 'backorder-expired',
      sku: 'SKU-A',
      occurredAt: at(4),
      message: 'Sorry: 2 units of SKU-A on your order order-1 waited longer than we hold a backorder, so they are cancelled. You will not be charged for them.',
    });
    expect(kinds(notifications)).toEqual(['backordered', 'backorder-expired']);
  });

  it('tells each expired line of an order', () => {
    const { notifications } = run([backorderReleased({ eventId: 'r-1' }), backorderReleased({ eventId: 'r-2' }, { lineId: 'line-2', sku: 'SKU-B' })]);
    expect(told(notifications).map((n) => n.sku)).toEqual(['SKU-A', 'SKU-B']);
  });

  it.each(['order-cancelled', 'line-cancelled', 'substituted'])('tells nothing for a release the customer asked for (%s)', (reason) => {
    expect(given([]).when(backorderReleased({ eventId: 'r-1' }, { reason }))).toEqual({ facts: [], notifications: [] });
  });

  it('tells nothing after the order was told cancelled', () => {
    expect(given([orderCancelled({ eventId: 'c-1' })]).when(backorderReleased({ eventId: 'r-1' })).notifications).toEqual([]);
  });
});

describe('preordered', () => {
  it('tells a preordered line instead of a backordered one, with its promised date', () => {
    const decision = given([]).when(backorderQueued({ eventId: 'q-1' }, { preorder: true, position: 1, quantity: 1 }));
    expect(told(decision.notifications)).toEqual([
      {
        kind: 'preordered',
        sku: 'SKU-A',
        occurredAt: '2026-11-27T10:00:00.000Z',
        message: '1 unit of SKU-A on your order order-1 is preordered: you are first in line when it is released. We expect it by Tuesday, 8 December 2026.',
      },
    ]);
  });

  it('then never tells order-confirmed, like any order that waited', () => {
    const { notifications } = run([
      backorderQueued({ eventId: 'q-1' }, { preorder: true }),
      backorderAllocated({ eventId: 'a-1' }, { remaining: 0 }),
      statusChanged({ eventId: 'status-1' }, { status: 'confirmed', lines: [line({ reserved: 2 })] }),
    ]);
    expect(kinds(notifications)).toEqual(['preordered', 'backorder-allocated']);
  });
});

describe("a customer's memory", () => {
  const lifeOf = (n: number) => {
    const orderId = `order-${n}`;
    const e = (name: string) => ({ eventId: `${orderId}/${name}`, occurredAt: new Date(Date.UTC(2026, 10, 27) + n * 60_000).toISOString() });
    return [
      orderPlaced(e('placed'), { orderId }),
      statusChanged(e('confirmed'), { orderId }),
      orderShipped(e('shipped'), { orderId }),
      statusChanged(e('done'), { orderId, status: 'shipped', lines: [line({ reserved: 0, shipped: 2 })] }),
    ];
  };

  it('keeps what open orders need and only the latest closed orders, however many orders the customer had', () => {
    const inputs = Array.from({ length: 500 }, (_, n) => lifeOf(n)).flat();
    const { state, notifications } = run(inputs);
    const customer = customerStateOf(state, 'customer-1');
    expect(kinds(notifications).filter((kind) => kind === 'order-confirmed')).toHaveLength(500);
    expect(customer.orders.size).toBe(CLOSED_ORDERS_KEPT);
    // Four events each: placed (not told), confirmed, shipped, the closing view (not told).
    expect(customer.handledEventIds.size).toBe(2 * CLOSED_ORDERS_KEPT);
    expect([...customer.orders.keys()]).toEqual(Array.from({ length: CLOSED_ORDERS_KEPT }, (_, i) => `order-${500 - CLOSED_ORDERS_KEPT + i}`));
  });

  it('keeps every open order, and forgets none of it while the order is open', () => {
    const open = Array.from({ length: 30 }, (_, n) => lifeOf(n).slice(0, 2)).flat();
    const closed = Array.from({ length: 30 }, (_, n) => lifeOf(100 + n)).flat();
    const { state } = run([...open, ...closed]);
    const customer = customerStateOf(state, 'customer-1');
    expect(customer.orders.size).toBe(30 + CLOSED_ORDERS_KEPT);
    // A redelivered confirmation of an open order is still recognised.
    expect(given([...open, ...closed]).when(lifeOf(0)[1]!).notifications).toEqual([]);
  });

  it('reopens an order closed as rejected when the customer takes a substitute, so it is not forgotten before it is told', () => {
    const rejected = statusChanged({ eventId: 'status-0' }, { status: 'rejected', lines: [line({ reserved: 0, unavailable: 2 })] });
    const others = Array.from({ length: CLOSED_ORDERS_KEPT + 5 }, (_, n) => lifeOf(n + 1000)).flat();
    const substitutedLater = lineSubstituted({ eventId: 'sub-1', occurredAt: '2026-12-30T00:00:00.000Z' });
    const view = statusChanged({ eventId: 'status-1', occurredAt: '2026-12-30T00:00:05.000Z' }, {
      status: 'confirmed',
      lines: [line({ lineId: 'order-1-2', sku: 'SKU-B', reserved: 2 })],
    });
    const { notifications } = run([rejected, substitutedLater, ...others, view]);
    expect(kinds(notifications).filter((kind) => kind === 'substitute-accepted')).toHaveLength(1);
  });
});
