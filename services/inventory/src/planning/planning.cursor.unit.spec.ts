import { describe, expect, it } from '@jest/globals';
import { httpErrorOf } from '@fulfillment/platform';
import { decodeCursor, encodeCursor, type SkuCursor } from './planning.cursor.js';

const cursor: SkuCursor = { sort: 'demand', backordered: true, asOf: '2026-12-01T10:00:00.000Z', sku: 'SKU-7', demand30d: 12, demand7d: 3 };
const problem = (text: string, listing = { sort: 'demand' as const, backordered: true }) => {
  try {
    decodeCursor(text, listing);
    return undefined;
  } catch (error) {
    return httpErrorOf(error);
  }
};

describe('the GET /skus cursor', () => {
  it('comes back as it was given, for the same listing', () => {
    const text = encodeCursor(cursor);
    expect(text).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(text, { sort: 'demand', backordered: true })).toEqual(cursor);
  });

  it.each([
    ['garbage', 'not-a-cursor!'],
    ['base64 of no JSON', Buffer.from('hello').toString('base64url')],
    ['a JSON document of another shape', Buffer.from(JSON.stringify({ v: 1, sku: 'x' })).toString('base64url')],
    ['another version', Buffer.from(JSON.stringify({ ...cursor, v: 2 })).toString('base64url')],
    ['a negative demand', encodeCursor({ ...cursor, demand30d: -1 })],
  ])('is refused with 400 naming cursor: %s', (_case, text) => {
    expect(problem(text)).toMatchObject({ statusCode: 400, field: 'cursor', message: 'cursor: is not a cursor this listing issued' });
  });

  it('is refused for a listing with another sort or filter', () => {
    expect(problem(encodeCursor(cursor), { sort: 'sku' as never, backordered: true })).toMatchObject({ statusCode: 400, field: 'cursor' });
    expect(problem(encodeCursor(cursor), { sort: 'demand', backordered: null as never })).toMatchObject({
      statusCode: 400,
      field: 'cursor',
      message: expect.stringMatching(/another sort or filter/),
    });
  });
});
