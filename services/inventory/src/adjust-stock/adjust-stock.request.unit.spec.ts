import { describe, expect, it } from '@jest/globals';
import { ZodValidationPipe } from '@fulfillment/platform';
import { adjustStockRequest } from './adjust-stock.request.js';

const pipe = new ZodValidationPipe(adjustStockRequest);

const fieldOf = (body: unknown): string | undefined => {
  try {
    pipe.transform(body);
    return undefined;
  } catch (error) {
    return (error as { field?: string }).field;
  }
};

describe('POST /skus/:sku/adjustments body', () => {
  it('accepts a positive or negative integer with a reason', () => {
    expect(pipe.transform({ delta: 12, reason: 'found in aisle 4' })).toEqual({ delta: 12, reason: 'found in aisle 4' });
    expect(pipe.transform({ delta: -1, reason: ' damaged ' })).toEqual({ delta: -1, reason: 'damaged' });
  });

  it.each([
    [{ delta: 0, reason: 'x' }, 'delta'],
    [{ delta: 1.5, reason: 'x' }, 'delta'],
    [{ delta: '3', reason: 'x' }, 'delta'],
    [{ delta: 2_000_000_000, reason: 'x' }, 'delta'],
    [{ reason: 'x' }, 'delta'],
    [{ delta: 1 }, 'reason'],
    [{ delta: 1, reason: '   ' }, 'reason'],
    [{ delta: 1, reason: 'x'.repeat(1001) }, 'reason'],
  ])('refuses %j naming %s', (body, field) => {
    expect(fieldOf(body)).toBe(field);
  });
});
