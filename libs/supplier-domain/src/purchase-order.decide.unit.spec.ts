import { describe, expect, it } from '@jest/globals';
import {
  purchaseOrderDecider,
  purchaseOrderView,
  remainingOnOrder,
  SupplierDomainError,
  type PlacedPurchaseOrder,
  type PurchaseOrderCommand,
  type PurchaseOrderEvent,
} from './index.js';
import { deciderSpec } from '@fulfillment/testing';

const spec = deciderSpec(purchaseOrderDecider);
const purchaseOrderId = 'po-1';
const sku = 'SKU-A';
const now = '2026-11-27T10:00:00.000Z';
const dec1 = '2026-12-01T00:00:00.000Z';
const dec5 = '2026-12-05T00:00:00.000Z';

const placed: PurchaseOrderEvent = {
  type: 'PurchaseOrderPlaced',
  data: { purchaseOrderId, sku, quantity: 10, expectedAt: dec1, reason: 'manual', placedAt: now },
};
const received = (quantity: number, remaining: number): PurchaseOrderEvent => ({
  type: 'PurchaseOrderReceived',
  data: { purchaseOrderId, sku, quantity, receivedAt: now, remainingOnOrder: remaining },
});

const place = (overrides: Partial<Extract<PurchaseOrderCommand, { type: 'PlacePurchaseOrder' }>['data']> = {}) =>
  ({
    type: 'PlacePurchaseOrder',
    data: { purchaseOrderId, sku, quantity: 10, expectedAt: dec1, reason: 'manual', now, ...overrides },
  }) as const satisfies PurchaseOrderCommand;
const changeEta = (expectedAt: string, at = now): PurchaseOrderCommand => ({
  type: 'ChangePurchaseOrderEta',
  data: { expectedAt, now: at },
});
const receive = (quantity: number, close?: boolean): PurchaseOrderCommand => ({
  type: 'ReceivePurchaseOrder',
  data: close === undefined ? { quantity, now } : { quantity, close, now },
});

const stateAfter = (history: readonly PurchaseOrderEvent[]) =>
  history.reduce(purchaseOrderDecider.evolve, purchaseOrderDecider.initialState());

describe('PlacePurchaseOrder', () => {
  it('places an open purchase order with nothing received', () => {
    spec.given([]).when(place()).then([placed]);
    expect(purchaseOrderView(stateAfter([placed]))).toStrictEqual({
      purchaseOrderId,
      sku,
      quantity: 10,
      received: 0,
      expectedAt: dec1,
      status: 'open',
    });
  });

  it('records its dates in one notation', () => {
    spec
      .given([])
      .when(place({ expectedAt: '2026-12-01', now: '2026-11-27T11:00:00+01:00', reason: 'replenishment' }))
      .then([{ ...placed, data: { ...placed.data, reason: 'replenishment' } } as PurchaseOrderEvent]);
  });

  it('refuses to place a purchase order twice in the same stream', () => {
    spec.given([placed]).when(place()).thenThrows('purchase-order-already-placed', /po-1/);
  });

  it.each([
    ['an empty id', place({ purchaseOrderId: '' }), /purchaseOrderId/],
    ['an empty sku', place({ sku: ' ' }), /sku/],
    ['a zero quantity', place({ quantity: 0 }), /quantity/],
    ['a fractional quantity', place({ quantity: 2.5 }), /quantity/],
    ['a date without a zone', place({ expectedAt: '2026-12-01T10:00:00' }), /expectedAt/],
    ['a date that is no date', place({ expectedAt: 'soon' }), /expectedAt/],
    ['an unknown reason', place({ reason: 'whim' as 'manual' }), /reason/],
    ['an invalid clock', place({ now: '' }), /now/],
  ])('rejects %s as invalid, naming the field', (_, command, field) => {
    spec.given([]).when(command).thenThrows('invalid-command', field);
  });

  it('throws typed errors whose kind the shell maps to an HTTP status', () => {
    const invalid = spec.given([]).when(place({ quantity: -1 })).thenThrows('invalid-command');
    expect(invalid).toBeInstanceOf(SupplierDomainError);
    expect(invalid).toMatchObject({ kind: 'invalid' });
    const unknown = spec.given([]).when(changeEta(dec5)).thenThrows('unknown-purchase-order');
    expect(unknown).toMatchObject({ kind: 'not-found' });
    expect(spec.given([placed]).when(receive(11)).thenThrows('over-receipt')).toMatchObject({ kind: 'refusal' });
  });
});

describe('ChangePurchaseOrderEta', () => {
  it('moves the expected date and says where from', () => {
    spec
      .given([placed])
      .when(changeEta(dec5, '2026-11-28T09:00:00.000Z'))
      .then([
        {
          type: 'PurchaseOrderEtaChanged',
          data: {
            purchaseOrderId,
            sku,
            previousExpectedAt: dec1,
            expectedAt: dec5,
            changedAt: '2026-11-28T09:00:00.000Z',
          },
        },
      ]);
    expect(spec.given([placed]).when(changeEta(dec5)).thenState()).toMatchObject({ expectedAt: dec5 });
  });

  it('emits nothing for the date it already has, in whatever notation', () => {
    spec.given([placed]).when(changeEta('2026-12-01T01:00:00+01:00')).thenNothing();
  });

  it('is not-found for a stream without a purchase order', () => {
    spec.given([]).when(changeEta(dec5)).thenThrows('unknown-purchase-order');
  });

  it('refuses a purchase order fully received or closed', () => {
    spec.given([placed, received(10, 0)]).when(changeEta(dec5)).thenThrows('purchase-order-closed', /received/);
    spec.given([placed, received(4, 0)]).when(changeEta(dec5)).thenThrows('purchase-order-closed', /closed/);
  });

  it('rejects an invalid date', () => {
    spec.given([placed]).when(changeEta('next Tuesday')).thenThrows('invalid-command', /expectedAt/);
  });
});

describe('ReceivePurchaseOrder', () => {
  it('records a partial receipt and what remains on order', () => {
    spec.given([placed]).when(receive(4)).then([received(4, 6)]);
    const state = spec.given([placed]).when(receive(4)).thenState() as PlacedPurchaseOrder;
    expect(purchaseOrderView(state)).toMatchObject({ received: 4, status: 'open' });
    expect(remainingOnOrder(state)).toBe(6);
  });

  it('marks the purchase order received when the last unit arrives', () => {
    spec.given([placed, received(4, 6)]).when(receive(6)).then([received(6, 0)]);
    const state = spec.given([placed, received(4, 6)]).when(receive(6)).thenState() as PlacedPurchaseOrder;
    expect(purchaseOrderView(state)).toMatchObject({ received: 10, status: 'received' });
    expect(remainingOnOrder(state)).toBe(0);
  });

  it('closes short when the supplier sends no more', () => {
    spec.given([placed]).when(receive(4, true)).then([received(4, 0)]);
    const state = spec.given([placed]).when(receive(4, true)).thenState() as PlacedPurchaseOrder;
    expect(purchaseOrderView(state)).toMatchObject({ received: 4, status: 'closed' });
    expect(remainingOnOrder(state)).toBe(0);
  });

  it('a closing receipt of the whole rest is simply received', () => {
    const state = spec.given([placed, received(4, 6)]).when(receive(6, true)).thenState();
    expect(purchaseOrderView(state)).toMatchObject({ received: 10, status: 'received' });
  });

  it('close: false is an ordinary receipt', () => {
    spec.given([placed]).when(receive(4, false)).then([received(4, 6)]);
  });

  it('refuses an over-receipt, naming ordered, received and attempted quantities', () => {
    spec
      .given([placed, received(4, 6)])
      .when(receive(7))
      .thenThrows('over-receipt', /po-1: ordered 10, received 4, attempted 7/);
  });

  it('refuses a receipt after the purchase order was fully received or closed', () => {
    spec.given([placed, received(10, 0)]).when(receive(1)).thenThrows('purchase-order-closed', /po-1 is received/);
    spec.given([placed, received(3, 0)]).when(receive(1)).thenThrows('purchase-order-closed', /po-1 is closed/);
  });

  it('is not-found for a stream without a purchase order, unless the receipt is malformed anyway', () => {
    spec.given([]).when(receive(1)).thenThrows('unknown-purchase-order');
    spec.given([]).when(receive(0)).thenThrows('invalid-command');
  });

  it.each([
    ['a zero quantity', receive(0), /quantity/],
    ['a negative quantity', receive(-2), /quantity/],
    ['a fractional quantity', receive(1.5), /quantity/],
    ['a close flag that is not a boolean', receive(1, 'yes' as unknown as boolean), /close/],
    ['an invalid clock', { type: 'ReceivePurchaseOrder', data: { quantity: 1, now: 'now' } } as const, /now/],
  ])('rejects %s as invalid', (_, command, field) => {
    spec.given([placed]).when(command).thenThrows('invalid-command', field);
  });
});

describe('purchaseOrderView', () => {
  it('has no view for a stream without a purchase order', () => {
    expect(purchaseOrderView(purchaseOrderDecider.initialState())).toBeNull();
  });

  it('follows every event, so a replay gives the same view', () => {
    const history = [
      placed,
      {
        type: 'PurchaseOrderEtaChanged',
        data: { purchaseOrderId, sku, previousExpectedAt: dec1, expectedAt: dec5, changedAt: now },
      },
      received(3, 7),
    ] satisfies PurchaseOrderEvent[];
    expect(purchaseOrderView(stateAfter(history))).toStrictEqual({
      purchaseOrderId,
      sku,
      quantity: 10,
      received: 3,
      expectedAt: dec5,
      status: 'open',
    });
  });
});
