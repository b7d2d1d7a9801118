import { describe, expect, it } from '@jest/globals';
import { InventoryDomainError, isInventoryDomainError } from './inventory-domain.error.js';
import { decide, type SkuCommand } from './sku.decide.js';
import { defaultConfiguration, evolve, initialState } from './sku.js';
import { available, backordered, incoming, queuedLines, reserved, skuView } from './sku.views.js';
import { given } from './test-support/given-when-then.js';
import { command, dec, event, keyOf, L1, L2, L3, T0, T1, waitingOn } from './test-support/sku-fixtures.js';

describe('rule 1: reserve first', () => {
  it('reserves a line that free stock covers', () => {
    given(event.configured(), event.adjusted(10))
      .when(command.allocate(L1, 4))
      .then(event.reserved(L1, 4));
  });

  it('reserves what free stock covers and queues the rest against an open purchase order', () => {
    given(event.configured(), event.adjusted(3), event.poRegistered('po-1', 10, dec(10)))
      .when(command.allocate(L1, 5))
      .then(event.reserved(L1, 3), event.queued(L1, 2, 1, dec(10)));
  });

  it('refuses a line that is already held or queued', () => {
    given(event.configured(), event.adjusted(5), event.reserved(L1, 2))
      .when(command.allocate(L1, 1))
      .thenThrows('duplicate-line', /line-1 of order order-1/);
  });
});

describe('rule 2: backorder or out of stock', () => {
  it('answers a line for an unknown SKU with "unavailable", without substitutes and without an exception', () => {
    given()
      .when(command.allocate(L1, 2))
      .then(event.unavailable(L1, 2, 'unknown-sku', []));
  });

  it('names the substitutes of a non-backorderable SKU even when a purchase order is open', () => {
    given(
      event.configured({ backorderable: false, substitutes: ['SKU-B', 'SKU-C'] }),
      event.poRegistered('po-1', 10, dec(10)),
    )
      .when(command.allocate(L1, 2))
      .then(event.unavailable(L1, 2, 'not-backorderable', ['SKU-B', 'SKU-C']));
  });

  it('makes a backorderable SKU with neither purchase order nor lead time unavailable', () => {
    given(event.configured({ substitutes: ['SKU-B'] }))
      .when(command.allocate(L1, 2))
      .then(event.unavailable(L1, 2, 'no-restock-expected', ['SKU-B']));
  });

  it('queues the part that unpromised purchase-order quantity covers and makes the remainder unavailable', () => {
    given(event.configured({ substitutes: ['SKU-B'] }), event.poRegistered('po-1', 4, dec(10)))
      .when(command.allocate(L1, 6))
      .then(
        event.queued(L1, 4, 1, dec(10), T0, { substitutes: ['SKU-B'] }),
        event.unavailable(L1, 2, 'no-restock-expected', ['SKU-B']),
      );
  });

  it('does not promise purchase-order quantity twice', () => {
    given(event.configured(), event.poRegistered('po-1', 5, dec(10)), event.queued(L1, 5, 1, dec(10)))
      .when(command.allocate(L2, 2))
      .then(event.unavailable(L2, 2, 'no-restock-expected', []));
  });

  it('backorders on the lead time, dated from the start of the UTC day, and requests a replenishment', () => {
    given(event.configured({ leadTimeDays: 5 }))
      .when(command.allocate(L1, 3))
      .then(event.queued(L1, 3, 1, dec(2)), event.replenishment(3, 'backorder', 5));
  });

  it('requests only the new shortfall while an earlier request is pending', () => {
    given(event.configured({ leadTimeDays: 5 }), event.queued(L1, 3, 1, dec(2)), event.replenishment(3, 'backorder', 5))
      .when(command.allocate(L2, 2, T1))
      .then(event.queued(L2, 2, 2, dec(2), T1), event.replenishment(2, 'backorder', 5, T1));
  });

  it('moves no date when the supplier answers the request with a purchase order dated the same way', () => {
    given(
      event.configured({ leadTimeDays: 5 }),
      event.queued(L1, 3, 1, dec(2)),
      event.replenishment(3, 'backorder', 5),
      event.queued(L2, 2, 2, dec(2), T1),
      event.replenishment(2, 'backorder', 5, T1),
    )
      .when(command.registerPo('po-r1', 3, dec(2), T1))
      .then(event.poRegistered('po-r1', 3, dec(2), T1));
  });
});

describe('rule 3: FIFO, no overtaking', () => {
  it('fills the head partially over two receipts', () => {
    const history = [
      ...waitingOn([['po-1', 10, dec(10)]], [[L1, 5, dec(10)], [L2, 3, dec(10)]]),
    ];
    given(...history)
      .when(command.receive('po-1', 3))
      .then(event.received('po-1', 3, 7), event.allocated(L1, 3, 2));
    given(...history, event.received('po-1', 3, 7), event.allocated(L1, 3, 2))
      .when(command.receive('po-1', 4))
      .then(event.received('po-1', 4, 3), event.allocated(L1, 2, 0), event.allocated(L2, 2, 1));
  });

  it('serves the whole queue from a receipt larger than it and keeps the rest free', () => {
    const spec = given(
      event.configured({ leadTimeDays: 3 }),
      event.queued(L1, 2, 1, '2026-11-30T00:00:00.000Z'),
      event.replenishment(2, 'backorder', 3),
      event.queued(L2, 3, 2, '2026-11-30T00:00:00.000Z'),
      event.replenishment(3, 'backorder', 3),
    ).when(command.receive(null, 10));
    spec.then(event.received(null, 10, null), event.allocated(L1, 2, 0), event.allocated(L2, 3, 0));
    const after = spec.thenState();
    expect({ available: available(after), reserved: reserved(after), queue: queuedLines(after) }).toEqual({
      available: 5,
      reserved: 5,
      queue: [],
    });
  });

  it('gives the units of a cancelled reserved line to the queue head first', () => {
    given(
      event.configured(),
      event.adjusted(4),
      event.reserved(L1, 4),
      event.poRegistered('po-1', 10, dec(10)),
      event.queued(L2, 3, 1, dec(10)),
      event.queued(L3, 2, 2, dec(10)),
    )
      .when(command.cancel(L1))
      .then(event.reservationReleased(L1, 4), event.allocated(L2, 3, 0), event.allocated(L3, 1, 1));
  });

  it('serves no later line while the head still waits', () => {
    given(...waitingOn([['po-1', 10, dec(10)]], [[L1, 3, dec(10)], [L2, 1, dec(10)]]))
      .when(command.adjust(2))
      .then(event.adjusted(2), event.allocated(L1, 2, 1));
  });

  it('queues a new line behind the waiting ones', () => {
    given(event.configured(), event.poRegistered('po-1', 10, dec(10)), event.queued(L1, 3, 1, dec(10)))
      .when(command.allocate(L2, 2))
      .then(event.queued(L2, 2, 2, dec(10)));
  });

  it('refuses a negative adjustment that would take held units, and accepts one that takes free units', () => {
    const history = [event.configured(), event.adjusted(5), event.reserved(L1, 3)];
    given(...history)
      .when(command.adjust(-3, 'damaged'))
      .thenThrows('insufficient-stock', /only 2 are free/);
    given(...history)
      .when(command.adjust(-2, 'damaged'))
      .then(event.adjusted(-2, 'damaged'));
  });
});

describe('rule 4: promised dates', () => {
  it('walks the queue against purchase orders in date order, whatever their registration order', () => {
    given(...waitingOn([['po-late', 4, dec(20)], ['po-early', 4, dec(10)]], [[L1, 3, dec(10)]]))
      .when(command.allocate(L2, 3))
      .then(event.queued(L2, 3, 2, dec(20)));
  });

  const twoPurchaseOrders = [
    ...waitingOn([['po-1', 5, dec(10)], ['po-2', 5, dec(20)]], [[L1, 5, dec(10)], [L2, 5, dec(20)]]),
  ];

  it('moves only the lines whose date moves when a purchase order comes later', () => {
    given(...twoPurchaseOrders)
      .when(command.changePoEta('po-1', dec(15)))
      .then(event.poEtaChanged('po-1', dec(10), dec(15)), event.etaChanged(L1, dec(10), dec(15)));
  });

  it('re-sorts the purchase orders when one comes earlier than another', () => {
    given(...twoPurchaseOrders)
      .when(command.changePoEta('po-2', dec(5)))
      .then(
        event.poEtaChanged('po-2', dec(20), dec(5)),
        event.etaChanged(L1, dec(10), dec(5)),
        event.etaChanged(L2, dec(20), dec(10)),
      );
  });

  it('ignores a date change that changes nothing or names no open purchase order', () => {
    given(...twoPurchaseOrders).when(command.changePoEta('po-1', '2026-12-10T00:00:00Z')).thenNothing();
    given(...twoPurchaseOrders).when(command.changePoEta('po-closed', dec(1))).thenNothing();
  });

  it('moves later lines when a purchase order closes short', () => {
    given(
      ...waitingOn([['po-1', 5, dec(10)], ['po-2', 10, dec(20)]], [[L1, 3, dec(10)], [L2, 2, dec(10)], [L3, 4, dec(20)]]),
    )
      .when(command.receive('po-1', 3, 0))
      .then(event.received('po-1', 3, 0), event.allocated(L1, 3, 0), event.etaChanged(L2, dec(10), dec(20)));
  });

  it('moves later lines up when a queued line is cancelled', () => {
    given(
      ...waitingOn([['po-1', 3, dec(10)], ['po-2', 5, dec(20)]], [[L1, 3, dec(10)], [L2, 2, dec(20)], [L3, 3, dec(20)]]),
    )
      .when(command.cancel(L1))
      .then(event.backorderReleased(L1, 3), event.etaChanged(L2, dec(20), dec(10)));
  });

  it('hands the purchase-order units of a line served from stock to the next line', () => {
    given(...waitingOn([['po-1', 3, dec(10)], ['po-2', 3, dec(20)]], [[L1, 3, dec(10)], [L2, 3, dec(20)]]))
      .when(command.adjust(3, 'found'))
      .then(event.adjusted(3, 'found'), event.allocated(L1, 3, 0), event.etaChanged(L2, dec(20), dec(10)));
  });

  it('never promises a line earlier than the line before it', () => {
    given(
      event.configured({ leadTimeDays: 2 }),
      event.poRegistered('po-1', 5, dec(20)),
      event.queued(L1, 5, 1, dec(20)),
    )
      .when(command.allocate(L2, 1))
      .then(event.queued(L2, 1, 2, dec(20)), event.replenishment(1, 'backorder', 2));
  });

  it('moves lead-time dates when the lead time changes, and drops them when it is removed', () => {
    const history = [
      event.configured({ leadTimeDays: 5 }),
      event.queued(L1, 3, 1, dec(2)),
      event.replenishment(3, 'backorder', 5),
    ];
    given(...history)
      .when(command.configure({ leadTimeDays: 7 }))
      .then(event.configured({ leadTimeDays: 7 }), event.etaChanged(L1, dec(2), dec(4)));
    given(...history)
      .when(command.configure({}))
      .then(event.configured(), event.etaChanged(L1, dec(2), null));
  });
});

describe('rule 5: cancellation', () => {
  it('releases the held and the waiting part of a partly allocated line, and serves the next line', () => {
    given(
      ...waitingOn([['po-1', 10, dec(10)]], [[L1, 5, dec(10)], [L2, 3, dec(10)]]),
      event.received('po-1', 2, 8),
      event.allocated(L1, 2, 3),
    )
      .when(command.cancel(L1, 'changed mind'))
      .then(
        event.backorderReleased(L1, 3, 'changed mind'),
        event.reservationReleased(L1, 2, 'changed mind'),
        event.allocated(L2, 2, 1),
      );
  });

  it('treats the cancellation of a line it does not know as done', () => {
    given(event.configured(), event.adjusted(5), event.reserved(L1, 2)).when(command.cancel(L2)).thenNothing();
  });
});

describe('rule 6: reorder point', () => {
  const belowReorderPoint = [
    event.configured({ reorderPoint: 5, safetyStock: 2 }),
    event.adjusted(8),
    event.reserved(L1, 4),
    event.replenishment(3, 'reorder-point'),
  ];

  it('requests up to reorder point plus safety stock when the position falls below the reorder point', () => {
    given(event.configured({ reorderPoint: 5, safetyStock: 2 }), event.adjusted(8))
      .when(command.allocate(L1, 4))
      .then(event.reserved(L1, 4), event.replenishment(3, 'reorder-point'));
  });

  it('does not request again while the request is pending', () => {
    given(...belowReorderPoint)
      .when(command.allocate(L2, 1))
      .then(event.reserved(L2, 1));
  });

  it('requests again once a purchase order has answered the request and the position falls again', () => {
    given(...belowReorderPoint, event.poRegistered('po-1', 3, dec(10)))
      .when(command.allocate(L2, 3))
      .then(event.reserved(L2, 3), event.replenishment(3, 'reorder-point'));
  });

  it('requests when a new reorder point is above the position', () => {
    given(event.configured(), event.adjusted(3))
      .when(command.configure({ reorderPoint: 10 }))
      .then(event.configured({ reorderPoint: 10 }), event.replenishment(7, 'reorder-point'));
  });
});

describe('rule 7: back in stock', () => {
  const toldOutOfStock = [event.configured(), event.unavailable(L1, 2, 'no-restock-expected')];

  it('announces free stock once after someone was told out of stock', () => {
    given(...toldOutOfStock)
      .when(command.adjust(1))
      .then(event.adjusted(1), event.backInStock(1));
    given(...toldOutOfStock, event.adjusted(1), event.backInStock(1))
      .when(command.adjust(3))
      .then(event.adjusted(3));
  });

  it('announces only what is left once the queue is served', () => {
    given(
      ...waitingOn([['po-1', 3, dec(10)]], [[L1, 3, dec(10)]]),
      event.unavailable(L2, 2, 'no-restock-expected'),
    )
      .when(command.receive('po-1', 5))
      .then(event.received('po-1', 5, 0), event.allocated(L1, 3, 0), event.backInStock(2));
  });

  it('announces stock freed by a cancellation', () => {
    given(event.configured(), event.adjusted(2), event.reserved(L1, 2), event.unavailable(L2, 3, 'no-restock-expected'))
      .when(command.cancel(L1))
      .then(event.reservationReleased(L1, 2), event.backInStock(2));
  });

  it('stays silent when nobody was told out of stock', () => {
    given(event.configured()).when(command.adjust(5)).then(event.adjusted(5));
  });
});

describe('event times', () => {
  const EARLIER = '2026-11-27T10:59:59.950Z';
  const JUST_AFTER_T1 = '2026-11-27T11:00:00.001Z';

  it('never dates a decision before the SKU\'s latest event, even when its command was timed earlier', () => {
    // Found by the chaos soak: a receipt timed by one instance while another held the SKU's lock was dated before the
    // out-of-stock decided meanwhile, and a consumer comparing times took the BackInStock for old news.
    given(...[event.configured(), event.unavailable(L1, 2, 'no-restock-expected', [], T1)])
      .when(command.adjust(1, 'found', EARLIER))
      .then(event.adjusted(1, 'found', JUST_AFTER_T1), event.backInStock(1, JUST_AFTER_T1));
  });

  it('dates a decision a millisecond after the latest event when the clock has not moved on: two are never simultaneous', () => {
    // Found by the chaos soak: a BackInStock and the out-of-stock decided right after it on the same clock tick had
    // the same time, and the customer refused after the stock was gone was told it was back.
    // Folded by hand: given() takes a history dated at the command's instant as just before it.
    const state = [event.configured(), event.adjusted(1, 'found', T1), event.backInStock(1, T1), event.reserved(L1, 1, T1)].reduce(
      evolve,
      initialState(),
    );
    expect(decide(command.allocate(L2, 1, T1), state)).toEqual([event.unavailable(L2, 1, 'no-restock-expected', [], JUST_AFTER_T1)]);
  });

  it('keeps a command\'s own time when it is later than every event', () => {
    given(event.configured()).when(command.adjust(2, 'count', T1)).then(event.adjusted(2, 'count', T1));
  });

  it('remembers the latest event time, also on top of a snapshot older than that memory', () => {
    const history = [event.configured(), event.queued(L1, 1, 1, null, T1), event.allocated(L1, 1, 0, T0)];
    expect(given(...history).state.lastEventAt).toBe(T1);
    const { lastEventAt: _dropped, ...olderSnapshot } = given(event.configured()).state;
    expect(evolve(olderSnapshot as never, event.adjusted(1, 'count', T1)).lastEventAt).toBe(T1);
  });
});

describe('purchase orders and receipts', () => {
  it('refuses a second purchase order with an open id', () => {
    given(event.configured(), event.poRegistered('po-1', 5, dec(10)))
      .when(command.registerPo('po-1', 5, dec(11)))
      .thenThrows('duplicate-purchase-order');
  });

  it('adds a receipt for a purchase order it does not know to stock only', () => {
    const after = given(event.configured(), event.poRegistered('po-1', 5, dec(10)))
      .when(command.receive('po-x', 4))
      .thenState();
    expect(after.onHand).toBe(4);
    expect(incoming(after)).toBe(5);
    given(event.configured(), event.poRegistered('po-1', 5, dec(10)))
      .when(command.receive('po-x', 4))
      .then(event.received('po-x', 4, null));
  });

  it('closes a purchase order that delivers more than was open, keeping every unit', () => {
    const spec = given(event.configured(), event.poRegistered('po-1', 5, dec(10))).when(command.receive('po-1', 8));
    spec.then(event.received('po-1', 8, 0));
    const after = spec.thenState();
    expect({ onHand: after.onHand, incoming: incoming(after), available: available(after) }).toEqual({
      onHand: 8,
      incoming: 0,
      available: 8,
    });
  });

  it('makes a purchase order known for a SKU never configured', () => {
    given(event.poRegistered('po-1', 5, dec(10)))
      .when(command.allocate(L1, 2))
      .then(event.queued(L1, 2, 1, dec(10)));
  });
});

describe('configuration', () => {
  it('configures an unknown SKU with the defaults', () => {
    given().when(command.configure()).then(event.configured());
  });

  it('emits nothing for the same configuration again', () => {
    given(event.configured({ leadTimeDays: 5, substitutes: ['SKU-B'] }))
      .when(command.configure({ leadTimeDays: 5, substitutes: ['SKU-B', 'SKU-B'] }))
      .thenNothing();
  });
});

describe('input guards', () => {
  const invalid: [string, SkuCommand][] = [
    ['a zero quantity', command.allocate(L1, 0)],
    ['a fractional quantity', command.allocate(L1, 1.5)],
    ['an empty order id', command.allocate({ ...L1, orderId: '' }, 1)],
    ['a time that is not ISO-8601', command.allocate(L1, 1, 'yesterday')],
    ['a zero delta', command.adjust(0)],
    ['a fractional delta', command.adjust(0.5)],
    ['a purchase order without quantity', command.registerPo('po-1', 0, dec(10))],
    ['a purchase order without a valid date', command.registerPo('po-1', 1, 'soon')],
    ['a date change to an invalid date', command.changePoEta('po-1', '2026-13-45T00:00:00Z')],
    ['a receipt of nothing', command.receive('po-1', 0)],
    ['a negative remaining quantity', command.receive('po-1', 1, -1)],
    ['a negative lead time', command.configure({ leadTimeDays: -1 })],
    ['a fractional reorder point', command.configure({ reorderPoint: 1.5 })],
    ['a negative safety stock', command.configure({ safetyStock: -2 })],
    ['an empty substitute', command.configure({ substitutes: [''] })],
    ['substitutes that are not a list', { type: 'ConfigureSku', data: { substitutes: 'SKU-B', now: T0 } } as never],
    ['a non-boolean backorderable', { type: 'ConfigureSku', data: { backorderable: 'yes', now: T0 } } as never],
    ['a cancellation without a reason', { type: 'CancelOrderLine', data: { ...keyOf(L1), now: T0 } } as never],
    ['a partial cancellation of no unit', command.cancel(L1, 'customer request', T0, 0)],
    ['a shipment of no unit', command.ship(L1, 0)],
    ['a fractional shipment', command.ship(L1, 0.5)],
    ['a shipment without an order id', { type: 'ShipOrderLine', data: { lineId: 'line-1', quantity: 1, now: T0 } } as never],
    ['a sweep without a valid clock', command.sweep('later')],
    ['an unplanned replenishment of no unit', command.unplanned(0)],
    ['a negative backorder cap', command.configure({ maxBackorder: -1 })],
    ['a fractional wait horizon', command.configure({ maxWaitDays: 1.5 })],
    ['an expiry that is not a number', command.configure({ autoCancelAfterDays: '3' as never })],
    ['a release date that is not ISO-8601', command.configure({ releaseAt: 'next spring' })],
    ['an unknown command', { type: 'TeleportStock', data: { now: T0 } } as never],
  ];

  it.each(invalid)('rejects %s as invalid', (_name, invalidCommand) => {
    given(event.configured(), event.poRegistered('po-1', 5, dec(10)))
      .when(invalidCommand)
      .thenThrows('invalid-command');
  });

  it('tells the shell whether an error is bad input or a refusal', () => {
    const errors = [command.allocate(L1, 0), command.adjust(-1)].map((refused) => {
      try {
        decide(refused, initialState());
        return undefined;
      } catch (error) {
        return error;
      }
    });
    expect(errors.every(isInventoryDomainError)).toBe(true);
    expect((errors as InventoryDomainError[]).map(({ code, kind }) => ({ code, kind }))).toEqual([
      { code: 'invalid-command', kind: 'invalid' },
      { code: 'insufficient-stock', kind: 'refusal' },
    ]);
  });

  it('normalises instants so that equal instants compare equal', () => {
    given(event.configured())
      .when(command.registerPo('po-1', 1, '2026-12-10T01:00:00+01:00', '2026-11-27T11:00:00+01:00'))
      .then(event.poRegistered('po-1', 1, dec(10), T0));
  });
});

describe('evolve and views', () => {
  it('leaves the state untouched for an event type newer than this code', () => {
    const state = given(event.configured(), event.adjusted(3)).state;
    expect(evolve(state, { type: 'StockTeleported', data: {} } as never)).toBe(state);
  });

  it('shows the SKU the way GET /skus/:sku does', () => {
    const state = given(
      event.configured({ leadTimeDays: 5 }),
      event.adjusted(4),
      event.reserved(L1, 4),
      event.poRegistered('po-late', 2, dec(20)),
      event.poRegistered('po-early', 1, dec(10)),
      event.queued(L2, 6, 1, dec(20), T1),
      event.replenishment(3, 'backorder', 5, T1),
    ).state;
    expect({ backordered: backordered(state), incoming: incoming(state) }).toEqual({ backordered: 6, incoming: 3 });
    expect(skuView(state)).toEqual({
      known: true,
      onHand: 4,
      reserved: 4,
      available: 0,
      backordered: 6,
      queue: [{ ...L2, quantity: 6, queuedAt: T1, expectedAt: dec(20), preorder: false }],
      incoming: [
        { purchaseOrderId: 'po-early', quantity: 1, expectedAt: dec(10) },
        { purchaseOrderId: 'po-late', quantity: 2, expectedAt: dec(20) },
      ],
      preordersUntil: null,
      pendingReplenishment: 3,
      unplannedReplenishment: 0,
      configuration: { ...defaultConfiguration, leadTimeDays: 5 },
    });
  });
});
