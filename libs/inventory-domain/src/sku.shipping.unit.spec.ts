// SPEC 9 on the inventory side: shipping held units, cancelling a line or part of it, and what a substitution does.
import { describe, expect, it } from '@jest/globals';
import { decide } from './sku.decide.js';
import { evolve, initialState, queuedLineOf, reservationOf, type SkuEvent } from './sku.js';
import { available, reserved, skuView } from './sku.views.js';
import { given } from './test-support/given-when-then.js';
import { command, dec, event, L1, L2, L3, waitingOn } from './test-support/sku-fixtures.js';

describe('shipping', () => {
  it('takes the shipped units off on hand and reserved, and forgets a line with nothing left', () => {
    const spec = given(event.configured(), event.adjusted(10), event.reserved(L1, 4)).when(command.ship(L1, 4));
    spec.then(event.shipped(L1, 4));
    const after = spec.thenState();
    expect({ onHand: after.onHand, reserved: reserved(after), available: available(after) }).toEqual({
      onHand: 6,
      reserved: 0,
      available: 6,
    });
    expect(reservationOf(after, L1)).toBeUndefined();
    expect(after.reservations.size).toBe(0);
  });

  it('keeps the rest of a line shipped in part', () => {
    const after = given(event.configured(), event.adjusted(10), event.reserved(L1, 4)).when(command.ship(L1, 1)).thenState();
    expect(reservationOf(after, L1)).toEqual({ ...L1, quantity: 3 });
    expect({ onHand: after.onHand, available: available(after) }).toEqual({ onHand: 9, available: 6 });
  });

  it('ships allocated units of a line that still waits for the rest, which stays in the queue', () => {
    const spec = given(
      ...waitingOn([['po-1', 10, dec(10)]], [[L1, 5, dec(10)]]),
      event.received('po-1', 2, 8),
      event.allocated(L1, 2, 3),
    ).when(command.ship(L1, 2));
    spec.then(event.shipped(L1, 2));
    const after = spec.thenState();
    expect(reservationOf(after, L1)).toBeUndefined();
    expect(queuedLineOf(after, L1)).toMatchObject({ quantity: 3, expectedAt: dec(10) });
    expect(after.onHand).toBe(0);
  });

  it('refuses to ship more than the SKU holds for the line, naming what it holds', () => {
    given(event.configured(), event.adjusted(10), event.reserved(L1, 2))
      .when(command.ship(L1, 3))
      .thenThrows('not-held', /cannot ship 3 units of line line-1 of order order-1: 2 are held for it/);
  });

  it('refuses to ship a line it does not hold: unknown, or only waiting', () => {
    const history = [event.configured(), event.poRegistered('po-1', 10, dec(10)), event.queued(L1, 5, 1, dec(10))];
    given(...history).when(command.ship(L2, 1)).thenThrows('not-held', /0 are held/);
    given(...history).when(command.ship(L1, 1)).thenThrows('not-held', /0 are held/);
  });

  it('says a refused shipment is a refusal (a dead letter), not bad input', () => {
    let thrown: unknown;
    try {
      decide(command.ship(L1, 1), initialState());
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ code: 'not-held', kind: 'refusal' });
  });

  it('moves no date and requests nothing: free stock and the stock position stay as they were', () => {
    given(
      event.configured({ reorderPoint: 3, leadTimeDays: 5 }),
      event.adjusted(4),
      event.reserved(L1, 4),
      event.replenishment(3, 'reorder-point', 5),
    )
      .when(command.ship(L1, 4))
      .then(event.shipped(L1, 4));
  });
});

describe('cancelling part of a line', () => {
  const partlyAllocated = [
    ...waitingOn([['po-1', 10, dec(10)]], [[L1, 5, dec(10)], [L2, 3, dec(10)]]),
    event.received('po-1', 2, 8),
    event.allocated(L1, 2, 3),
  ];

  it('takes waiting units first and keeps the line waiting for the rest', () => {
    const spec = given(...partlyAllocated).when(command.cancel(L1, 'line-cancelled', undefined, 2));
    spec.then(event.backorderReleased(L1, 2, 'line-cancelled'));
    const after = spec.thenState();
    expect(queuedLineOf(after, L1)).toMatchObject({ quantity: 1, expectedAt: dec(10) });
    expect(reservationOf(after, L1)).toEqual({ ...L1, quantity: 2 });
  });

  // [what, units asked for, held units released (they go to L2), units L2 still waits for]
  it.each([
    ['then takes held units, whose stock goes to the queue head', 4, 1, 2],
    ['releases what it has when asked for more, e.g. units the order counted as unavailable', 9, 2, 1],
  ])('%s', (_, asked, held, stillWaiting) => {
    given(...partlyAllocated)
      .when(command.cancel(L1, 'line-cancelled', undefined, asked))
      .then(
        event.backorderReleased(L1, 3, 'line-cancelled'),
        event.reservationReleased(L1, held, 'line-cancelled'),
        event.allocated(L2, held, stillWaiting),
      );
  });

  it('moves the dates of later lines up when waiting units leave', () => {
    given(
      ...waitingOn([['po-1', 5, dec(10)], ['po-2', 5, dec(20)]], [[L1, 5, dec(10)], [L2, 3, dec(20)], [L3, 2, dec(20)]]),
    )
      .when(command.cancel(L1, 'line-cancelled', undefined, 3))
      .then(event.backorderReleased(L1, 3, 'line-cancelled'), event.etaChanged(L2, dec(20), dec(10)));
  });

  it('changes nothing for a line that has shipped everything', () => {
    given(event.configured(), event.adjusted(3), event.reserved(L1, 3), event.shipped(L1, 3))
      .when(command.cancel(L1, 'line-cancelled', undefined, 1))
      .thenNothing();
  });
});

describe('accepting a substitute (the service cancels the waiting units, then allocates a new line elsewhere)', () => {
  const waitingForRestock = [
    event.configured({ substitutes: ['SKU-B'] }),
    event.poRegistered('po-1', 10, dec(10)),
    event.queued(L1, 3, 1, dec(10), undefined, { substitutes: ['SKU-B'] }),
    event.queued(L2, 2, 2, dec(10), undefined, { substitutes: ['SKU-B'] }),
  ];

  it('releases the waiting units of the old line with reason substituted', () => {
    given(...waitingForRestock)
      .when(command.cancel(L1, 'substituted', undefined, 3))
      .then(event.backorderReleased(L1, 3, 'substituted'));
  });

  it('gives back the units allocated meanwhile when the line was served before the cancel arrived', () => {
    // The order decided the substitution while 3 units waited; a receipt allocated 2 of them first. Releasing the
    // substituted quantity, waiting units first, hands those 2 back to the queue head: nothing is lost or doubled.
    const raced = [...waitingForRestock, event.received('po-1', 2, 8), event.allocated(L1, 2, 1)];
    const spec = given(...raced).when(command.cancel(L1, 'substituted', undefined, 3));
    spec.then(
      event.backorderReleased(L1, 1, 'substituted'),
      event.reservationReleased(L1, 2, 'substituted'),
      event.allocated(L2, 2, 0),
    );
    const after = spec.thenState();
    expect(skuView(after)).toMatchObject({ onHand: 2, reserved: 2, available: 0, backordered: 0 });
    expect(reservationOf(after, L1)).toBeUndefined();
  });

  it('answers the new line on the substitute SKU like any new line: reserved, queued at the end, or unavailable', () => {
    const newLine = { ...L1, lineId: 'line-1b' };
    const substitute = (history: SkuEvent[]) => given(...history).when(command.allocate(newLine, 3));
    substitute([event.configured(), event.adjusted(5)]).then(event.reserved(newLine, 3));
    substitute([event.configured(), event.poRegistered('po-9', 9, dec(12)), event.queued(L3, 4, 1, dec(12))]).then(
      event.queued(newLine, 3, 2, dec(12)),
    );
    substitute([event.configured({ backorderable: false })]).then(event.unavailable(newLine, 3, 'not-backorderable'));
  });

  it('folds the whole substitution back to the state the events describe', () => {
    const history = [...waitingForRestock, event.backorderReleased(L1, 3, 'substituted')];
    const state = history.reduce(evolve, initialState());
    expect(queuedLineOf(state, L1)).toBeUndefined();
    expect(queuedLineOf(state, L2)).toMatchObject({ quantity: 2 });
    expect(state.backorderedUnits).toBe(2);
  });
});
