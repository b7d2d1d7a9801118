import { describe, expect, it } from '@jest/globals';
import { placePurchaseOrderRequest } from '../place-purchase-order/place-purchase-order.request.js';
import { receiveRestockRequest } from '../receive-restock/receive-restock.request.js';
import { EXPECTED_AT_WINDOW } from './request-fields.js';

const NOW = new Date('2026-11-27T10:00:00.000Z');
const DAY = 86_400_000;
const schema = placePurchaseOrderRequest(() => NOW);
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

function firstIssue(body: unknown): { path: string; message: string } | undefined {
  const parsed = schema.safeParse(body);
  if (parsed.success) return undefined;
  const [issue] = parsed.error.issues;
  return { path: issue!.path.join('.'), message: issue!.message };
}

describe('placePurchaseOrderRequest', () => {
  it('accepts a zoned date-time or a date, normalised to UTC', () => {
    expect(schema.parse({ sku: 'SKU-1', quantity: 3, expectedAt: '2026-12-04T09:30:00+01:00' })).toEqual({
      sku: 'SKU-1',
      quantity: 3,
      expectedAt: '2026-12-04T08:30:00.000Z',
    });
    expect(schema.parse({ sku: 'SKU-1', quantity: 3, expectedAt: '2026-12-04' }).expectedAt).toBe('2026-12-04T00:00:00.000Z');
    expect(schema.parse({ sku: 'SKU-1', quantity: 3, expectedAt: '2028-02-29T23:59:59.999-05:00' }).expectedAt).toBe(
      '2028-03-01T04:59:59.999Z',
    );
  });

  it('takes expectedAt up to the edges of its window around now, and refuses it beyond them', () => {
    const body = (expectedAt: string) => ({ sku: 'SKU-1', quantity: 1, expectedAt });
    expect(firstIssue(body(at(-EXPECTED_AT_WINDOW.pastDays)))).toBeUndefined();
    expect(firstIssue(body(at(EXPECTED_AT_WINDOW.futureDays)))).toBeUndefined();
    expect(firstIssue(body(at(-EXPECTED_AT_WINDOW.pastDays - 0.01)))).toEqual({
      path: 'expectedAt',
      message: 'must not be more than 31 days in the past',
    });
    expect(firstIssue(body(at(EXPECTED_AT_WINDOW.futureDays + 0.01)))).toEqual({
      path: 'expectedAt',
      message: 'must be within 730 days from now',
    });
  });

  it.each<[string, unknown, string, string]>([
    ['a missing sku', { quantity: 1, expectedAt: '2026-12-04' }, 'sku', 'is required'],
    ['a number as sku', { sku: 7, quantity: 1, expectedAt: '2026-12-04' }, 'sku', 'must be a non-empty string'],
    ['a missing quantity', { sku: 'S', expectedAt: '2026-12-04' }, 'quantity', 'is required'],
    ['a negative quantity', { sku: 'S', quantity: -2, expectedAt: '2026-12-04' }, 'quantity', 'must be a positive integer'],
    ['an unsafe quantity', { sku: 'S', quantity: 2 ** 53, expectedAt: '2026-12-04' }, 'quantity', 'must be a positive integer'],
    ['30 February', { sku: 'S', quantity: 1, expectedAt: '2027-02-30' }, 'expectedAt', 'must be an ISO-8601 date or a date-time with a time zone'],
    ['31 April', { sku: 'S', quantity: 1, expectedAt: '2027-04-31T08:00:00Z' }, 'expectedAt', 'must be an ISO-8601 date or a date-time with a time zone'],
    ['hour 24', { sku: 'S', quantity: 1, expectedAt: '2026-12-04T24:00:00Z' }, 'expectedAt', 'must be an ISO-8601 date or a date-time with a time zone'],
    ['minute 60', { sku: 'S', quantity: 1, expectedAt: '2026-12-04T10:60:00Z' }, 'expectedAt', 'must be an ISO-8601 date or a date-time with a time zone'],
    ['a number as date', { sku: 'S', quantity: 1, expectedAt: 1764892800000 }, 'expectedAt', 'must be an ISO-8601 date or a date-time with a time zone'],
    ['an unknown field', { sku: 'S', quantity: 1, expectedAt: '2026-12-04', status: 'open' }, 'status', 'is not a field of this request'],
  ])('refuses %s, naming the field', (_, body, path, message) => {
    expect(firstIssue(body)).toEqual({ path, message });
  });

  it('refuses a body that is not an object', () => {
    expect(firstIssue(null)).toEqual({ path: '', message: 'must be a JSON object' });
  });
});

describe('receiveRestockRequest', () => {
  it('keeps close only when given', () => {
    expect(receiveRestockRequest.parse({ quantity: 2 })).toEqual({ quantity: 2 });
    expect(receiveRestockRequest.parse({ quantity: 2, close: true })).toEqual({ quantity: 2, close: true });
    expect(receiveRestockRequest.safeParse({ quantity: 2, close: 'yes' }).error?.issues[0]).toMatchObject({
      path: ['close'],
      message: 'must be true or false',
    });
  });
});
