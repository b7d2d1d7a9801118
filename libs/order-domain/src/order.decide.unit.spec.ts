import { describe, expect, it } from '@jest/globals';
import {
  OrderDomainError,
  orderDecider,
  orderView,
  pendingUnits,
  shipmentOf,
  type OrderCommand,
  type OrderEvent,
  type OrderStatus,
  type PlacedOrder,
} from './index.js';
import { NO_UNITS } from '@fulfillment/kernel';
import { deciderSpec } from '@fulfillment/testing';

const spec = deciderSpec(orderDecider);
const orderId = 'o-1';
const customerId = 'c-1';
const now = '2026-11-27T10:00:00.000Z';
const dec1 = '2026-12-01T00:00:00.000Z';
const dec5 = '2026-12-05T00:00:00.000Z';

// L1: 3 × SKU-A, L2: 2 × SKU-B, shipped as available (the default, and what events stored before issue 12 meant).
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
const placedWhenComplete: OrderEvent = {
  type: 'OrderPlaced',
  data: { ...(placed.data as Extract<OrderEvent, { type: 'OrderPlaced' }>['data']), shipping: 'when-complete' },
};

const reserved = (lineId: string, quantity: number, eventId: string): OrderEvent => ({
  type: 'LineReserved',
  data: { orderId, lineId, quantity, eventId },
});
const backordered = (
  lineId: string,
  quantity: number,
  expectedAt: string | null,
  eventId: string,
  substitutes?: string[],
): OrderEvent => ({
  type: 'LineBackordered',
  data: { orderId, lineId, quantity, expectedAt, eventId, ...(substitutes === undefined ? {} : { substitutes }) },
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
const released = (lineId: string, quantity: number, from: 'reserved' | 'allocated' | 'backordered' | 'pending'): OrderEvent => ({
  type: 'LineReleased',
  data: { orderId, lineId, quantity, from, eventId: null },
});
const releasedByInventory = (
  lineId: string,
  quantity: number,
  from: 'backordered' | 'held',
  reason: string,
  eventId: string,
): OrderEvent => ({ type: 'LineReleasedByInventory', data: { orderId, lineId, quantity, from, reason, eventId } });
const skuOf: Record<string, string> = { L1: 'SKU-A', L2: 'SKU-B', 'o-1-3': 'SKU-C', 'o-1-4': 'SKU-D' };
const units = (lines: [string, number][]) => lines.map(([lineId, quantity]) => ({ lineId, sku: skuOf[lineId]!, quantity }));
const ready = (...lines: [string, number][]): OrderEvent => ({
  type: 'OrderReadyToShip',
  data: { orderId, customerId, lines: units(lines) },
});
const shippedEvent = (shipmentId: string, lines: [string, number][], carrier: string | null = 'DHL', trackingId: string | null = 'T-1'): OrderEvent => ({
  type: 'OrderShipped',
  data: { orderId, customerId, shipmentId, lines: units(lines), carrier, trackingId, shippedAt: now },
});
const lineCancelled = (lineId: string, quantity: number, reason = 'customer-request'): OrderEvent => ({
  type: 'OrderLineCancelled',
  data: { orderId, customerId, lineId, sku: skuOf[lineId]!, quantity, reason, cancelledAt: now },
});
const lineSubstituted = (lineId: string, newLineId: string, substituteSku: string, quantity: number, waiting: number): OrderEvent => ({
  type: 'OrderLineSubstituted',
  data: { orderId, customerId, lineId, newLineId, sku: skuOf[lineId]!, substituteSku, quantity, waiting, substitutedAt: now },
});

const reserve = (lineId: string, quantity: number, eventId: string): OrderCommand => ({
  type: 'RecordStockReserved',
  data: { lineId, quantity, eventId },
});
const queue = (
  lineId: string,
  quantity: number,
  expectedAt: string | null,
  eventId: string,
  substitutes?: string[],
): OrderCommand => ({
  type: 'RecordBackorderQueued',
  data: { lineId, quantity, expectedAt, eventId, ...(substitutes === undefined ? {} : { substitutes }) },
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
const releaseBackorder = (lineId: string, quantity: number, eventId: string, reason = 'order-cancelled'): OrderCommand => ({
  type: 'RecordBackorderReleased',
  data: { lineId, quantity, reason, eventId },
});
const releaseStock = (lineId: string, quantity: number, eventId: string, reason = 'order-cancelled'): OrderCommand => ({
  type: 'RecordStockReleased',
  data: { lineId, quantity, reason, eventId },
});
const stockShipped = (lineId: string, quantity: number, eventId: string): OrderCommand => ({
  type: 'RecordStockShipped',
  data: { lineId, quantity, eventId },
});
const cancel = (reason = 'changed my mind'): OrderCommand => ({ type: 'CancelOrder', data: { orderId, reason, now } });
const place = (lines = [{ lineId: 'L1', sku: 'SKU-A', quantity: 3 }], at = now): OrderCommand => ({
  type: 'PlaceOrder',
  data: { orderId, customerId, email: null, lines, now: at },
});
const ship = (
  shipmentId: string,
  lines: [string, number][],
  carrier: string | null = 'DHL',
  trackingId: string | null = 'T-1',
): OrderCommand => ({
  type: 'ShipOrder',
  data: { orderId, shipmentId, lines: lines.map(([lineId, quantity]) => ({ lineId, quantity })), carrier, trackingId, now },
});
const cancelLine = (lineId: string, quantity?: number, reason = 'customer-request'): OrderCommand => ({
  type: 'CancelOrderLine',
  data: { orderId, lineId, ...(quantity === undefined ? {} : { quantity }), reason, now },
});
const substitute = (lineId: string, sku: string): OrderCommand => ({
  type: 'SubstituteOrderLine',
  data: { orderId, lineId, sku, now },
});

/** The line views, without ids and SKUs, for short expectations. */
function viewOf(history: readonly OrderEvent[]) {
  const view = orderView(history.reduce(orderDecider.evolve, orderDecider.initialState()))!;
  return {
    status: view.status,
    lines: view.lines.map(({ lineId, sku: _sku, ...buckets }) => ({ lineId, ...buckets })),
  };
}
const after = (history: readonly OrderEvent[], command: OrderCommand) => [
  ...history,
  ...orderDecider.decide(command, history.reduce(orderDecider.evolve, orderDecider.initialState())),
];
const lineView = (
  lineId: string,
  quantity: number,
  buckets: Partial<{ reserved: number; allocated: number; backordered: number; unavailable: number; released: number; shipped: number }>,
  expectedAt: string | null = null,
) => ({
  lineId,
  quantity,
  ...NO_UNITS,
  ...buckets,
  expectedAt,
});

// L1 fully reserved and announced, then `l2` units of L2 likewise.
const reservedAndAnnounced = (l2: number): OrderEvent[] => [
  placed,
  reserved('L1', 3, 'e1'),
  ready(['L1', 3]),
  reserved('L2', l2, 'e2'),
  ready(['L2', l2]),
];
// L1 fully reserved (announced), L2 one unit reserved (announced) and one queued for December 1st.
const backorderedOrder: OrderEvent[] = [
  ...reservedAndAnnounced(1),
  backordered('L2', 1, dec1, 'e3', ['SKU-C']),
  statusChanged('pending', 'backordered'),
];
// Everything reserved and announced.
const confirmedOrder: OrderEvent[] = [...reservedAndAnnounced(2), statusChanged('pending', 'confirmed')];

describe('PlaceOrder', () => {
  it('places an order whose lines all start pending, shipped as available by default, without a status change', () => {
    spec.given([]).when(place()).then([
      {
        type: 'OrderPlaced',
        data: {
          orderId,
          customerId,
          email: null,
          lines: [{ lineId: 'L1', sku: 'SKU-A', quantity: 3 }],
          placedAt: '2026-11-27T10:00:00.000Z',
          shipping: 'as-available',
        },
      },
    ]);
    const state = spec.given([]).when(place()).thenState();
    expect(orderView(state)).toStrictEqual({
      orderId,
      customerId,
      status: 'pending',
      lines: [{ ...lineView('L1', 3, {}), sku: 'SKU-A' }],
    });
  });

  it('keeps the shipping policy asked for', () => {
    const command: OrderCommand = {
      type: 'PlaceOrder',
      data: { orderId, customerId, email: null, lines: [{ lineId: 'L1', sku: 'SKU-A', quantity: 1 }], shipping: 'when-complete', now },
    };
    const [event] = orderDecider.decide(command, orderDecider.initialState());
    expect(event?.data).toMatchObject({ shipping: 'when-complete' });
    expect(spec.given([]).when(command).thenState()).toMatchObject({ shipping: 'when-complete' });
  });

  it('reads an OrderPlaced stored before shipping policies as shipping as available', () => {
    expect(spec.given([placed]).when(reserve('L1', 1, 'e1')).thenState()).toMatchObject({ shipping: 'as-available' });
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

  it('rejects an empty customer id, an invalid date and an unknown shipping policy', () => {
    const lines = [{ lineId: 'L1', sku: 'A', quantity: 1 }];
    spec
      .given([])
      .when({ type: 'PlaceOrder', data: { orderId, customerId: '', email: null, lines: [], now } })
      .thenThrows('invalid-command', /customerId/);
    spec
      .given([])
      .when({ type: 'PlaceOrder', data: { orderId, customerId, email: null, lines, now: '27/11/2026' } })
      .thenThrows('invalid-command', /now/);
    spec
      .given([])
      .when({ type: 'PlaceOrder', data: { orderId, customerId, email: null, lines, shipping: 'asap' as never, now } })
      .thenThrows('invalid-command', /shipping: must be one of as-available, when-complete/);
  });

  it('throws a typed error the shell can map to an HTTP status', () => {
    const error = spec.given([placed]).when(place()).thenThrows('order-already-placed');
    expect(error).toBeInstanceOf(OrderDomainError);
    expect(error).toMatchObject({ kind: 'refusal' });
    expect(spec.given([placed]).when(place([])).thenThrows('invalid-command')).toMatchObject({ kind: 'invalid' });
  });
});

describe('status paths', () => {
  it('stays pending while a unit is unanswered (reserved units are announced at once)', () => {
    spec.given([placed]).when(reserve('L1', 3, 'e1')).then([reserved('L1', 3, 'e1'), ready(['L1', 3])]);
  });

  it('all reserved → confirmed', () => {
    spec
      .given([placed, reserved('L1', 3, 'e1'), ready(['L1', 3])])
      .when(reserve('L2', 2, 'e2'))
      .then([reserved('L2', 2, 'e2'), ready(['L2', 2]), statusChanged('pending', 'confirmed')]);
  });

  it('part backordered → backordered, with the promised date on the line', () => {
    const history = backorderedOrder.slice(0, 5);
    spec
      .given(history)
      .when(queue('L2', 1, dec1, 'e3', ['SKU-C']))
      .then([backordered('L2', 1, dec1, 'e3', ['SKU-C']), statusChanged('pending', 'backordered')]);
    const state = spec.given(history).when(queue('L2', 1, dec1, 'e3')).thenState();
    expect(orderView(state)?.lines[1]).toMatchObject({ reserved: 1, backordered: 1, expectedAt: dec1 });
  });

  it('backordered then all allocated → confirmed, the line no longer carries a date, the units are announced', () => {
    spec
      .given(backorderedOrder)
      .when(allocate('L2', 1, 'e4'))
      .then([allocated('L2', 1, 'e4'), ready(['L2', 1]), statusChanged('backordered', 'confirmed')]);
    const state = spec.given(backorderedOrder).when(allocate('L2', 1, 'e4')).thenState();
    expect(orderView(state)?.lines[1]).toMatchObject({ reserved: 1, allocated: 1, backordered: 0, expectedAt: null });
  });

  it('a partial allocation keeps the order backordered and the date of the units still waiting', () => {
    const history = [
      placed,
      reserved('L1', 3, 'e1'),
      ready(['L1', 3]),
      backordered('L2', 2, dec1, 'e2'),
      statusChanged('pending', 'backordered'),
    ];
    spec.given(history).when(allocate('L2', 1, 'e3')).then([allocated('L2', 1, 'e3'), ready(['L2', 1])]);
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
      .given([placed, reserved('L1', 2, 'e1'), ready(['L1', 2]), unavailable('L1', 1, 'e2')])
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

describe('OrderReadyToShip', () => {
  it('as available: announces only units not announced before', () => {
    const history = [placed, reserved('L1', 1, 'e1'), ready(['L1', 1]), backordered('L1', 2, dec1, 'e2')];
    spec.given(history).when(allocate('L1', 1, 'e3')).then([allocated('L1', 1, 'e3'), ready(['L1', 1])]);
    // An answer that makes nothing shippable announces nothing.
    spec.given(history).when(queue('L2', 2, dec5, 'e3')).then([backordered('L2', 2, dec5, 'e3'), statusChanged('pending', 'backordered')]);
  });

  it('when complete: nothing while a unit waits or is unanswered, then every shippable unit once', () => {
    const history = [placedWhenComplete, reserved('L1', 3, 'e1'), backordered('L2', 2, dec1, 'e2'), statusChanged('pending', 'backordered')];
    expect(orderDecider.decide(allocate('L2', 1, 'e3'), history.reduce(orderDecider.evolve, orderDecider.initialState()))).toEqual([
      allocated('L2', 1, 'e3'),
    ]);
    spec
      .given([...history, allocated('L2', 1, 'e3')])
      .when(allocate('L2', 1, 'e4'))
      .then([allocated('L2', 1, 'e4'), ready(['L1', 3], ['L2', 2]), statusChanged('backordered', 'confirmed')]);
    spec.given([placedWhenComplete]).when(reserve('L1', 3, 'e1')).then([reserved('L1', 3, 'e1')]);
  });

  it('when complete: cancelling the waiting line completes the order', () => {
    const history = [placedWhenComplete, reserved('L1', 3, 'e1'), backordered('L2', 2, dec1, 'e2'), statusChanged('pending', 'backordered')];
    spec
      .given(history)
      .when(cancelLine('L2'))
      .then([lineCancelled('L2', 2), ready(['L1', 3]), statusChanged('backordered', 'confirmed')]);
  });

  it('when complete: unavailable units do not hold the order back', () => {
    spec
      .given([placedWhenComplete, reserved('L1', 3, 'e1')])
      .when(markUnavailable('L2', 2, 'e2'))
      .then([unavailable('L2', 2, 'e2'), ready(['L1', 3]), statusChanged('pending', 'confirmed')]);
  });

  it('units announced and then cancelled are not announced again, but units that become shippable later are', () => {
    const history = [...backorderedOrder, lineCancelled('L1', 3)];
    const state = history.reduce(orderDecider.evolve, orderDecider.initialState()) as PlacedOrder;
    expect(state.lines[0]).toMatchObject({ reserved: 0, announced: 0 });
    spec.given(history).when(allocate('L2', 1, 'e4')).then([allocated('L2', 1, 'e4'), ready(['L2', 1]), statusChanged('backordered', 'confirmed')]);
  });
});

describe('ShipOrder', () => {
  it('ships reserved units: OrderShipped, the line counts them shipped, the order is partially shipped', () => {
    spec
      .given(confirmedOrder)
      .when(ship('S1', [['L1', 2]]))
      .then([shippedEvent('S1', [['L1', 2]]), statusChanged('confirmed', 'partially-shipped')]);
    expect(viewOf(after(confirmedOrder, ship('S1', [['L1', 2]]))).lines[0]).toEqual(lineView('L1', 3, { reserved: 1, shipped: 2 }));
  });

  it('is shipped once every unit not released or unavailable has shipped', () => {
    const history = [placed, reserved('L1', 3, 'e1'), ready(['L1', 3]), unavailable('L2', 2, 'e2'), statusChanged('pending', 'confirmed')];
    spec
      .given(history)
      .when(ship('S1', [['L1', 3]], null, null))
      .then([shippedEvent('S1', [['L1', 3]], null, null), statusChanged('confirmed', 'shipped')]);
  });

  it('ships allocated units too, and keeps a waiting line waiting', () => {
    const history = [...backorderedOrder, allocated('L2', 1, 'e4'), ready(['L2', 1]), statusChanged('backordered', 'confirmed')];
    spec
      .given(history)
      .when(ship('S1', [['L1', 3], ['L2', 2]]))
      .then([shippedEvent('S1', [['L1', 3], ['L2', 2]]), statusChanged('confirmed', 'shipped')]);
    expect(viewOf(after(backorderedOrder, ship('S1', [['L1', 3], ['L2', 1]])))).toEqual({
      status: 'partially-shipped',
      lines: [lineView('L1', 3, { shipped: 3 }), lineView('L2', 2, { shipped: 1, backordered: 1 }, dec1)],
    });
  });

  it('a repeated shipment id is a no-op, even naming other lines', () => {
    const history = [...confirmedOrder, shippedEvent('S1', [['L1', 2]]), statusChanged('confirmed', 'partially-shipped')];
    spec.given(history).when(ship('S1', [['L1', 2]])).thenNothing();
    spec.given(history).when(ship('S1', [['L2', 2]])).thenNothing();
    const state = history.reduce(orderDecider.evolve, orderDecider.initialState());
    expect(orderDecider.decide(ship('S2', [['L2', 2]]), state)).toEqual([shippedEvent('S2', [['L2', 2]])]);
  });

  it('remembers each shipment, so the shell can answer a repeat with what shipped', () => {
    const state = [...confirmedOrder, shippedEvent('S1', [['L1', 2]])].reduce(orderDecider.evolve, orderDecider.initialState());
    expect(shipmentOf(state, 'S1')).toEqual({ shipmentId: 'S1', lines: units([['L1', 2]]), carrier: 'DHL', trackingId: 'T-1', shippedAt: now });
    expect(shipmentOf(state, 'S2')).toBeNull();
  });

  it('refuses, naming each line, units that are not reserved or allocated', () => {
    const error = spec.given(backorderedOrder).when(ship('S1', [['L1', 3], ['L2', 2]])).thenThrows('units-not-shippable', /line L2 \(SKU-B\) has 1 reserved or allocated unit\(s\) to ship, not 2/);
    expect(error).toMatchObject({ kind: 'refusal' });
    spec.given([placed]).when(ship('S1', [['L1', 1]])).thenThrows('units-not-shippable', /line L1/);
    spec.given(confirmedOrder).when(ship('S1', [['L9', 1]])).thenThrows('units-not-shippable', /has no line L9/);
  });

  it('refuses units already shipped', () => {
    const history = [...confirmedOrder, shippedEvent('S1', [['L1', 3]]), statusChanged('confirmed', 'partially-shipped')];
    spec.given(history).when(ship('S2', [['L1', 1]])).thenThrows('units-not-shippable', /has 0 reserved/);
  });

  it('refuses the units of a cancelled order', () => {
    const history = after(confirmedOrder, cancel());
    spec.given(history).when(ship('S1', [['L1', 1]])).thenThrows('units-not-shippable', /line L1/);
  });

  it.each([
    ['an empty shipment id', ship(' ', [['L1', 1]]), /shipmentId/],
    ['no lines', ship('S1', []), /lines: a shipment needs at least one line/],
    ['a zero quantity', ship('S1', [['L1', 0]]), /lines\[0\]\.quantity/],
    ['a line twice', ship('S1', [['L1', 1], ['L1', 1]]), /lines\[1\]\.lineId: L1 appears twice/],
    ['an empty carrier', ship('S1', [['L1', 1]], ''), /carrier/],
    ['an empty tracking id', ship('S1', [['L1', 1]], 'DHL', ' '), /trackingId/],
  ])('rejects a shipment with %s as invalid', (_, command, message) => {
    spec.given(confirmedOrder).when(command).thenThrows('invalid-command', message);
  });

  it('answers not-found for another order or none', () => {
    spec.given([]).when(ship('S1', [['L1', 1]])).thenThrows('order-not-found');
    spec
      .given(confirmedOrder)
      .when({ type: 'ShipOrder', data: { orderId: 'o-2', shipmentId: 'S1', lines: [{ lineId: 'L1', quantity: 1 }], carrier: null, trackingId: null, now } })
      .thenThrows('order-not-found', /o-2/);
  });

  it("inventory's StockShipped confirms and records nothing; more than shipped is inconsistent", () => {
    const history = [...confirmedOrder, shippedEvent('S1', [['L1', 2]]), statusChanged('confirmed', 'partially-shipped')];
    spec.given(history).when(stockShipped('L1', 2, 'e9')).thenNothing();
    spec.given(history).when(stockShipped('L1', 3, 'e9')).thenThrows('inconsistent-outcome', /exceeds the 2 shipped/);
  });
});

describe('CancelOrderLine', () => {
  it('without a quantity gives up every unit not shipped, released or unavailable, counted released at once', () => {
    spec
      .given(backorderedOrder)
      .when(cancelLine('L2'))
      .then([lineCancelled('L2', 2), statusChanged('backordered', 'confirmed')]);
    expect(viewOf(after(backorderedOrder, cancelLine('L2'))).lines[1]).toEqual(lineView('L2', 2, { released: 2 }));
  });

  it('with a quantity takes the waiting units first, then reserved or allocated ones', () => {
    expect(viewOf(after(backorderedOrder, cancelLine('L2', 1))).lines[1]).toEqual(lineView('L2', 2, { reserved: 1, released: 1 }));
    const history = [placed, reserved('L1', 1, 'e1'), ready(['L1', 1]), backordered('L1', 2, dec1, 'e2'), allocated('L1', 1, 'e3'), ready(['L1', 1])];
    expect(viewOf(after(history, cancelLine('L1', 2))).lines[0]).toEqual(lineView('L1', 3, { reserved: 1, released: 2 }));
  });

  it('gives up unanswered units too', () => {
    spec.given([placed]).when(cancelLine('L1', 2)).then([lineCancelled('L1', 2)]);
    expect(viewOf(after([placed], cancelLine('L1', 2))).lines[0]).toEqual(lineView('L1', 3, { released: 2 }));
  });

  it('cancelling every line of an order that shipped nothing cancels it', () => {
    const history = after(backorderedOrder, cancelLine('L2'));
    spec.given(history).when(cancelLine('L1', undefined, 'too slow')).then([lineCancelled('L1', 3, 'too slow'), statusChanged('confirmed', 'cancelled')]);
  });

  it('refuses shipped units and more than the line has left, naming the line', () => {
    const history = [...confirmedOrder, shippedEvent('S1', [['L1', 2]]), statusChanged('confirmed', 'partially-shipped')];
    spec.given(history).when(cancelLine('L1', 2)).thenThrows('line-not-cancellable', /line L1 \(SKU-A\): cannot cancel 2 unit\(s\), only 1 .*2 shipped/);
    const all = [...history, shippedEvent('S2', [['L1', 1]])];
    spec.given(all).when(cancelLine('L1')).thenThrows('line-not-cancellable', /nothing left to cancel: 3 shipped/);
    spec.given([placed, unavailable('L1', 3, 'e1')]).when(cancelLine('L1')).thenThrows('line-not-cancellable', /3 unavailable/);
  });

  it('after a shipment the rest can go: the order is then shipped', () => {
    const history = [...confirmedOrder, shippedEvent('S1', [['L1', 2]]), statusChanged('confirmed', 'partially-shipped')];
    const done = after(after(history, cancelLine('L1')), cancelLine('L2'));
    expect(viewOf(done)).toEqual({ status: 'shipped', lines: [lineView('L1', 3, { shipped: 2, released: 1 }), lineView('L2', 2, { released: 2 })] });
  });

  it('answers not-found for an unknown line and invalid for a bad quantity or reason', () => {
    expect(spec.given(confirmedOrder).when(cancelLine('L9')).thenThrows('line-not-found', /no line L9/)).toMatchObject({ kind: 'not-found' });
    spec.given(confirmedOrder).when(cancelLine('L1', 0)).thenThrows('invalid-command', /quantity/);
    spec.given(confirmedOrder).when(cancelLine('L1', 1, '')).thenThrows('invalid-command', /reason/);
  });
});

describe('inventory answers given before inventory read a line cancel', () => {
  // L2: 1 reserved, 1 queued; the customer gives up the queued unit.
  const cancelledWaiting = after(backorderedOrder, cancelLine('L2', 1));

  it('an allocation of the given-up unit changes nothing, and its release confirms it', () => {
    const allocation = after(cancelledWaiting, allocate('L2', 1, 'e4'));
    expect(allocation.slice(cancelledWaiting.length)).toEqual([allocated('L2', 1, 'e4')]);
    expect(viewOf(allocation).lines[1]).toEqual(lineView('L2', 2, { reserved: 1, released: 1 }));
    // Inventory read the cancel after allocating: its queue was empty, so it released a held unit.
    const confirmed = after(allocation, releaseStock('L2', 1, 'e5', 'line-cancelled'));
    expect(confirmed.slice(allocation.length)).toEqual([releasedByInventory('L2', 1, 'held', 'line-cancelled', 'e5')]);
    expect(viewOf(confirmed).lines[1]).toEqual(lineView('L2', 2, { reserved: 1, released: 1 }));
    expect((confirmed.reduce(orderDecider.evolve, orderDecider.initialState()) as PlacedOrder).lines[1]).toMatchObject({ releasing: 0 });
  });

  it('a release beyond what the order gave up is inconsistent', () => {
    spec.given(cancelledWaiting).when(releaseStock('L2', 1, 'e5', 'line-cancelled')).thenThrows('inconsistent-outcome', /exceeds|not given up/);
    spec.given(cancelledWaiting).when(releaseBackorder('L2', 1, 'e5', 'line-cancelled')).then([releasedByInventory('L2', 1, 'backordered', 'line-cancelled', 'e5')]);
    spec.given(backorderedOrder).when(releaseBackorder('L2', 1, 'e5', 'line-cancelled')).thenThrows('inconsistent-outcome', /not been cancelled/);
  });

  it('answers for unanswered units the order gave up land on them', () => {
    // 2 of L1's 3 unanswered units given up; inventory reserves 1 and queues 2 before it reads the cancel.
    const history = after([placed], cancelLine('L1', 2));
    const answered = after(after(history, reserve('L1', 1, 'e1')), queue('L1', 2, dec1, 'e2'));
    expect(viewOf(answered).lines[0]).toEqual(lineView('L1', 3, { reserved: 1, released: 2 }));
    // It then releases the 2 from its queue first.
    const done = after(answered, releaseBackorder('L1', 2, 'e3', 'line-cancelled'));
    expect(viewOf(done).lines[0]).toEqual(lineView('L1', 3, { reserved: 1, released: 2 }));
    expect((done.reduce(orderDecider.evolve, orderDecider.initialState()) as PlacedOrder).lines[0]).toMatchObject({ releasing: 0 });
  });

  it('given-up units inventory then finds unavailable are never waited for', () => {
    const history = after([placed], cancelLine('L1', 1));
    const answered = after(history, markUnavailable('L1', 3, 'e1'));
    expect(viewOf(answered).lines[0]).toEqual(lineView('L1', 3, { unavailable: 2, released: 1 }));
    expect((answered.reduce(orderDecider.evolve, orderDecider.initialState()) as PlacedOrder).lines[0]).toMatchObject({ releasing: 0 });
  });
});

describe('expiry (inventory releases queued units on its own)', () => {
  it('the expired units count as released, and the order follows', () => {
    spec
      .given(backorderedOrder)
      .when(releaseBackorder('L2', 1, 'e4', 'expired'))
      .then([releasedByInventory('L2', 1, 'backordered', 'expired', 'e4'), statusChanged('backordered', 'confirmed')]);
    expect(viewOf(after(backorderedOrder, releaseBackorder('L2', 1, 'e4', 'expired'))).lines[1]).toEqual(
      lineView('L2', 2, { reserved: 1, released: 1 }),
    );
  });

  it('an order whose only waiting line expires with nothing held is cancelled', () => {
    const history = [placed, backordered('L1', 3, dec1, 'e1'), unavailable('L2', 2, 'e2'), statusChanged('pending', 'backordered')];
    spec.given(history).when(releaseBackorder('L1', 3, 'e3', 'expired')).then([releasedByInventory('L1', 3, 'backordered', 'expired', 'e3'), statusChanged('backordered', 'cancelled')]);
  });

  it('units the order had given up are not counted twice when they expire first', () => {
    const history = [placed, backordered('L1', 3, dec1, 'e1'), unavailable('L2', 2, 'e2'), statusChanged('pending', 'backordered')];
    const expired = after(after(history, cancelLine('L1', 2)), releaseBackorder('L1', 3, 'e3', 'expired'));
    expect(viewOf(expired)).toEqual({ status: 'cancelled', lines: [lineView('L1', 3, { released: 3 }), lineView('L2', 2, { unavailable: 2 })] });
    expect((expired.reduce(orderDecider.evolve, orderDecider.initialState()) as PlacedOrder).lines[0]).toMatchObject({ releasing: 0 });
  });

  it('a line cancel that races an expiry of its waiting units costs held units: inventory releases by quantity', () => {
    // The customer gives up L2's waiting unit; inventory expires it before reading the cancel, then releases one unit
    // of the line all the same, from what it holds. The view says so as soon as the expiry is read.
    const history = after(backorderedOrder, cancelLine('L2', 1));
    const expired = after(history, releaseBackorder('L2', 1, 'e4', 'expired'));
    expect(viewOf(expired).lines[1]).toEqual(lineView('L2', 2, { released: 2 }));
    const confirmed = after(expired, releaseStock('L2', 1, 'e5', 'line-cancelled'));
    expect(viewOf(confirmed).lines[1]).toEqual(lineView('L2', 2, { released: 2 }));
  });

  it('only queued units expire', () => {
    spec.given(confirmedOrder).when(releaseStock('L1', 1, 'e9', 'expired')).thenThrows('inconsistent-outcome', /only queued units expire/);
    spec.given(confirmedOrder).when(releaseBackorder('L1', 1, 'e9', 'expired')).thenThrows('inconsistent-outcome', /exceeds the 0 backordered/);
  });
});

describe('SubstituteOrderLine', () => {
  const unavailableLine = [placed, reserved('L1', 3, 'e1'), ready(['L1', 3]), unavailable('L2', 2, 'e2', ['SKU-C', 'SKU-D']), statusChanged('pending', 'confirmed')];

  it("moves an unavailable line's units to a new line for a listed substitute, pending until inventory answers", () => {
    spec
      .given(unavailableLine)
      .when(substitute('L2', 'SKU-C'))
      .then([lineSubstituted('L2', 'o-1-3', 'SKU-C', 2, 0), statusChanged('confirmed', 'pending')]);
    const view = viewOf(after(unavailableLine, substitute('L2', 'SKU-C')));
    expect(view.lines).toEqual([lineView('L1', 3, { reserved: 3 }), lineView('L2', 2, { released: 2 }), lineView('o-1-3', 2, {})]);
  });

  it('takes the waiting units of a line, with the substitutes BackorderQueued named', () => {
    spec
      .given(backorderedOrder)
      .when(substitute('L2', 'SKU-C'))
      .then([lineSubstituted('L2', 'o-1-3', 'SKU-C', 1, 1), statusChanged('backordered', 'pending')]);
  });

  it('the new line is answered like any line: reserved at once, it is announced and the order confirmed', () => {
    const history = after(unavailableLine, substitute('L2', 'SKU-C'));
    spec.given(history).when(reserve('o-1-3', 2, 'e9')).then([reserved('o-1-3', 2, 'e9'), ready(['o-1-3', 2]), statusChanged('pending', 'confirmed')]);
  });

  it('an allocation inventory made before it read the substitution lands on the given-up units', () => {
    const history = after(backorderedOrder, substitute('L2', 'SKU-C'));
    const allocation = after(history, allocate('L2', 1, 'e4'));
    expect(viewOf(allocation).lines[1]).toEqual(lineView('L2', 2, { reserved: 1, released: 1 }));
    const confirmed = after(allocation, releaseStock('L2', 1, 'e5', 'substituted'));
    expect(viewOf(confirmed).lines[1]).toEqual(lineView('L2', 2, { reserved: 1, released: 1 }));
  });

  it('refuses a line with nothing waiting or unavailable, a SKU not listed, a cancelled order and an unknown line', () => {
    spec.given(unavailableLine).when(substitute('L1', 'SKU-C')).thenThrows('line-not-substitutable', /no unit of it waits or is unavailable/);
    spec.given(unavailableLine).when(substitute('L2', 'SKU-Z')).thenThrows('line-not-substitutable', /not a substitute for SKU-B \(its substitutes are SKU-C, SKU-D\)/);
    spec.given(after(unavailableLine, cancel())).when(substitute('L2', 'SKU-C')).thenThrows('line-not-substitutable', /is cancelled/);
    spec.given(unavailableLine).when(substitute('L9', 'SKU-C')).thenThrows('line-not-found', /no line L9/);
    spec.given([placed, unavailable('L1', 3, 'e1')]).when(substitute('L1', 'SKU-C')).thenThrows('line-not-substitutable', /inventory named no substitute/);
  });

  it('names new lines <orderId>-<n+1>, skipping a number already taken', () => {
    const twice = after(after(unavailableLine, substitute('L2', 'SKU-C')), markUnavailable('o-1-3', 2, 'e9', ['SKU-D']));
    spec.given(twice).when(substitute('o-1-3', 'SKU-D')).then([lineSubstituted('o-1-3', 'o-1-4', 'SKU-D', 2, 0), statusChanged('confirmed', 'pending')]);
    const taken: OrderEvent = {
      type: 'OrderPlaced',
      data: { orderId, customerId, email: null, lines: [{ lineId: 'L1', sku: 'SKU-A', quantity: 1 }, { lineId: 'o-1-3', sku: 'SKU-C', quantity: 1 }], placedAt: now },
    };
    const [event] = orderDecider.decide(substitute('L1', 'SKU-C'), [taken, unavailable('L1', 1, 'e1', ['SKU-C'])].reduce(orderDecider.evolve, orderDecider.initialState()));
    expect(event?.data).toMatchObject({ newLineId: 'o-1-4' });
  });

  it('an order whose substitute is unavailable too is rejected, not cancelled', () => {
    const history = [placed, unavailable('L1', 3, 'e1', ['SKU-C']), unavailable('L2', 2, 'e2'), statusChanged('pending', 'rejected')];
    const substituted = after(history, substitute('L1', 'SKU-C'));
    expect(viewOf(after(substituted, markUnavailable('o-1-3', 3, 'e3'))).status).toBe('rejected');
  });
});

describe('CancelOrder', () => {
  const confirmedAfterBackorder = [
    ...backorderedOrder,
    allocated('L2', 1, 'e4'),
    ready(['L2', 1]),
    statusChanged('backordered', 'confirmed'),
  ];

  it('releases every reserved, allocated, backordered and unanswered unit in the order view', () => {
    spec
      .given(backorderedOrder)
      .when(cancel())
      .then([
        cancelled(),
        released('L1', 3, 'reserved'),
        released('L2', 1, 'reserved'),
        released('L2', 1, 'backordered'),
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

  it('cancels a pending order, giving up the units inventory has not answered yet', () => {
    spec
      .given([placed])
      .when(cancel('duplicate'))
      .then([cancelled('duplicate'), released('L1', 3, 'pending'), released('L2', 2, 'pending'), statusChanged('pending', 'cancelled')]);
  });

  it('cancels the unshipped rest of a partly shipped order, which is then shipped', () => {
    const history = [...confirmedOrder, shippedEvent('S1', [['L1', 3]]), statusChanged('confirmed', 'partially-shipped')];
    spec.given(history).when(cancel()).then([cancelled(), released('L2', 2, 'reserved'), statusChanged('partially-shipped', 'shipped')]);
  });

  it('cancelling twice emits nothing the second time, nor does cancelling an order whose every line was cancelled', () => {
    spec.given([placed, cancelled(), statusChanged('pending', 'cancelled')]).when(cancel()).thenNothing();
    spec.given(after(after(confirmedOrder, cancelLine('L1')), cancelLine('L2'))).when(cancel()).thenNothing();
  });

  it('refuses to cancel a rejected or a shipped order', () => {
    spec
      .given([placed, unavailable('L1', 3, 'e1'), unavailable('L2', 2, 'e2'), statusChanged('pending', 'rejected')])
      .when(cancel())
      .thenThrows('order-not-cancellable', /o-1 was rejected/);
    const shipped = [...confirmedOrder, shippedEvent('S1', [['L1', 3], ['L2', 2]]), statusChanged('confirmed', 'shipped')];
    spec.given(shipped).when(cancel()).thenThrows('order-not-cancellable', /nothing left to cancel/);
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
  const cancelledOrder = after(backorderedOrder, cancel());
  // Cancelled before inventory answered anything.
  const cancelledPending = after([placed], cancel());

  it('a reservation or backorder inventory made before it saw the cancel is recorded and shows as released', () => {
    spec.given(cancelledPending).when(reserve('L1', 3, 'e1')).then([reserved('L1', 3, 'e1')]);
    spec.given(cancelledPending).when(queue('L2', 2, dec1, 'e1')).then([backordered('L2', 2, dec1, 'e1')]);
    expect(viewOf(after(cancelledPending, reserve('L1', 3, 'e1'))).lines[0]).toEqual(lineView('L1', 3, { released: 3 }));
  });

  it('given-up units inventory finds unavailable stay released and the order stays cancelled', () => {
    const history = after(cancelledPending, markUnavailable('L1', 3, 'e1'));
    expect(viewOf(history)).toMatchObject({ status: 'cancelled', lines: [lineView('L1', 3, { released: 3 }), lineView('L2', 2, { released: 2 })] });
  });

  it('an allocation of released units changes nothing visible', () => {
    const history = after(cancelledOrder, allocate('L2', 1, 'e9'));
    expect(history.slice(cancelledOrder.length)).toEqual([allocated('L2', 1, 'e9')]);
    expect(viewOf(history)).toEqual(viewOf(cancelledOrder));
  });

  it('a date change for a released backorder changes nothing', () => {
    spec.given(cancelledOrder).when(changeEta('L2', dec5, 'e9')).thenNothing();
  });

  it("inventory's releases after the cancel confirm it; once every unit is released the line closes", () => {
    const l1 = after(cancelledOrder, releaseStock('L1', 3, 'e10'));
    expect(l1.slice(cancelledOrder.length)).toEqual([releasedByInventory('L1', 3, 'held', 'order-cancelled', 'e10')]);
    expect(viewOf(l1)).toEqual(viewOf(cancelledOrder));
    spec.given(l1).when(releaseStock('L1', 3, 'e10')).thenNothing();
    // A copy under another id, after the line closed, is a late duplicate too.
    spec.given(l1).when(releaseStock('L1', 3, 'e11')).thenNothing();
  });

  it('a release beyond what inventory could hold is inconsistent', () => {
    spec.given(cancelledOrder).when(releaseStock('L2', 3, 'e10')).thenThrows('inconsistent-outcome', /L2/);
    spec.given(cancelledOrder).when(allocate('L2', 3, 'e10')).thenThrows('inconsistent-outcome', /L2/);
  });

  it('answers beyond the pending units are still inconsistent', () => {
    spec.given(cancelledOrder).when(reserve('L2', 1, 'e10')).thenThrows('inconsistent-outcome', /pending/);
  });
});

describe('streams written before issue 12', () => {
  // The released code's cancellation: buckets released, unanswered units left pending, answers absorbed as released.
  const legacyCancelled: OrderEvent[] = [
    placed,
    reserved('L1', 3, 'e1'),
    cancelled(),
    released('L1', 3, 'reserved'),
    statusChanged('pending', 'cancelled'),
  ];

  it('fold to the view the released code showed, and stay cancelled with unanswered units', () => {
    expect(viewOf(legacyCancelled)).toEqual({ status: 'cancelled', lines: [lineView('L1', 3, { released: 3 }), lineView('L2', 2, {})] });
    const absorbed: OrderEvent = { type: 'LineReleased', data: { orderId, lineId: 'L2', quantity: 2, from: 'pending', eventId: 'e2' } };
    expect(viewOf([...legacyCancelled, absorbed]).lines[1]).toEqual(lineView('L2', 2, { released: 2 }));
    // The id of the absorbed answer is remembered: its redelivery changes nothing.
    spec.given([...legacyCancelled, absorbed]).when(queue('L2', 2, null, 'e2')).thenNothing();
  });

  it('give up the unanswered units of a cancelled order when inventory answers them', () => {
    spec.given(legacyCancelled).when(reserve('L2', 2, 'e2')).then([released('L2', 2, 'pending'), reserved('L2', 2, 'e2')]);
    expect(viewOf(after(legacyCancelled, reserve('L2', 2, 'e2'))).lines[1]).toEqual(lineView('L2', 2, { released: 2 }));
  });

  it("take inventory's late release of absorbed units from whatever bucket it names", () => {
    const absorbed: OrderEvent = { type: 'LineReleased', data: { orderId, lineId: 'L2', quantity: 2, from: 'pending', eventId: 'e2' } };
    const history = after([...legacyCancelled, absorbed], releaseBackorder('L2', 2, 'e3'));
    expect(viewOf(history).lines[1]).toEqual(lineView('L2', 2, { released: 2 }));
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
    ['an empty release reason', releaseStock('L1', 1, 'e1', ''), /reason/],
    ['an empty substitute', queue('L1', 1, null, 'e1', ['']), /substitutes\[0\]/],
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
    spec.given([placed, reserved('L1', 2, 'e1')]).when(reserve('L2', 2, 'e1')).thenNothing();
  });

  it('records a moved promise with the previous date', () => {
    spec.given(backorderedOrder).when(changeEta('L2', dec5, 'e9')).then([
      { type: 'LineEtaChanged', data: { orderId, lineId: 'L2', previousExpectedAt: dec1, expectedAt: dec5, eventId: 'e9' } },
    ]);
    spec.given(backorderedOrder).when(changeEta('L2', null, 'e9')).then([
      { type: 'LineEtaChanged', data: { orderId, lineId: 'L2', previousExpectedAt: dec1, expectedAt: null, eventId: 'e9' } },
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

describe('bounded memory', () => {
  it("a line forgets inventory's event ids once it is closed, and ignores what still comes for it", () => {
    const history = [placed, reserved('L1', 3, 'e1'), ready(['L1', 3]), unavailable('L2', 2, 'e2')];
    const state = history.reduce(orderDecider.evolve, orderDecider.initialState()) as PlacedOrder;
    expect(state.lines.map((line) => line.handledEventIds)).toEqual([['e1'], []]);
    spec.given(history).when(markUnavailable('L2', 2, 'e2')).thenNothing();
    const shipped = [...history, statusChanged('pending', 'confirmed'), shippedEvent('S1', [['L1', 3]])];
    expect((shipped.reduce(orderDecider.evolve, orderDecider.initialState()) as PlacedOrder).lines[0]!.handledEventIds).toEqual([]);
    spec.given(shipped).when(reserve('L1', 3, 'e1')).thenNothing();
  });
});

describe('line accounting', () => {
  it('keeps quantity = reserved + allocated + backordered + unavailable + released + shipped once answered', () => {
    const history: OrderEvent[] = [
      placed,
      reserved('L1', 1, 'e1'),
      backordered('L1', 1, dec1, 'e2'),
      unavailable('L1', 1, 'e3'),
      backordered('L2', 2, dec5, 'e4'),
      allocated('L1', 1, 'e5'),
    ];
    const state = spec.given(history).when(cancel()).thenState() as PlacedOrder;
    expect(state.lines.map((line) => pendingUnits(line))).toEqual([0, 0]);
    expect(orderView(state)?.lines).toEqual([
      expect.objectContaining({ quantity: 3, reserved: 0, allocated: 0, backordered: 0, unavailable: 1, released: 2, shipped: 0 }),
      expect.objectContaining({ quantity: 2, reserved: 0, allocated: 0, backordered: 0, unavailable: 0, released: 2, shipped: 0 }),
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
