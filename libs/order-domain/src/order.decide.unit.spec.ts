import { describe, expect, it } from '@jest/globals';
import {
  OrderDomainError,
  orderDecider,
  orderView,
  pendingUnits,
  type OrderCommand,
  type OrderEvent,
  type OrderStatus,
  type PlacedOrder,
} from './index.js';
import { deciderSpec } from '@fulfillment/testing';

const spec = deciderSpec(orderDecider);
const orderId = 'o-1';
const customerId = 'c-1';
const now = '2026-11-27T10:00:00.000Z';
const dec1 = '2026-12-01T00:00:00.000Z';
const dec5 = '2026-12-05T00:00:00.000Z';

// L1: 3 × SKU-A, L2: 2 × SKU-B
const placed: OrderEvent = {
  type: 'OrderPlaced',
  data: {
    orderId,
    customerId,
    email: 'buyer@example.com',
    lines: [
      { lineId: 'L1', sku: 'SKU-A', quantity: 3 },
      { lineId: 'L2', sku: 'SKU-B', quantity: 2 },
    ],
    placedAt: now,
  },
};

const reserved = (lineId: string, quantity: number, eventId: string): OrderEvent => ({
  type: 'LineReserved',
  data: { orderId, lineId, quantity, eventId },
});
const backordered = (lineId: string, quantity: number, expectedAt: string | null, eventId: string): OrderEvent => ({
  type: 'LineBackordered',
  data: { orderId, lineId, quantity, expectedAt, eventId },
});
const allocated = (lineId: string, quantity: number, eventId: string): OrderEvent => ({
  type: 'LineAllocated',
  data: { orderId, lineId, quantity, eventId },
});
const unavailable = (lineId: string, quantity: number, eventId: string, substitutes: string[] = []): OrderEvent => ({
  type: 'LineUnavailable',
  data: { orderId, lineId, quantity, substitutes, eventId },
});
const statusChanged = (previous: OrderStatus, status: OrderStatus): OrderEvent => ({
  type: 'OrderStatusChanged',
  data: { orderId, status, previous },
});
const cancelled = (reason = 'changed my mind'): OrderEvent => ({
  type: 'OrderCancelled',
  data: { orderId, customerId, reason, cancelledAt: now },
});

const reserve = (lineId: string, quantity: number, eventId: string): OrderCommand => ({
  type: 'RecordStockReserved',
  data: { lineId, quantity, eventId },
});
const queue = (lineId: string, quantity: number, expectedAt: string | null, eventId: string): OrderCommand => ({
  type: 'RecordBackorderQueued',
  data: { lineId, quantity, expectedAt, eventId },
});
const allocate = (lineId: string, quantity: number, eventId: string): OrderCommand => ({
  type: 'RecordBackorderAllocated',
  data: { lineId, quantity, eventId },
});
const changeEta = (lineId: string, expectedAt: string | null, eventId: string): OrderCommand => ({
  type: 'RecordBackorderEtaChanged',
  data: { lineId, expectedAt, eventId },
});
const markUnavailable = (lineId: string, quantity: number, eventId: string, substitutes: string[] = []) => ({
  type: 'RecordStockUnavailable' as const,
  data: { lineId, quantity, substitutes, eventId },
});
const releaseBackorder = (lineId: string, quantity: number, eventId: string): OrderCommand => ({
  type: 'RecordBackorderReleased',
  data: { lineId, quantity, eventId },
});
const releaseStock = (lineId: string, quantity: number, eventId: string): OrderCommand => ({
  type: 'RecordStockReleased',
  data: { lineId, quantity, eventId },
});
const cancel = (reason = 'changed my mind'): OrderCommand => ({ type: 'CancelOrder', data: { orderId, reason, now } });
const place = (lines = [{ lineId: 'L1', sku: 'SKU-A', quantity: 3 }], at = now): OrderCommand => ({
  type: 'PlaceOrder',
  data: { orderId, customerId, email: null, lines, now: at },
});

// L1 fully reserved, L2 one unit reserved and one queued for December 1st.
const backorderedOrder: OrderEvent[] = [
  placed,
  reserved('L1', 3, 'e1'),
  reserved('L2', 1, 'e2'),
  backordered('L2', 1, dec1, 'e3'),
  statusChanged('pending', 'backordered'),
];

describe('PlaceOrder', () => {
  it('places an order whose lines all start pending, without a status change', () => {
    spec.given([]).when(place()).then([
      {
        type: 'OrderPlaced',
        data: {
          orderId,
          customerId,
          email: null,
          lines: [{ lineId: 'L1', sku: 'SKU-A', quantity: 3 }],
          placedAt: '2026-11-27T10:00:00.000Z',
        },
      },
    ]);
    const state = spec.given([]).when(place()).thenState();
    expect(orderView(state)).toStrictEqual({
      orderId,
      customerId,
      status: 'pending',
      lines: [
        {
          lineId: 'L1',
          sku: 'SKU-A',
          quantity: 3,
          reserved: 0,
          allocated: 0,
          backordered: 0,
          unavailable: 0,
          released: 0,
          expectedAt: null,
        },
      ],
    });
  });

  it('refuses to place an order twice in the same stream', () => {
    spec.given([placed]).when(place()).thenThrows('order-already-placed', /o-1/);
  });

  it.each([
    ['no lines', [], /lines/],
    ['a zero quantity', [{ lineId: 'L1', sku: 'SKU-A', quantity: 0 }], /lines\[0\]\.quantity/],
    ['a fractional quantity', [{ lineId: 'L1', sku: 'SKU-A', quantity: 1.5 }], /lines\[0\]\.quantity/],
    ['an empty sku', [{ lineId: 'L1', sku: ' ', quantity: 1 }], /lines\[0\]\.sku/],
    [
      'a repeated line id',
      [
        { lineId: 'L1', sku: 'SKU-A', quantity: 1 },
        { lineId: 'L1', sku: 'SKU-B', quantity: 1 },
      ],
      /lines\[1\]\.lineId/,
    ],
  ])('rejects an order with %s, naming the field', (_, lines, field) => {
    spec.given([]).when(place(lines)).thenThrows('invalid-command', field);
  });

  it('rejects an empty customer id and an invalid date', () => {
    spec
      .given([])
      .when({ type: 'PlaceOrder', data: { orderId, customerId: '', email: null, lines: [], now } })
      .thenThrows('invalid-command', /customerId/);
    spec
      .given([])
      .when({
        type: 'PlaceOrder',
        data: {
          orderId,
          customerId,
          email: null,
          lines: [{ lineId: 'L1', sku: 'A', quantity: 1 }],
          now: '27/11/2026',
        },
      })
      .thenThrows('invalid-command', /now/);
  });

  it('throws a typed error the shell can map to an HTTP status', () => {
    const error = spec.given([placed]).when(place()).thenThrows('order-already-placed');
    expect(error).toBeInstanceOf(OrderDomainError);
    expect(error).toMatchObject({ kind: 'refusal' });
    expect(spec.given([placed]).when(place([])).thenThrows('invalid-command')).toMatchObject({ kind: 'invalid' });
  });
});

describe('status paths', () => {
  it('stays pending while a unit is unanswered', () => {
    spec.given([placed]).when(reserve('L1', 3, 'e1')).then([reserved('L1', 3, 'e1')]);
  });

  it('all reserved → confirmed', () => {
    spec
      .given([placed, reserved('L1', 3, 'e1')])
      .when(reserve('L2', 2, 'e2'))
      .then([reserved('L2', 2, 'e2'), statusChanged('pending', 'confirmed')]);
  });

  it('part backordered → backordered, with the promised date on the line', () => {
    spec
      .given([placed, reserved('L1', 3, 'e1'), reserved('L2', 1, 'e2')])
      .when(queue('L2', 1, dec1, 'e3'))
      .then([backordered('L2', 1, dec1, 'e3'), statusChanged('pending', 'backordered')]);
    const state = spec.given(backorderedOrder.slice(0, 3)).when(queue('L2', 1, dec1, 'e3')).thenState();
    expect(orderView(state)?.lines[1]).toMatchObject({ reserved: 1, backordered: 1, expectedAt: dec1 });
  });

  it('backordered then all allocated → confirmed, and the line no longer carries a date', () => {
    spec
      .given(backorderedOrder)
      .when(allocate('L2', 1, 'e4'))
      .then([allocated('L2', 1, 'e4'), statusChanged('backordered', 'confirmed')]);
    const state = spec.given(backorderedOrder).when(allocate('L2', 1, 'e4')).thenState();
    expect(orderView(state)?.lines[1]).toMatchObject({ reserved: 1, allocated: 1, backordered: 0, expectedAt: null });
  });

  it('a partial allocation keeps the order backordered and the date of the units still waiting', () => {
    const history = [
      placed,
      reserved('L1', 3, 'e1'),
      backordered('L2', 2, dec1, 'e2'),
      statusChanged('pending', 'backordered'),
    ];
    spec.given(history).when(allocate('L2', 1, 'e3')).then([allocated('L2', 1, 'e3')]);
    const state = spec.given(history).when(allocate('L2', 1, 'e3')).thenState();
    expect(orderView(state)?.lines[1]).toMatchObject({ allocated: 1, backordered: 1, expectedAt: dec1 });
  });

  it('all unavailable → rejected', () => {
    spec
      .given([placed, unavailable('L1', 3, 'e1')])
      .when(markUnavailable('L2', 2, 'e2', ['SKU-C']))
      .then([unavailable('L2', 2, 'e2', ['SKU-C']), statusChanged('pending', 'rejected')]);
  });

  it('mixed reserved + unavailable → confirmed', () => {
    spec
      .given([placed, reserved('L1', 2, 'e1'), unavailable('L1', 1, 'e2')])
      .when(markUnavailable('L2', 2, 'e3'))
      .then([unavailable('L2', 2, 'e3'), statusChanged('pending', 'confirmed')]);
  });

  it('mixed backordered + unavailable → backordered', () => {
    spec
      .given([placed, unavailable('L1', 3, 'e1')])
      .when(queue('L2', 2, null, 'e2'))
      .then([backordered('L2', 2, null, 'e2'), statusChanged('pending', 'backordered')]);
  });
});

describe('CancelOrder', () => {
  const confirmedAfterBackorder = [
    ...backorderedOrder,
    allocated('L2', 1, 'e4'),
    statusChanged('backordered', 'confirmed'),
  ];

  it('releases every reserved, allocated and backordered unit in the order view', () => {
    spec
      .given(backorderedOrder)
      .when(cancel())
      .then([
        cancelled(),
        { type: 'LineReleased', data: { orderId, lineId: 'L1', quantity: 3, from: 'reserved', eventId: null } },
        { type: 'LineReleased', data: { orderId, lineId: 'L2', quantity: 1, from: 'reserved', eventId: null } },
        { type: 'LineReleased', data: { orderId, lineId: 'L2', quantity: 1, from: 'backordered', eventId: null } },
        statusChanged('backordered', 'cancelled'),
      ]);
    const view = orderView(spec.given(confirmedAfterBackorder).when(cancel()).thenState());
    expect(view?.status).toBe('cancelled');
    expect(view?.lines.map(({ lineId, released, reserved, allocated, backordered, expectedAt }) => ({
      lineId,
      released,
      held: reserved + allocated + backordered,
      expectedAt,
    }))).toEqual([
      { lineId: 'L1', released: 3, held: 0, expectedAt: null },
      { lineId: 'L2', released: 2, held: 0, expectedAt: null },
    ]);
  });

  it('cancels a pending order that holds nothing yet', () => {
    spec
      .given([placed])
      .when(cancel('duplicate'))
      .then([cancelled('duplicate'), statusChanged('pending', 'cancelled')]);
  });

  it('cancelling twice emits nothing the second time', () => {
    spec.given([placed, cancelled(), statusChanged('pending', 'cancelled')]).when(cancel()).thenNothing();
  });

  it('refuses to cancel a rejected order', () => {
    spec
      .given([placed, unavailable('L1', 3, 'e1'), unavailable('L2', 2, 'e2'), statusChanged('pending', 'rejected')])
      .when(cancel())
      .thenThrows('order-not-cancellable', /o-1/);
  });

  it('answers not-found for an order never placed', () => {
    expect(spec.given([]).when(cancel()).thenThrows('order-not-found')).toMatchObject({ kind: 'not-found' });
  });

  it('answers not-found when the command names another order than the stream holds', () => {
    spec
      .given([placed])
      .when({ type: 'CancelOrder', data: { orderId: 'o-2', reason: 'x', now } })
      .thenThrows('order-not-found', /o-2/);
  });
});

describe('inventory outcomes after a cancellation are absorbed', () => {
  // Cancelled while L1 was reserved, L2 one reserved and one queued; L2 had nothing pending.
  const cancelledOrder = [
    ...backorderedOrder,
    cancelled(),
    { type: 'LineReleased', data: { orderId, lineId: 'L1', quantity: 3, from: 'reserved', eventId: null } },
    { type: 'LineReleased', data: { orderId, lineId: 'L2', quantity: 1, from: 'reserved', eventId: null } },
    { type: 'LineReleased', data: { orderId, lineId: 'L2', quantity: 1, from: 'backordered', eventId: null } },
    statusChanged('backordered', 'cancelled'),
  ] satisfies OrderEvent[];
  // Cancelled before inventory answered anything.
  const cancelledPending = [placed, cancelled(), statusChanged('pending', 'cancelled')];

  it('a reservation inventory made before it saw the cancel counts as released', () => {
    spec
      .given(cancelledPending)
      .when(reserve('L1', 3, 'e1'))
      .then([{ type: 'LineReleased', data: { orderId, lineId: 'L1', quantity: 3, from: 'pending', eventId: 'e1' } }]);
  });

  it('a backorder queued before inventory saw the cancel counts as released', () => {
    spec
      .given(cancelledPending)
      .when(queue('L2', 2, dec1, 'e1'))
      .then([{ type: 'LineReleased', data: { orderId, lineId: 'L2', quantity: 2, from: 'pending', eventId: 'e1' } }]);
  });

  it('unavailable units are recorded as unavailable and the order stays cancelled', () => {
    spec.given(cancelledPending).when(markUnavailable('L1', 3, 'e1')).then([unavailable('L1', 3, 'e1')]);
  });

  it('an allocation of units already released changes nothing', () => {
    spec.given(cancelledOrder).when(allocate('L2', 1, 'e9')).thenNothing();
  });

  it('a date change for a released backorder changes nothing', () => {
    spec.given(cancelledOrder).when(changeEta('L2', dec5, 'e9')).thenNothing();
  });

  it("inventory's releases after the cancel are no-ops, however often they come", () => {
    spec.given(cancelledOrder).when(releaseStock('L1', 3, 'e10')).thenNothing();
    spec.given(cancelledOrder).when(releaseBackorder('L2', 1, 'e11')).thenNothing();
    spec.given(cancelledOrder).when(releaseBackorder('L2', 1, 'e11')).thenNothing();
  });

  it('a release or allocation beyond what the line released is inconsistent', () => {
    spec.given(cancelledOrder).when(releaseStock('L2', 3, 'e10')).thenThrows('inconsistent-outcome', /L2/);
    spec.given(cancelledOrder).when(allocate('L2', 3, 'e10')).thenThrows('inconsistent-outcome', /L2/);
  });

  it('answers beyond the pending units are still inconsistent', () => {
    spec.given(cancelledOrder).when(reserve('L1', 1, 'e10')).thenThrows('inconsistent-outcome', /pending/);
  });
});

describe('inconsistent outcomes are refused so the service can dead-letter them', () => {
  it.each([
    ['an unknown line', [placed], reserve('L9', 1, 'e1'), /no line L9/],
    [
      'a reservation beyond the pending units',
      [placed, reserved('L1', 2, 'e1')],
      reserve('L1', 2, 'e2'),
      /exceeds the 1 pending/,
    ],
    ['a backorder beyond the pending units', [placed], queue('L2', 3, null, 'e1'), /exceeds the 2 pending/],
    ['unavailable units beyond the pending units', [placed], markUnavailable('L2', 3, 'e1'), /exceeds the 2 pending/],
    ['an allocation beyond the backordered units', backorderedOrder, allocate('L2', 2, 'e9'), /exceeds the 1 backo/],
    ['an allocation for a line with nothing backordered', backorderedOrder, allocate('L1', 1, 'e9'), /exceeds the 0 b/],
    ['a date change for a line with nothing backordered', backorderedOrder, changeEta('L1', dec5, 'e9'), /no unit/],
    ['a stock release of an order not cancelled', backorderedOrder, releaseStock('L1', 1, 'e9'), /not been cancelled/],
    ['a backorder release of an order not cancelled', backorderedOrder, releaseBackorder('L2', 1, 'e9'), /not been/],
  ])('%s', (_, history, command, message) => {
    spec.given(history).when(command).thenThrows('inconsistent-outcome', message);
  });

  it('an outcome for an order never placed is not-found, unless it is malformed anyway', () => {
    spec.given([]).when(reserve('L1', 1, 'e1')).thenThrows('order-not-found');
    spec.given([]).when(reserve('L1', 0, 'e1')).thenThrows('invalid-command');
  });

  it.each([
    ['a zero quantity', reserve('L1', 0, 'e1'), /quantity/],
    ['a negative quantity', allocate('L1', -1, 'e1'), /quantity/],
    ['an empty event id', reserve('L1', 1, ''), /eventId/],
    ['an invalid date', queue('L1', 1, 'next week', 'e1'), /expectedAt/],
  ])('rejects an outcome with %s as invalid', (_, command, message) => {
    spec.given([placed]).when(command).thenThrows('invalid-command', message);
  });
});

describe('idempotence and dates', () => {
  it('a redelivered inventory event changes nothing, even where it would now be inconsistent', () => {
    spec.given([placed, reserved('L1', 3, 'e1')]).when(reserve('L1', 3, 'e1')).thenNothing();
    spec.given(backorderedOrder).when(queue('L2', 1, dec1, 'e3')).thenNothing();
  });

  it('the same event id on another line is still a duplicate', () => {
    spec.given([placed, reserved('L1', 3, 'e1')]).when(reserve('L2', 2, 'e1')).thenNothing();
  });

  it('records a moved promise with the previous date', () => {
    spec.given(backorderedOrder).when(changeEta('L2', dec5, 'e9')).then([
      {
        type: 'LineEtaChanged',
        data: {
          orderId,
          lineId: 'L2',
          previousExpectedAt: dec1,
          expectedAt: dec5,
          eventId: 'e9',
        },
      },
    ]);
    spec.given(backorderedOrder).when(changeEta('L2', null, 'e9')).then([
      {
        type: 'LineEtaChanged',
        data: { orderId, lineId: 'L2', previousExpectedAt: dec1, expectedAt: null, eventId: 'e9' },
      },
    ]);
  });

  it('stores every instant in one notation, so equal instants compare equal', () => {
    spec
      .given([placed])
      .when(queue('L1', 3, '2026-12-01T01:00:00+01:00', 'e1'))
      .then([backordered('L1', 3, '2026-12-01T00:00:00.000Z', 'e1')]);
    const [event] = orderDecider.decide(place(undefined, '2026-11-27T11:00:00+01:00'), orderDecider.initialState());
    expect(event?.data).toMatchObject({ placedAt: '2026-11-27T10:00:00.000Z' });
  });

  it('a date change to the same instant emits nothing', () => {
    spec.given(backorderedOrder).when(changeEta('L2', '2026-12-01T01:00:00+01:00', 'e9')).thenNothing();
  });
});

describe('line accounting', () => {
  it('keeps quantity = reserved + allocated + backordered + unavailable + released once answered', () => {
    const history: OrderEvent[] = [
      placed,
      reserved('L1', 1, 'e1'),
      backordered('L1', 1, dec1, 'e2'),
      unavailable('L1', 1, 'e3'),
      backordered('L2', 2, dec5, 'e4'),
      statusChanged('pending', 'backordered'),
      allocated('L1', 1, 'e5'),
    ];
    const state = spec.given(history).when(cancel()).thenState() as PlacedOrder;
    expect(state.lines.map((line) => pendingUnits(line))).toEqual([0, 0]);
    expect(orderView(state)?.lines).toEqual([
      expect.objectContaining({ quantity: 3, reserved: 0, allocated: 0, backordered: 0, unavailable: 1, released: 2 }),
      expect.objectContaining({ quantity: 2, reserved: 0, allocated: 0, backordered: 0, unavailable: 0, released: 2 }),
    ]);
  });

  it('reports unanswered units as the difference, not as a stored bucket', () => {
    const state = spec.given([placed]).when(reserve('L1', 1, 'e1')).thenState() as PlacedOrder;
    expect(state.lines.map((line) => pendingUnits(line))).toEqual([2, 2]);
  });

  it('has no view for a stream without an order', () => {
    expect(orderView(orderDecider.initialState())).toBeNull();
  });
});
