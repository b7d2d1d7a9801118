// SPEC 10 on the inventory side: the per-SKU policies (cap, horizon, expiry, preorders) and unplannable replenishment.
import { describe, expect, it } from '@jest/globals';
import { decide } from './sku.decide.js';
import { evolve, initialState, queuedLineOf, type SkuEvent } from './sku.js';
import { skuView } from './sku.views.js';
import { given } from './test-support/given-when-then.js';
import { at, command, dec, event, L1, L2, L3, T0, T1 } from './test-support/sku-fixtures.js';

const preorder = { preorder: true };

describe('maxBackorder', () => {
  it('makes the part of a line beyond the cap unavailable, naming the substitutes', () => {
    given(
      event.configured({ leadTimeDays: 5, maxBackorder: 4, substitutes: ['SKU-B'] }),
      event.queued(L1, 3, 1, dec(2), T0, { substitutes: ['SKU-B'] }),
      event.replenishment(3, 'backorder', 5),
    )
      .when(command.allocate(L2, 3))
      .then(
        event.queued(L2, 1, 2, dec(2), T0, { substitutes: ['SKU-B'] }),
        event.unavailable(L2, 2, 'backorder-cap', ['SKU-B']),
        event.replenishment(1, 'backorder', 5),
      );
  });

  it('makes a whole line unavailable once the queue is at the cap', () => {
    given(event.configured({ leadTimeDays: 5, maxBackorder: 3 }), event.queued(L1, 3, 1, dec(2)), event.replenishment(3, 'backorder', 5))
      .when(command.allocate(L2, 2))
      .then(event.unavailable(L2, 2, 'backorder-cap'));
  });

  it('caps only what waits: stock on hand is reserved first', () => {
    given(event.configured({ leadTimeDays: 5, maxBackorder: 1 }), event.adjusted(2))
      .when(command.allocate(L1, 4))
      .then(
        event.reserved(L1, 2),
        event.queued(L1, 1, 1, dec(2)),
        event.unavailable(L1, 1, 'backorder-cap'),
        event.replenishment(1, 'backorder', 5),
      );
  });

  it('keeps the lines already queued when the cap is lowered below them', () => {
    const history = [event.configured({ leadTimeDays: 5 }), event.queued(L1, 3, 1, dec(2)), event.replenishment(3, 'backorder', 5)];
    const spec = given(...history).when(command.configure({ leadTimeDays: 5, maxBackorder: 1 }));
    spec.then(event.configured({ leadTimeDays: 5, maxBackorder: 1 }));
    expect(queuedLineOf(spec.thenState(), L1)).toMatchObject({ quantity: 3 });
  });
});

describe('maxWaitDays', () => {
  it('does not queue a line whose promised date is further away than the horizon', () => {
    given(event.configured({ maxWaitDays: 14 }), event.poRegistered('po-1', 10, dec(20)))
      .when(command.allocate(L1, 3))
      .then(event.unavailable(L1, 3, 'wait-too-long'));
  });

  it('queues the part of a line promised within the horizon and makes the rest unavailable', () => {
    given(event.configured({ maxWaitDays: 14 }), event.poRegistered('po-1', 3, dec(5)), event.poRegistered('po-2', 10, dec(30)))
      .when(command.allocate(L1, 5))
      .then(event.queued(L1, 3, 1, dec(5)), event.unavailable(L1, 2, 'wait-too-long'));
  });

  it('queues on a lead time within the horizon and refuses one beyond it, requesting nothing then', () => {
    given(event.configured({ leadTimeDays: 5, maxWaitDays: 7 }))
      .when(command.allocate(L1, 2))
      .then(event.queued(L1, 2, 1, dec(2)), event.replenishment(2, 'backorder', 5));
    given(event.configured({ leadTimeDays: 10, maxWaitDays: 7 }))
      .when(command.allocate(L1, 2))
      .then(event.unavailable(L1, 2, 'wait-too-long'));
  });

  it('queues a whole line on a lead time that promises sooner than a late purchase order would', () => {
    given(event.configured({ leadTimeDays: 5, maxWaitDays: 14 }), event.poRegistered('po-1', 3, dec(30)))
      .when(command.allocate(L1, 5))
      .then(event.queued(L1, 5, 1, dec(2)), event.replenishment(2, 'backorder', 5));
  });

  it('keeps "no restock expected" as the reason when nothing at all is in sight', () => {
    given(event.configured({ maxWaitDays: 14 }))
      .when(command.allocate(L1, 2))
      .then(event.unavailable(L1, 2, 'no-restock-expected'));
  });
});

describe('autoCancelAfterDays and SweepBackorders', () => {
  const twoLines = [
    event.configured({ autoCancelAfterDays: 3 }),
    event.poRegistered('po-1', 3, dec(10)),
    event.poRegistered('po-2', 5, dec(20)),
    event.queued(L1, 2, 1, dec(10), T0),
    event.queued(L2, 3, 2, dec(20), at(48)),
  ];

  it('releases a line that waited longer than the days, moves later lines up and re-dates them', () => {
    given(...twoLines)
      .when(command.sweep(at(73)))
      .then(event.backorderReleased(L1, 2, 'expired', at(73)), event.etaChanged(L2, dec(20), dec(10), at(73)));
  });

  it('emits nothing when no line is overdue, or without an expiry policy', () => {
    given(...twoLines).when(command.sweep(at(72))).thenNothing();
    given(event.configured(), event.poRegistered('po-1', 3, dec(10)), event.queued(L1, 2, 1, dec(10)))
      .when(command.sweep(at(24 * 365)))
      .thenNothing();
  });

  it('expires a line at the next sweep with 0 days, not at the instant it was queued', () => {
    const history = [event.configured({ autoCancelAfterDays: 0 }), event.poRegistered('po-1', 3, dec(10)), event.queued(L1, 2, 1, dec(10))];
    given(...history).when(command.sweep(T0)).thenNothing();
    given(...history)
      .when(command.sweep(at(0.01)))
      .then(event.backorderReleased(L1, 2, 'expired', at(0.01)));
  });

  it('keeps the held units of a partly allocated line whose waiting part expires', () => {
    const spec = given(...twoLines, event.received('po-1', 1, 2), event.allocated(L1, 1, 1)).when(command.sweep(at(80)));
    spec.then(event.backorderReleased(L1, 1, 'expired', at(80)));
    const after = spec.thenState();
    expect(skuView(after)).toMatchObject({ reserved: 1, backordered: 3 });
  });

  it('never serves an overdue line: a restock that reaches it first expires it and serves the next one', () => {
    given(
      event.configured({ autoCancelAfterDays: 1 }),
      event.poRegistered('po-1', 10, dec(10)),
      event.queued(L1, 2, 1, dec(10), T0),
      event.queued(L2, 3, 2, dec(10), at(20)),
    )
      .when(command.receive('po-1', 4, undefined, at(26)))
      .then(
        event.received('po-1', 4, 6, at(26)),
        event.backorderReleased(L1, 2, 'expired', at(26)),
        event.allocated(L2, 3, 0, at(26)),
      );
  });

  it('applies a changed expiry to every waiting line at the next sweep', () => {
    given(...twoLines)
      .when(command.configure({ autoCancelAfterDays: 1 }, at(49)))
      .then(event.configured({ autoCancelAfterDays: 1 }, at(49)));
    given(...twoLines, event.configured({ autoCancelAfterDays: 1 }, at(49)))
      .when(command.sweep(at(73)))
      .then(event.backorderReleased(L1, 2, 'expired', at(73)), event.backorderReleased(L2, 3, 'expired', at(73)));
  });
});

describe('releaseAt: preorders', () => {
  const preorderSku = [event.configured({ releaseAt: dec(15) }), event.adjusted(4)];

  it('queues every unit ordered before the release, even with stock on hand, promised for the release', () => {
    given(...preorderSku)
      .when(command.allocate(L1, 3))
      .then(event.queued(L1, 3, 1, dec(15), T0, preorder));
  });

  it('promises the units beyond the stock on hand by the purchase orders, never before the release', () => {
    given(...preorderSku, event.poRegistered('po-1', 5, dec(20)))
      .when(command.allocate(L1, 6))
      .then(event.queued(L1, 6, 1, dec(20), T0, preorder));
    given(...preorderSku, event.poRegistered('po-1', 5, dec(10)))
      .when(command.allocate(L1, 6))
      .then(event.queued(L1, 6, 1, dec(15), T0, preorder));
  });

  it('makes the units beyond all supply in sight unavailable, as any backorder', () => {
    given(...preorderSku, event.queued(L1, 3, 1, dec(15), T0, preorder))
      .when(command.allocate(L2, 3))
      .then(event.queued(L2, 1, 2, dec(15), T0, preorder), event.unavailable(L2, 2, 'no-restock-expected'));
  });

  it('does not allocate stock received before the release, nor announce it as back in stock', () => {
    given(
      event.configured({ releaseAt: dec(15) }),
      event.poRegistered('po-1', 5, dec(10)),
      event.queued(L1, 3, 1, dec(15), T0, preorder),
      event.unavailable(L2, 9, 'no-restock-expected'),
    )
      .when(command.receive('po-1', 5))
      .then(event.received('po-1', 5, 0));
  });

  it('does nothing at a sweep before the release', () => {
    given(...preorderSku, event.queued(L1, 3, 1, dec(15), T0, preorder)).when(command.sweep(dec(14))).thenNothing();
  });

  it('serves the queue FIFO at the first sweep at or after the release, then behaves normally', () => {
    const history = [
      ...preorderSku,
      event.queued(L1, 3, 1, dec(15), T0, preorder),
      event.queued(L2, 1, 2, dec(15), T0, preorder),
    ];
    given(...history)
      .when(command.sweep(dec(15)))
      .then(event.released(dec(15), dec(15)), event.allocated(L1, 3, 0, dec(15)), event.allocated(L2, 1, 0, dec(15)));
    given(...history, event.released(dec(15), dec(15)), event.allocated(L1, 3, 0, dec(15)), event.allocated(L2, 1, 0, dec(15)), event.adjusted(2))
      .when(command.allocate(L3, 1, dec(16)))
      .then(event.reserved(L3, 1, dec(16)));
  });

  it('lets what the release cannot serve wait for its purchase order, and announces stock left over', () => {
    given(
      event.configured({ releaseAt: dec(15) }),
      event.adjusted(2),
      event.poRegistered('po-1', 5, dec(20)),
      event.queued(L1, 4, 1, dec(20), T0, preorder),
      event.unavailable(L2, 1, 'no-restock-expected'),
    )
      .when(command.sweep(dec(16)))
      .then(event.released(dec(15), dec(16)), event.allocated(L1, 2, 2, dec(16)));
    given(
      ...preorderSku,
      event.queued(L1, 3, 1, dec(15), T0, preorder),
      event.unavailable(L2, 9, 'no-restock-expected'),
    )
      .when(command.sweep(dec(16)))
      .then(event.released(dec(15), dec(16)), event.allocated(L1, 3, 0, dec(16)), event.backInStock(1, dec(16)));
  });

  it('never expires a line held for the release, and starts its expiry clock when the release happens', () => {
    const history = [
      event.configured({ releaseAt: dec(15), autoCancelAfterDays: 2 }),
      event.poRegistered('po-1', 10, dec(20)),
      event.queued(L1, 3, 1, dec(20), T0, preorder),
    ];
    given(...history).when(command.sweep(dec(14))).thenNothing();
    given(...history).when(command.sweep(dec(16))).then(event.released(dec(15), dec(16)));
    const released = [...history, event.released(dec(15), dec(16))];
    given(...released).when(command.sweep(dec(18))).thenNothing();
    given(...released)
      .when(command.sweep(at(21 * 24)))
      .then(event.backorderReleased(L1, 3, 'expired', at(21 * 24)));
  });

  it('serves the preorders at the release with 0 days, and expires what it could not serve at the next sweep', () => {
    const history = [
      event.configured({ releaseAt: dec(15), autoCancelAfterDays: 0, leadTimeDays: 30 }),
      event.adjusted(2),
      event.queued(L1, 1, 1, dec(15), T0, preorder),
      event.queued(L2, 3, 2, dec(27), T0, preorder),
      event.replenishment(2, 'backorder', 30),
    ];
    given(...history)
      .when(command.sweep(dec(16)))
      .then(event.released(dec(15), dec(16)), event.allocated(L1, 1, 0, dec(16)), event.allocated(L2, 1, 2, dec(16)));
    const released = [...history, event.released(dec(15), dec(16)), event.allocated(L1, 1, 0, dec(16)), event.allocated(L2, 1, 2, dec(16))];
    given(...released)
      .when(command.sweep(at(19 * 24 + 1)))
      .then(event.backorderReleased(L2, 2, 'expired', at(19 * 24 + 1)));
  });

  it('lifts the release date from the promises of the lines the release could not serve', () => {
    given(
      event.configured({ releaseAt: dec(15), leadTimeDays: 2 }),
      event.queued(L1, 3, 1, dec(15), T0, preorder),
      event.replenishment(3, 'backorder', 2),
    )
      .when(command.sweep(dec(16)))
      .then(event.released(dec(15), dec(16)), event.etaChanged(L1, dec(15), '2026-11-29T00:00:00.000Z', dec(16)));
  });

  it('re-dates the held lines when the release date moves before the release', () => {
    given(...preorderSku, event.queued(L1, 3, 1, dec(15), T0, preorder))
      .when(command.configure({ releaseAt: dec(20) }))
      .then(event.configured({ releaseAt: dec(20) }), event.etaChanged(L1, dec(15), dec(20)));
  });

  it('serves the queue at once when the release date is cleared, without expiring preorders that waited long', () => {
    given(
      event.configured({ releaseAt: dec(15), autoCancelAfterDays: 1 }),
      event.adjusted(4),
      event.queued(L1, 3, 1, dec(15), T0, preorder),
    )
      .when(command.configure({ autoCancelAfterDays: 1 }, dec(5)))
      .then(event.configured({ autoCancelAfterDays: 1 }, dec(5)), event.allocated(L1, 3, 0, dec(5)));
  });

  it('holds only the lines ordered after a new release date set once released; lines already waiting are served', () => {
    const history = [
      event.configured({ releaseAt: dec(15) }),
      event.poRegistered('po-1', 5, dec(20)),
      event.queued(L1, 3, 1, dec(20), T0, preorder),
      event.released(dec(15), dec(15)),
      event.configured({ releaseAt: dec(40) }, dec(16)),
    ];
    given(...history)
      .when(command.receive('po-1', 5, undefined, dec(18)))
      .then(event.received('po-1', 5, 0, dec(18)), event.allocated(L1, 3, 0, dec(18)));
    given(...history, event.received('po-1', 5, 0, dec(18)), event.allocated(L1, 3, 0, dec(18)))
      .when(command.allocate(L2, 2, dec(19)))
      .then(event.queued(L2, 2, 1, dec(40), dec(19), preorder));
  });

  it('holds until the next sweep with a release date already past when configured', () => {
    const history = [event.configured({ releaseAt: dec(1) }, dec(3)), event.adjusted(5, 'count', dec(3))];
    given(...history)
      .when(command.allocate(L1, 2, dec(3)))
      .then(event.queued(L1, 2, 1, dec(1), dec(3), preorder));
    given(...history, event.queued(L1, 2, 1, dec(1), dec(3), preorder))
      .when(command.sweep(dec(3)))
      .then(event.released(dec(1), dec(3)), event.allocated(L1, 2, 0, dec(3)));
  });

  it('counts the horizon from the release and the cap beyond the stock on hand', () => {
    const farRelease = [event.configured({ releaseAt: dec(30), maxWaitDays: 7 }), event.adjusted(2), event.poRegistered('po-1', 5, dec(40))];
    given(...farRelease)
      .when(command.allocate(L1, 3))
      .then(event.queued(L1, 2, 1, dec(30), T0, preorder), event.unavailable(L1, 1, 'wait-too-long'));
    const capped = [event.configured({ releaseAt: dec(15), maxBackorder: 0 }), event.adjusted(5), event.poRegistered('po-1', 5, dec(20))];
    given(...capped)
      .when(command.allocate(L1, 5))
      .then(event.queued(L1, 5, 1, dec(15), T0, preorder));
    given(...capped, event.queued(L1, 5, 1, dec(15), T0, preorder))
      .when(command.allocate(L2, 1))
      .then(event.unavailable(L2, 1, 'backorder-cap'));
  });

  it('sells only the stock on hand as preorders when the SKU is not backorderable', () => {
    given(event.configured({ releaseAt: dec(15), backorderable: false }), event.adjusted(2), event.poRegistered('po-1', 5, dec(10)))
      .when(command.allocate(L1, 3))
      .then(event.queued(L1, 2, 1, dec(15), T0, preorder), event.unavailable(L1, 1, 'not-backorderable'));
  });

  it('re-dates the held lines when stock they counted on is written off before the release', () => {
    given(...preorderSku, event.poRegistered('po-1', 5, dec(20)), event.queued(L1, 4, 1, dec(15), T0, preorder))
      .when(command.adjust(-1, 'damaged'))
      .then(event.adjusted(-1, 'damaged'), event.etaChanged(L1, dec(15), dec(20)));
  });
});

describe('replenishment the supplier cannot plan (issue 13)', () => {
  const requested = [event.configured({ reorderPoint: 5 }), event.replenishment(5, 'reorder-point')];

  it('takes the units off the pending request without requesting them again at once', () => {
    const spec = given(...requested).when(command.unplanned(5));
    spec.then(event.unplanned(5));
    expect(skuView(spec.thenState())).toMatchObject({ pendingReplenishment: 0, unplannedReplenishment: 5 });
  });

  it('records only what is still pending, and nothing when nothing is', () => {
    given(...requested).when(command.unplanned(8)).then(event.unplanned(5));
    given(event.configured()).when(command.unplanned(3)).thenNothing();
  });

  it('requests the shortfall again when a lead time is configured, and not on any other change', () => {
    const unplanned = [...requested, event.unplanned(5)];
    given(...unplanned)
      .when(command.configure({ reorderPoint: 5, leadTimeDays: 3 }))
      .then(event.configured({ reorderPoint: 5, leadTimeDays: 3 }), event.replenishment(5, 'reorder-point', 3));
    given(...unplanned)
      .when(command.configure({ reorderPoint: 5, substitutes: ['SKU-B'] }))
      .then(event.configured({ reorderPoint: 5, substitutes: ['SKU-B'] }));
  });

  it('lets a purchase order that answers the request after all replace the unplanned units', () => {
    const state = [...requested, event.unplanned(5), event.poRegistered('po-1', 5, dec(10))].reduce(evolve, initialState());
    expect(skuView(state)).toMatchObject({ pendingReplenishment: 0, unplannedReplenishment: 0 });
    expect(decide(command.adjust(1, 'stock count', T1), state)).toEqual([event.adjusted(1, 'stock count', T1)]);
  });

  it('promises nothing on requested units: only open purchase orders and the lead time date a line', () => {
    given(...requested)
      .when(command.allocate(L1, 2))
      .then(event.unavailable(L1, 2, 'no-restock-expected'));
    given(...requested, event.poRegistered('po-1', 2, dec(10)), event.replenishment(2, 'reorder-point'))
      .when(command.allocate(L1, 5))
      .then(event.queued(L1, 2, 1, dec(10)), event.unavailable(L1, 3, 'no-restock-expected'));
  });
});

describe('events stored by the released code', () => {
  // The shapes the code before the policies wrote: no policy fields, no preorder flag or substitutes on a queued line.
  const stored = [
    {
      type: 'SkuConfigured',
      data: { backorderable: true, leadTimeDays: 5, reorderPoint: 0, safetyStock: 0, substitutes: [], at: T0 },
    },
    { type: 'BackorderQueued', data: { ...L1, quantity: 3, position: 1, expectedAt: dec(2), at: T0 } },
    { type: 'ReplenishmentRequested', data: { quantity: 3, reason: 'backorder', leadTimeDays: 5, at: T0 } },
  ] as unknown as SkuEvent[];

  it('fold with the policies off and the line as a plain backorder', () => {
    const state = stored.reduce(evolve, initialState());
    expect(state.configuration).toMatchObject({ maxBackorder: null, maxWaitDays: null, autoCancelAfterDays: null, releaseAt: null });
    expect(queuedLineOf(state, L1)).toMatchObject({ quantity: 3, preorder: false, sequence: 0 });
    expect(decide(command.sweep(at(24 * 400)), state)).toEqual([]);
    expect(decide(command.allocate(L2, 1, T1), state)).toEqual([
      event.queued(L2, 1, 2, dec(2), T1),
      event.replenishment(1, 'backorder', 5, T1),
    ]);
  });

  it('fold to a state that survives its JSON snapshot unchanged and keeps deciding the same', () => {
    const state = [...stored, event.adjusted(2), event.allocated(L1, 2, 1)].reduce(evolve, initialState());
    const restored = JSON.parse(JSON.stringify(state)) as typeof state;
    expect(restored).toEqual(state);
    const next = command.receive(null, 4);
    expect(decide(next, restored)).toEqual(decide(next, state));
  });
});
