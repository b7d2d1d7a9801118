import { describe, expect, it } from '@jest/globals';
import {
  backInStock,
  backorderAllocated,
  backorderQueued,
  etaChanged,
  given,
  line,
  orderCancelled,
  orderPlaced,
  run,
  statusChanged,
  stockUnavailable,
} from './notification.fixtures.js';
import type { NotificationInput } from './notification-input.js';
import { customerStateOf, type NotificationConfig } from './notification.js';
import { decide } from './notification.decide.js';
import { notificationIdOf } from './notification-id.js';

const WITH_EMAIL = orderPlaced({ eventId: 'placed-1' }, { email: 'ada@example.com' });
const WEBHOOK: NotificationConfig = { webhookEnabled: true, timeZone: 'UTC' };

describe('order-confirmed', () => {
  it('tells a confirmed order once per channel, at the time of the status change', () => {
    const decision = given([WITH_EMAIL]).when(
      statusChanged({ eventId: 'status-1', occurredAt: '2026-11-27T10:00:05.000Z' }, { status: 'confirmed' }),
    );

    expect(decision.notifications).toEqual([
      {
        notificationId: notificationIdOf({ sourceEventId: 'status-1', customerId: 'customer-1', kind: 'order-confirmed', channel: 'in-app' }),
        customerId: 'customer-1',
        orderId: 'order-1',
        sku: null,
        kind: 'order-confirmed',
        channel: 'in-app',
        subject: 'Your order order-1 is confirmed',
        message: 'Good news: your order order-1 is confirmed. We have set aside 2 units of SKU-A for you.',
        occurredAt: '2026-11-27T10:00:05.000Z',
        sourceEventId: 'status-1',
      },
      expect.objectContaining({ channel: 'email', emailTo: 'ada@example.com', kind: 'order-confirmed' }),
    ]);
    expect(decision.facts).toEqual([
      {
        type: 'ChangeNotified',
        data: {
          customerId: 'customer-1',
          sourceEventId: 'status-1',
          kind: 'order-confirmed',
          orderId: 'order-1',
          sku: null,
          occurredAt: '2026-11-27T10:00:05.000Z',
          notificationIds: decision.notifications.map((n) => n.notificationId),
        },
      },
    ]);
  });

  it('is never told for an order whose status was backordered', () => {
    const decision = given([statusChanged({ eventId: 'status-1' }, { status: 'backordered', lines: [line({ reserved: 0, backordered: 2 })] })]).when(
      statusChanged({ eventId: 'status-2' }, { status: 'confirmed', lines: [line({ reserved: 0, allocated: 2 })] }),
    );
    expect(decision).toEqual({ facts: [], notifications: [] });
  });

  it('is never told for an order with a queued line, even before its backordered status arrives', () => {
    // BackorderQueued and the order's status travel on different topics, so either may be read first.
    const decision = given([backorderQueued({ eventId: 'queued-1' })]).when(statusChanged({ eventId: 'status-1' }));
    expect(decision.notifications).toEqual([]);
  });

  it('is not told when the confirmed lines show allocated units, even with nothing remembered', () => {
    const decision = given([]).when(
      statusChanged({ eventId: 'status-1' }, { lines: [line({ reserved: 1, allocated: 1 })] }),
    );
    expect(decision.notifications).toEqual([]);
  });

  it('is told once per order even when a second status change says confirmed again', () => {
    const decision = given([statusChanged({ eventId: 'status-1' })]).when(statusChanged({ eventId: 'status-2' }));
    expect(decision.notifications).toEqual([]);
  });

  it('adds up what is set aside per SKU and leaves out lines with nothing set aside', () => {
    const decision = given([]).when(
      statusChanged(
        { eventId: 'status-1' },
        {
          lines: [
            line({ lineId: 'l1', sku: 'SKU-A', quantity: 2, reserved: 2 }),
            line({ lineId: 'l2', sku: 'SKU-B', quantity: 1, reserved: 1 }),
            line({ lineId: 'l3', sku: 'SKU-A', quantity: 1, reserved: 1 }),
            line({ lineId: 'l4', sku: 'SKU-C', quantity: 4, reserved: 0, unavailable: 4 }),
          ],
        },
      ),
    );
    expect(decision.notifications[0]?.message).toBe(
      'Good news: your order order-1 is confirmed. We have set aside 3 units of SKU-A and 1 unit of SKU-B for you.',
    );
  });

  it.each(['pending', 'partially-shipped'] as const)('says nothing on status %s', (status) => {
    expect(given([]).when(statusChanged({ eventId: 'status-1' }, { status }))).toEqual({ facts: [], notifications: [] });
  });

  it.each(['rejected', 'cancelled', 'shipped'] as const)('tells nothing on status %s, and notes once that the order is over', (status) => {
    const closed = { type: 'OrderClosed', data: { customerId: 'customer-1', orderId: 'order-1', closedAt: '2026-11-27T10:00:00.000Z' } };
    expect(given([]).when(statusChanged({ eventId: 'status-1' }, { status }))).toEqual({ facts: [closed], notifications: [] });
    expect(given([statusChanged({ eventId: 'status-1' }, { status })]).when(statusChanged({ eventId: 'status-2' }, { status }))).toEqual({
      facts: [],
      notifications: [],
    });
  });

  it('notes a backordered status once, without telling anything', () => {
    const backordered = (eventId: string) => statusChanged({ eventId }, { status: 'backordered' });
    expect(given([]).when(backordered('status-1'))).toEqual({
      facts: [{ type: 'OrderBackorderNoted', data: { customerId: 'customer-1', orderId: 'order-1' } }],
      notifications: [],
    });
    expect(given([backordered('status-1')]).when(backordered('status-2'))).toEqual({ facts: [], notifications: [] });
  });
});

describe('backordered', () => {
  it('tells each queued line with its place in line and promised date', () => {
    const decision = given([]).when(backorderQueued({ eventId: 'queued-1' }));
    expect(decision.notifications).toEqual([
      expect.objectContaining({
        kind: 'backordered',
        channel: 'in-app',
        orderId: 'order-1',
        sku: 'SKU-A',
        subject: 'SKU-A is on backorder for order order-1',
        message:
          '3 units of SKU-A on your order order-1 are on backorder: you are number 2 in line for the next delivery. ' +
          'We expect them by Tuesday, 8 December 2026. If you would rather not wait, you can cancel the order.',
      }),
    ]);
  });

  it('says there is no date yet when none is promised', () => {
    const decision = given([]).when(backorderQueued({ eventId: 'queued-1' }, { expectedAt: null }));
    expect(decision.notifications[0]?.message).toContain('We have no delivery date yet; we will tell you as soon as we do.');
  });

  it('tells two queued lines of one order separately', () => {
    const { notifications } = run([
      backorderQueued({ eventId: 'queued-1' }, { lineId: 'line-1', sku: 'SKU-A' }),
      backorderQueued({ eventId: 'queued-2' }, { lineId: 'line-2', sku: 'SKU-B' }),
    ]);
    expect(notifications.map((n) => [n.kind, n.sku])).toEqual([
      ['backordered', 'SKU-A'],
      ['backordered', 'SKU-B'],
    ]);
  });
});

describe('backorder-eta-changed', () => {
  it('tells a line whose promised day moves', () => {
    const decision = given([backorderQueued({ eventId: 'queued-1' })]).when(etaChanged({ eventId: 'eta-1' }));
    expect(decision.notifications).toEqual([
      expect.objectContaining({
        kind: 'backorder-eta-changed',
        sku: 'SKU-A',
        message:
          'Sorry: the backordered SKU-A on your order order-1 is delayed. We now expect it by Tuesday, 15 December 2026 ' +
          'instead of Tuesday, 8 December 2026. If you would rather not wait, you can cancel the order.',
      }),
    ]);
  });

  it('says nothing when the promised day, as the customer reads it, stays the same', () => {
    const sameDay = etaChanged(
      { eventId: 'eta-1' },
      { previousExpectedAt: '2026-12-08T09:00:00.000Z', expectedAt: '2026-12-08T17:00:00.000Z' },
    );
    expect(given([]).when(sameDay).notifications).toEqual([]);
    expect(given([]).when(etaChanged({ eventId: 'eta-2' }, { previousExpectedAt: null, expectedAt: null })).notifications).toEqual([]);
  });

  it('still remembers the line waits when the day stays the same, so the order is never told order-confirmed', () => {
    // Found by the property "never order-confirmed for an order that waited".
    const sameDay = etaChanged({ eventId: 'eta-1' }, { previousExpectedAt: '2026-12-08T09:00:00.000Z', expectedAt: '2026-12-08T17:00:00.000Z' });
    expect(given([]).when(sameDay).facts).toEqual([
      { type: 'OrderBackorderNoted', data: { customerId: 'customer-1', orderId: 'order-1' } },
    ]);
    expect(given([sameDay]).when(statusChanged({ eventId: 'status-1' })).notifications).toEqual([]);
  });

  it('reads the day in the configured time zone', () => {
    // 09:00Z and 23:30Z are the same day in UTC but two different days in Berlin.
    const move = etaChanged({ eventId: 'eta-1' }, { previousExpectedAt: '2026-12-08T09:00:00.000Z', expectedAt: '2026-12-08T23:30:00.000Z' });
    expect(decide(move, given([]).state, { webhookEnabled: false, timeZone: 'UTC' }).notifications).toEqual([]);
    const berlin = decide(move, given([]).state, { webhookEnabled: false, timeZone: 'Europe/Berlin' });
    expect(berlin.notifications[0]?.message).toContain('We now expect it by Wednesday, 9 December 2026 instead of Tuesday, 8 December 2026.');
  });

  it('marks the order as backordered, so it is never told order-confirmed afterwards', () => {
    const decision = given([etaChanged({ eventId: 'eta-1' })]).when(statusChanged({ eventId: 'status-1' }));
    expect(decision.notifications).toEqual([]);
  });
});

describe('backorder-allocated', () => {
  it('tells every allocation of a line filled in two receipts, saying how many arrived and how many still wait', () => {
    const { notifications } = run([
      backorderQueued({ eventId: 'queued-1' }, { quantity: 3 }),
      backorderAllocated({ eventId: 'alloc-1' }, { quantity: 2, remaining: 1 }),
      backorderAllocated({ eventId: 'alloc-2' }, { quantity: 1, remaining: 0 }),
    ]);
    const allocated = notifications.filter((n) => n.kind === 'backorder-allocated');
    expect(allocated.map((n) => n.message)).toEqual([
      '2 units of SKU-A for your order order-1 have arrived and are set aside for you. 1 more is still on backorder; we will tell you when it arrives.',
      '1 unit of SKU-A for your order order-1 has arrived and is set aside for you. That completes SKU-A on this order.',
    ]);
    expect(new Set(allocated.map((n) => n.notificationId)).size).toBe(2);
  });

  it('then never tells order-confirmed when the order becomes confirmed', () => {
    const decision = given([
      backorderAllocated({ eventId: 'alloc-1' }, { quantity: 2, remaining: 0 }),
    ]).when(statusChanged({ eventId: 'status-1' }, { lines: [line({ reserved: 0, allocated: 2 })] }));
    expect(decision.notifications).toEqual([]);
  });
});

describe('out-of-stock', () => {
  it('says the line will not be filled and suggests the substitutes', () => {
    const decision = given([]).when(stockUnavailable({ eventId: 'oos-1' }, { substitutes: ['SKU-B', 'SKU-C'] }));
    expect(decision.notifications).toEqual([
      expect.objectContaining({
        kind: 'out-of-stock',
        orderId: 'order-1',
        sku: 'SKU-A',
        subject: 'SKU-A is out of stock for order order-1',
        message:
          'Sorry: SKU-A is out of stock and no restock is planned, so 2 units of SKU-A on your order order-1 will not be filled. ' +
          'You could order SKU-B or SKU-C instead. We will let you know when SKU-A is back in stock.',
      }),
    ]);
  });

  it('remembers the customer waits for the SKU to come back', () => {
    const { state } = run([stockUnavailable({ eventId: 'oos-1', occurredAt: '2026-11-27T10:00:03.000Z' })]);
    expect(customerStateOf(state, 'customer-1').awaitingRestock.get('SKU-A')).toEqual({
      orderId: 'order-1',
      since: '2026-11-27T10:00:03.000Z',
    });
  });
});

describe('order-cancelled', () => {
  it('tells a cancellation with its reason', () => {
    const decision = given([WITH_EMAIL]).when(orderCancelled({ eventId: 'cancel-1' }));
    expect(decision.notifications.map((n) => [n.channel, n.kind, n.message])).toEqual([
      ['in-app', 'order-cancelled', 'Your order order-1 has been cancelled. Reason: customer request. Nothing more from this order will be sent to you.'],
      ['email', 'order-cancelled', 'Your order order-1 has been cancelled. Reason: customer request. Nothing more from this order will be sent to you.'],
    ]);
  });

  it('tells it once per order, even if the order is reported cancelled twice', () => {
    const decision = given([orderCancelled({ eventId: 'cancel-1' })]).when(orderCancelled({ eventId: 'cancel-2' }));
    expect(decision).toEqual({ facts: [], notifications: [] });
  });

  it('tells each cancelled order of the customer', () => {
    const decision = given([orderCancelled({ eventId: 'cancel-1' })]).when(
      orderCancelled({ eventId: 'cancel-2' }, { orderId: 'order-2' }),
    );
    expect(decision.notifications.map((n) => n.orderId)).toEqual(['order-2']);
  });
});

describe('back-in-stock', () => {
  const toldOutOfStock = [
    orderPlaced({ eventId: 'placed-2' }, { orderId: 'order-2', customerId: 'customer-2', email: 'bob@example.com' }),
    stockUnavailable({ eventId: 'oos-2' }, { customerId: 'customer-2', orderId: 'order-2' }),
    stockUnavailable({ eventId: 'oos-1' }, { customerId: 'customer-1', orderId: 'order-1' }),
    stockUnavailable({ eventId: 'oos-3' }, { customerId: 'customer-3', orderId: 'order-3', sku: 'SKU-Z' }),
  ];

  it('fans out to every customer told the SKU was out of stock, and to no one else', () => {
    const decision = given(toldOutOfStock).when(backInStock({ eventId: 'back-1', occurredAt: '2026-11-30T08:00:00.000Z' }));
    expect(decision.notifications.map((n) => [n.customerId, n.channel, n.orderId, n.sku, n.occurredAt])).toEqual([
      ['customer-1', 'in-app', 'order-1', 'SKU-A', '2026-11-30T08:00:00.000Z'],
      ['customer-2', 'in-app', 'order-2', 'SKU-A', '2026-11-30T08:00:00.000Z'],
      ['customer-2', 'email', 'order-2', 'SKU-A', '2026-11-30T08:00:00.000Z'],
    ]);
    expect(decision.notifications[0]?.message).toBe(
      'Good news: SKU-A is back in stock (5 available right now). It was missing from your order order-1; if you still want it, you can order it again.',
    );
    expect(decision.facts.map((f) => f.data.customerId)).toEqual(['customer-1', 'customer-2']);
  });

  it('tells each (customer, SKU) once, however often the SKU comes back', () => {
    const { notifications } = run([
      ...toldOutOfStock,
      backInStock({ eventId: 'back-1' }),
      backInStock({ eventId: 'back-2' }),
      backInStock({ eventId: 'back-3', occurredAt: '2026-12-01T00:00:00.000Z' }, { available: 9 }),
    ]);
    const backInStockTold = notifications.filter((n) => n.kind === 'back-in-stock' && n.channel === 'in-app');
    expect(backInStockTold.map((n) => [n.customerId, n.sourceEventId])).toEqual([
      ['customer-1', 'back-1'],
      ['customer-2', 'back-1'],
    ]);
  });

  it('ignores a redelivered BackInStock from before the customer was told out of stock', () => {
    // Found by the redelivery property: that stock was gone again by the time the line was refused.
    const before = backInStock({ eventId: 'back-0', occurredAt: '2026-11-27T09:00:00.000Z' });
    const decision = given([before, stockUnavailable({ eventId: 'oos-1', occurredAt: '2026-11-27T10:00:00.000Z' })]).when(before);
    expect(decision).toEqual({ facts: [], notifications: [] });
  });

  it('tells nothing of a BackInStock as old as the out-of-stock: it was decided first, and the refusal found it gone', () => {
    // Found by the chaos soak: both dated 06:48:02.844 by a release that could date two decisions alike. Inventory now
    // dates a SKU's decisions strictly apart; a BackInStock read after the refusal yet as old is from before it.
    const sameTick = '2026-11-27T10:00:00.000Z';
    const decision = given([stockUnavailable({ eventId: 'oos-1', occurredAt: sameTick })]).when(backInStock({ eventId: 'back-0', occurredAt: sameTick }));
    expect(decision).toEqual({ facts: [], notifications: [] });
    const later = given([stockUnavailable({ eventId: 'oos-1', occurredAt: sameTick })]).when(
      backInStock({ eventId: 'back-1', occurredAt: '2026-11-27T10:00:00.001Z' }),
    );
    expect(later.notifications.map((n) => [n.customerId, n.kind, n.sourceEventId])).toEqual([['customer-1', 'back-in-stock', 'back-1']]);
  });

  // Found by the chaos soak. Order-2's refusal (10:01) is read before its OrderPlaced, so it waits (parked) with a copy
  // of the BackInStock (10:02) that came after it on inventory.events; that BackInStock was meanwhile told for order-1.
  const lateRefusal = [
    orderPlaced({ eventId: 'placed-2' }, { orderId: 'order-2' }),
    stockUnavailable({ eventId: 'oos-1', occurredAt: '2026-11-27T10:00:00.000Z' }),
    backInStock({ eventId: 'back-1', occurredAt: '2026-11-27T10:02:00.000Z' }),
    stockUnavailable({ eventId: 'oos-2', occurredAt: '2026-11-27T10:01:00.000Z' }, { orderId: 'order-2' }),
  ];

  it('closes a late wait without telling again when the BackInStock parked behind it was already told', () => {
    const decision = given(lateRefusal).when(backInStock({ eventId: 'back-1', occurredAt: '2026-11-27T10:02:00.000Z' }));
    expect(decision.notifications).toEqual([]);
    expect(decision.facts).toEqual([
      {
        type: 'ChangeNotified',
        data: { kind: 'back-in-stock', orderId: 'order-2', sku: 'SKU-A', customerId: 'customer-1', sourceEventId: 'back-1', occurredAt: '2026-11-27T10:02:00.000Z', notificationIds: [] },
      },
    ]);
    const { notifications } = run([...lateRefusal, backInStock({ eventId: 'back-1', occurredAt: '2026-11-27T10:02:00.000Z' }), backInStock({ eventId: 'back-2', occurredAt: '2026-11-27T10:05:00.000Z' })]);
    expect(notifications.filter((n) => n.kind === 'back-in-stock').map((n) => n.sourceEventId)).toEqual(['back-1']);
  });

  /** Order-2 refused at 10:03 is known first; order-1's refusal of 10:00 is read after it. */
  const earlierWaitReadLate = [
      orderPlaced({ eventId: 'placed-1' }, { orderId: 'order-1' }),
      orderPlaced({ eventId: 'placed-2' }, { orderId: 'order-2' }),
      stockUnavailable({ eventId: 'oos-2', occurredAt: '2026-11-27T10:03:00.000Z' }, { orderId: 'order-2' }),
      stockUnavailable({ eventId: 'oos-1', occurredAt: '2026-11-27T10:00:00.000Z' }, { orderId: 'order-1' }),
  ];

  it('keeps the later wait when a late out-of-stock opens an earlier one in front of it, and tells each its own stock', () => {
    // Found by the chaos soak: order-2 refused at 10:03 is known first; order-1's refusal of 10:00 is read late, with
    // the BackInStock of 10:01 parked behind it. 10:01's stock answers order-1's wait only (it was gone by 10:03);
    // order-2's wait goes on until the stock of 10:05. Both are told, each once.
    const { notifications, state } = run([
      ...earlierWaitReadLate,
      backInStock({ eventId: 'back-1', occurredAt: '2026-11-27T10:01:00.000Z' }),
      backInStock({ eventId: 'back-1', occurredAt: '2026-11-27T10:01:00.000Z' }),
      backInStock({ eventId: 'back-2', occurredAt: '2026-11-27T10:05:00.000Z' }),
      backInStock({ eventId: 'back-3', occurredAt: '2026-11-27T10:06:00.000Z' }),
    ]);
    expect(notifications.filter((n) => n.kind === 'back-in-stock' && n.channel === 'in-app').map((n) => [n.orderId, n.sourceEventId])).toEqual([
      ['order-1', 'back-1'],
      ['order-2', 'back-2'],
    ]);
    expect(state.customers.get('customer-1')!.awaitingRestock.size).toBe(0);
  });

  it('lets one BackInStock answer both waits when it came after the later one too', () => {
    const { notifications } = run([
      ...earlierWaitReadLate,
      backInStock({ eventId: 'back-2', occurredAt: '2026-11-27T10:05:00.000Z' }),
      backInStock({ eventId: 'back-3', occurredAt: '2026-11-27T10:06:00.000Z' }),
    ]);
    expect(notifications.filter((n) => n.kind === 'back-in-stock' && n.channel === 'in-app').map((n) => n.sourceEventId)).toEqual(['back-2']);
  });

  it('tells a late wait the BackInStock parked behind it when the customer had not heard of that stock', () => {
    // Order-2's refusal (10:01) waits with the BackInStock of 10:02, which concerned nobody yet; order-3 is refused at
    // 10:03 and told back in stock at 10:05. Then order-2's events come out: its wait is answered by 10:02's stock.
    const { notifications } = run([
      orderPlaced({ eventId: 'placed-2' }, { orderId: 'order-2' }),
      orderPlaced({ eventId: 'placed-3' }, { orderId: 'order-3' }),
      stockUnavailable({ eventId: 'oos-3', occurredAt: '2026-11-27T10:03:00.000Z' }, { orderId: 'order-3' }),
      backInStock({ eventId: 'back-2', occurredAt: '2026-11-27T10:05:00.000Z' }),
      stockUnavailable({ eventId: 'oos-2', occurredAt: '2026-11-27T10:01:00.000Z' }, { orderId: 'order-2' }),
      backInStock({ eventId: 'back-1', occurredAt: '2026-11-27T10:02:00.000Z' }),
    ]);
    expect(notifications.filter((n) => n.kind === 'back-in-stock').map((n) => [n.orderId, n.sourceEventId])).toEqual([
      ['order-3', 'back-2'],
      ['order-2', 'back-1'],
    ]);
  });

  it('tells a customer again after they were told out of stock again, naming the latest order', () => {
    const decision = given([
      ...toldOutOfStock,
      backInStock({ eventId: 'back-1' }),
      stockUnavailable({ eventId: 'oos-4' }, { customerId: 'customer-1', orderId: 'order-4' }),
    ]).when(backInStock({ eventId: 'back-2' }));
    expect(decision.notifications.map((n) => [n.customerId, n.orderId])).toEqual([['customer-1', 'order-4']]);
  });
});

describe('redelivery', () => {
  const firstDeliveries: [string, readonly NotificationInput[], NotificationInput][] = [
    ['OrderStatusChanged', [WITH_EMAIL], statusChanged({ eventId: 'status-1' })],
    ['OrderCancelled', [WITH_EMAIL], orderCancelled({ eventId: 'cancel-1' })],
    ['BackorderQueued', [WITH_EMAIL], backorderQueued({ eventId: 'queued-1' })],
    ['BackorderAllocated', [WITH_EMAIL], backorderAllocated({ eventId: 'alloc-1' })],
    ['BackorderEtaChanged', [WITH_EMAIL], etaChanged({ eventId: 'eta-1' })],
    ['StockUnavailable', [WITH_EMAIL], stockUnavailable({ eventId: 'oos-1' })],
    ['BackInStock', [WITH_EMAIL, stockUnavailable({ eventId: 'oos-1' })], backInStock({ eventId: 'back-1' })],
  ];

  it.each(firstDeliveries)('of %s tells nothing new, and the same event on the same state gets the same ids', (_type, history, event) => {
    const before = given(history, WEBHOOK);
    const first = before.when(event);
    expect(first.notifications).toHaveLength(3);
    expect(before.when(event)).toEqual(first);

    const redelivered = given([...history, event], WEBHOOK).when(event);
    expect(redelivered).toEqual({ facts: [], notifications: [] });
  });

  it('of an event told while the customer had no address still tells nothing once an address is known', () => {
    const { notifications } = run([
      backorderQueued({ eventId: 'queued-1' }),
      WITH_EMAIL,
      backorderQueued({ eventId: 'queued-1' }),
    ]);
    expect(notifications.map((n) => n.channel)).toEqual(['in-app']);
  });
});

describe('channels', () => {
  it('uses in-app only when the customer gave no address and no webhook is configured', () => {
    const decision = given([orderPlaced({ eventId: 'placed-1' })]).when(backorderQueued({ eventId: 'queued-1' }));
    expect(decision.notifications.map((n) => n.channel)).toEqual(['in-app']);
  });

  it('treats a blank address as no address', () => {
    const { facts } = run([orderPlaced({ eventId: 'placed-1' }, { email: '   ' })]);
    expect(facts).toEqual([]);
  });

  it('adds a webhook notification when a webhook is configured', () => {
    const decision = given([WITH_EMAIL], WEBHOOK).when(backorderQueued({ eventId: 'queued-1' }));
    expect(decision.notifications.map((n) => n.channel)).toEqual(['in-app', 'email', 'webhook']);
    expect(new Set(decision.notifications.map((n) => n.notificationId)).size).toBe(3);
  });

  it('emails the address given last in time, even when an older order is read after a newer one', () => {
    const { state, facts } = run([
      orderPlaced({ eventId: 'placed-2', occurredAt: '2026-11-27T11:00:00.000Z' }, { orderId: 'order-2', email: 'new@example.com' }),
      orderPlaced({ eventId: 'placed-1', occurredAt: '2026-11-27T10:00:00.000Z' }, { orderId: 'order-1', email: 'old@example.com' }),
      orderPlaced({ eventId: 'placed-3', occurredAt: '2026-11-27T12:00:00.000Z' }, { orderId: 'order-3' }),
    ]);
    expect(facts).toEqual([
      { type: 'EmailAddressGiven', data: { customerId: 'customer-1', email: 'new@example.com', givenAt: '2026-11-27T11:00:00.000Z' } },
    ]);
    const decision = decide(backorderQueued({ eventId: 'queued-1' }), state);
    expect(decision.notifications.find((n) => n.channel === 'email')).toEqual(
      expect.objectContaining({ emailTo: 'new@example.com' }),
    );
  });

  it('keeps one customer\'s address away from another customer', () => {
    const decision = given([WITH_EMAIL]).when(backorderQueued({ eventId: 'queued-1' }, { customerId: 'customer-2' }));
    expect(decision.notifications.map((n) => n.channel)).toEqual(['in-app']);
  });
});
