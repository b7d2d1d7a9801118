import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { planReplenishment, purchaseOrderDecider, type ReplenishmentRequest } from './index.js';

const DAY_MS = 86_400_000;
const request = (overrides: Partial<ReplenishmentRequest> = {}): ReplenishmentRequest => ({
  sku: 'SKU-A',
  quantity: 12,
  leadTimeDays: 5,
  requestedAt: '2026-11-27T10:00:00.000Z',
  newId: 'po-7',
  ...overrides,
});

/** What the default request orders, as the command and then the event carry it. */
const ORDERED = {
  purchaseOrderId: 'po-7',
  sku: 'SKU-A',
  quantity: 12,
  expectedAt: '2026-12-02T00:00:00.000Z',
  reason: 'replenishment',
};

const expectedAtOf = (overrides: Partial<ReplenishmentRequest>) =>
  planReplenishment(request(overrides))?.data.expectedAt;

describe('planReplenishment', () => {
  it('orders the requested quantity for the start of the UTC day lead time days later', () => {
    expect(planReplenishment(request())).toEqual({
      type: 'PlacePurchaseOrder',
      data: { ...ORDERED, now: '2026-11-27T10:00:00.000Z' },
    });
  });

  it('plans nothing for a SKU without a lead time', () => {
    expect(planReplenishment(request({ leadTimeDays: null }))).toBeNull();
  });

  it.each([
    ['a zero lead time: the start of the same UTC day', { leadTimeDays: 0 }, '2026-11-27'],
    ['the last millisecond of a day', { requestedAt: '2026-11-27T23:59:59.999Z', leadTimeDays: 1 }, '2026-11-28'],
    // 23:30 at UTC-2 is already the next day in UTC.
    ['a request made in another zone', { requestedAt: '2026-11-27T23:30:00-02:00', leadTimeDays: 2 }, '2026-11-30'],
    ['a year boundary', { requestedAt: '2026-12-30T12:00:00Z', leadTimeDays: 3 }, '2027-01-02'],
    ['a leap day', { requestedAt: '2028-02-28T08:00:00Z', leadTimeDays: 1 }, '2028-02-29'],
  ])('truncates to UTC days across %s', (_, overrides, day) => {
    expect(expectedAtOf(overrides)).toBe(`${day}T00:00:00.000Z`);
  });

  it.each([
    ['a negative lead time', { leadTimeDays: -1 }, /leadTimeDays/],
    ['a fractional lead time', { leadTimeDays: 1.5 }, /leadTimeDays/],
    ['a request time that is no date', { requestedAt: 'yesterday' }, /requestedAt/],
  ])('rejects %s as invalid', (_, overrides, field) => {
    expect(() => planReplenishment(request(overrides))).toThrow(field);
    expect(() => planReplenishment(request(overrides))).toThrow(expect.objectContaining({ code: 'invalid-command' }));
  });

  it('produces a command the purchase-order decider accepts on an empty stream', () => {
    const command = planReplenishment(request());
    if (command === null) throw new Error('expected a purchase order');
    expect(purchaseOrderDecider.decide(command, purchaseOrderDecider.initialState())).toEqual([
      {
        type: 'PurchaseOrderPlaced',
        data: { ...ORDERED, placedAt: '2026-11-27T10:00:00.000Z' },
      },
    ]);
  });

  it('always lands on a UTC midnight within the last day of the lead time', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 400 }),
        (requestedAt, leadTimeDays) => {
          const expectedAt = Date.parse(expectedAtOf({ requestedAt: requestedAt.toISOString(), leadTimeDays }) ?? '');
          const due = requestedAt.getTime() + leadTimeDays * DAY_MS;
          expect(expectedAt % DAY_MS).toBe(0);
          expect(expectedAt).toBeLessThanOrEqual(due);
          expect(due - expectedAt).toBeLessThan(DAY_MS);
        },
      ),
    );
  });
});
