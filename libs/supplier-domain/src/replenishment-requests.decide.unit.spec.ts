import { describe, expect, it } from '@jest/globals';
import {
  openRequests,
  planReplenishment,
  RECENT_REQUESTS_KEPT,
  replenishmentDecider,
  replenishmentStreamName,
  type ReplenishmentCommand,
  type ReplenishmentEvent,
  type ReplenishmentState,
} from './index.js';
import { deciderSpec } from '@fulfillment/testing';

const spec = deciderSpec(replenishmentDecider);
const sku = 'SKU-A';
const now = '2026-11-27T10:00:00.000Z';
const later = '2026-11-28T09:00:00.000Z';

const request = (requestId: string, quantity: number, plannedPurchaseOrderId: string | null, at = now): ReplenishmentCommand => ({
  type: 'RecordReplenishmentRequest',
  data: { requestId, sku, quantity, reason: 'backorder', plannedPurchaseOrderId, now: at },
});
const byHand = (purchaseOrderId: string, quantity: number): ReplenishmentCommand => ({
  type: 'AnswerReplenishmentRequests',
  data: { sku, purchaseOrderId, quantity, now: later },
});
const recorded = (requestId: string, quantity: number, at = now): ReplenishmentEvent => ({
  type: 'ReplenishmentRequestRecorded',
  data: { requestId, sku, quantity, reason: 'backorder', requestedAt: at },
});
const unplanned = (requestId: string, quantity: number, at = now): ReplenishmentEvent => ({
  type: 'ReplenishmentUnplanned',
  data: { requestId, sku, quantity, reason: 'no-lead-time', at },
});
const answered = (requestId: string, purchaseOrderId: string, answer: 'planned' | 'superseded' | 'manual', at = now): ReplenishmentEvent => ({
  type: 'ReplenishmentRequestAnswered',
  data: { requestId, sku, purchaseOrderId, answer, answeredAt: at },
});
const stateOf = (history: readonly ReplenishmentEvent[]): ReplenishmentState =>
  history.reduce(replenishmentDecider.evolve, replenishmentDecider.initialState());

describe('RecordReplenishmentRequest', () => {
  it('records a request planned with a purchase order as answered by it', () => {
    spec.given([]).when(request('r-1', 24, 'po-1')).then([recorded('r-1', 24), answered('r-1', 'po-1', 'planned')]);
    expect(openRequests(stateOf([recorded('r-1', 24), answered('r-1', 'po-1', 'planned')]))).toEqual([]);
  });

  it('keeps a request no supplier terms could plan open, and reports it unplanned (reason no-lead-time)', () => {
    spec.given([]).when(request('r-1', 24, null)).then([recorded('r-1', 24), unplanned('r-1', 24)]);
    expect(openRequests(stateOf([recorded('r-1', 24), unplanned('r-1', 24)]))).toEqual([
      { requestId: 'r-1', quantity: 24, reason: 'backorder', requestedAt: now },
    ]);
  });

  it('takes the verdict from planReplenishment, the only place that knows about lead times', () => {
    const plan = (leadTimeDays: number | null) =>
      planReplenishment({ sku, quantity: 5, leadTimeDays, requestedAt: now, newId: 'po-9' })?.data.purchaseOrderId ?? null;
    expect(replenishmentDecider.decide(request('r-1', 5, plan(null)), stateOf([]))[1]?.type).toBe('ReplenishmentUnplanned');
    expect(replenishmentDecider.decide(request('r-1', 5, plan(3)), stateOf([]))[1]).toEqual(answered('r-1', 'po-9', 'planned'));
  });

  it('answers older open requests with the purchase order of a later planned one: inventory asked for their units again', () => {
    const history = [recorded('r-1', 10), unplanned('r-1', 10), recorded('r-2', 4), unplanned('r-2', 4)];
    spec
      .given(history)
      .when(request('r-3', 14, 'po-3', later))
      .then([
        recorded('r-3', 14, later),
        answered('r-3', 'po-3', 'planned', later),
        answered('r-1', 'po-3', 'superseded', later),
        answered('r-2', 'po-3', 'superseded', later),
      ]);
  });

  it('changes nothing for a request already recorded', () => {
    spec.given([recorded('r-1', 24), unplanned('r-1', 24)]).when(request('r-1', 24, null)).thenNothing();
    spec.given([recorded('r-1', 24), answered('r-1', 'po-1', 'planned')]).when(request('r-1', 24, 'po-1')).thenNothing();
  });

  it(`remembers the ${RECENT_REQUESTS_KEPT} latest request ids, however long the SKU is replenished`, () => {
    const history = Array.from({ length: 3 * RECENT_REQUESTS_KEPT }, (_, n) => [recorded(`r-${n}`, 1), answered(`r-${n}`, `po-${n}`, 'planned')]).flat();
    const state = stateOf(history);
    expect(state.recentRequestIds).toHaveLength(RECENT_REQUESTS_KEPT);
    expect(state.open).toEqual([]);
    spec.given(history).when(request(`r-${3 * RECENT_REQUESTS_KEPT - 1}`, 1, 'po-x')).thenNothing();
  });

  it.each([
    ['an empty request id', { requestId: '' }, /requestId/],
    ['a zero quantity', { quantity: 0 }, /quantity/],
    ['an empty reason', { reason: ' ' }, /reason/],
    ['an empty purchase order id', { plannedPurchaseOrderId: '' }, /plannedPurchaseOrderId/],
    ['an invalid date', { now: 'tomorrow' }, /now/],
  ])('rejects a request with %s as invalid', (_, change, message) => {
    const base = request('r-1', 2, null) as Extract<ReplenishmentCommand, { type: 'RecordReplenishmentRequest' }>;
    spec.given([]).when({ ...base, data: { ...base.data, ...change } }).thenThrows('invalid-command', message);
  });

  it("refuses a request for another SKU than the stream's", () => {
    spec
      .given([recorded('r-1', 2)])
      .when({ type: 'RecordReplenishmentRequest', data: { requestId: 'r-2', sku: 'SKU-B', quantity: 1, reason: 'x', plannedPurchaseOrderId: null, now } })
      .thenThrows('invalid-command', /holds the requests of SKU-A, not SKU-B/);
  });
});

describe('AnswerReplenishmentRequests (a purchase order placed by hand)', () => {
  const open = [recorded('r-1', 10), unplanned('r-1', 10), recorded('r-2', 4), unplanned('r-2', 4), recorded('r-3', 6), unplanned('r-3', 6)];

  it('answers the open requests it covers in full, oldest first', () => {
    spec.given(open).when(byHand('po-m', 15)).then([answered('r-1', 'po-m', 'manual', later), answered('r-2', 'po-m', 'manual', later)]);
    const state = stateOf([...open, answered('r-1', 'po-m', 'manual', later), answered('r-2', 'po-m', 'manual', later)]);
    expect(openRequests(state).map((r) => r.requestId)).toEqual(['r-3']);
  });

  it('answers none past one it covers only in part: no request overtakes an older one', () => {
    spec.given(open).when(byHand('po-m', 9)).thenNothing();
    spec.given(open).when(byHand('po-m', 13)).then([answered('r-1', 'po-m', 'manual', later)]);
  });

  it('answers nothing when nothing is open', () => {
    spec.given([]).when(byHand('po-m', 50)).thenNothing();
  });

  it('rejects a malformed command', () => {
    spec.given(open).when(byHand('', 5)).thenThrows('invalid-command', /purchaseOrderId/);
    spec.given(open).when(byHand('po-m', -1)).thenThrows('invalid-command', /quantity/);
  });
});

describe('streams', () => {
  it('are one per SKU', () => {
    expect(replenishmentStreamName('SKU-A')).toBe('replenishment-SKU-A');
  });
});
