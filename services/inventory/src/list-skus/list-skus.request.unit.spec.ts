import { describe, expect, it } from '@jest/globals';
import { httpErrorOf, ZodValidationPipe } from '@fulfillment/platform';
import { reportBackordersQuery } from '../report-backorders/report-backorders.request.js';
import { listSkusQuery } from './list-skus.request.js';

const problemWith = (pipe: ZodValidationPipe<never>, query: unknown) => {
  try {
    pipe.transform(query);
    return undefined;
  } catch (error) {
    return httpErrorOf(error) as { field: string; message: string };
  }
};
const listing = new ZodValidationPipe(listSkusQuery) as ZodValidationPipe<never>;
const report = new ZodValidationPipe(reportBackordersQuery) as ZodValidationPipe<never>;

describe('GET /skus query', () => {
  it('defaults to every SKU by SKU, 100 a page', () => {
    expect(listing.transform({})).toEqual({ sort: 'sku', limit: 100 });
    expect(listing.transform({ backordered: 'true', sort: 'demand', limit: '7', cursor: 'abc' })).toEqual({
      backordered: true,
      sort: 'demand',
      limit: 7,
      cursor: 'abc',
    });
    expect(listing.transform({ backordered: 'false' })).toMatchObject({ backordered: false });
  });

  it.each([
    [{ backordered: 'yes' }, 'backordered'],
    [{ sort: 'oldest' }, 'sort'],
    [{ sort: ['sku', 'demand'] }, 'sort'],
    [{ limit: '0' }, 'limit'],
    [{ limit: '501' }, 'limit'],
    [{ limit: 'ten' }, 'limit'],
    [{ cursor: '' }, 'cursor'],
    [{ cursor: 'x'.repeat(2001) }, 'cursor'],
    [{ sortBy: 'demand' }, 'sortBy'],
  ])('refuses %j naming %s', (query, field) => {
    expect(problemWith(listing, query)).toMatchObject({ field });
  });
});

describe('GET /reports/backorders query', () => {
  it('is JSON unless CSV is asked for', () => {
    expect(report.transform({})).toEqual({ format: 'json' });
    expect(report.transform({ format: 'csv' })).toEqual({ format: 'csv' });
  });

  it.each([
    [{ format: 'xml' }, 'format'],
    [{ fmt: 'csv' }, 'fmt'],
  ])('refuses %j naming %s', (query, field) => {
    expect(problemWith(report, query)).toMatchObject({ field });
  });
});
