import { describe, expect, it } from '@jest/globals';
import { httpErrorOf, ZodValidationPipe } from '@fulfillment/platform';
import { configureSkuRequest } from './configure-sku.request.js';

const pipe = new ZodValidationPipe(configureSkuRequest);

const problemWith = (body: unknown): { field: string; message: string } | undefined => {
  try {
    pipe.transform(body);
    return undefined;
  } catch (error) {
    return httpErrorOf(error) as { field: string; message: string };
  }
};

describe('PUT /skus/:sku body', () => {
  it('accepts an empty body (every field has a default) and a full one', () => {
    expect(pipe.transform({})).toEqual({});
    const full = { backorderable: false, leadTimeDays: null, reorderPoint: 5, safetyStock: 2, substitutes: ['SKU-2'] };
    expect(pipe.transform(full)).toEqual(full);
  });

  it.each([
    [{ backorderable: 'yes' }, 'backorderable'],
    [{ leadTimeDays: -1 }, 'leadTimeDays'],
    [{ leadTimeDays: 1.5 }, 'leadTimeDays'],
    [{ leadTimeDays: 3651 }, 'leadTimeDays'],
    [{ reorderPoint: '4' }, 'reorderPoint'],
    [{ safetyStock: -2 }, 'safetyStock'],
    [{ substitutes: 'SKU-2' }, 'substitutes'],
    [{ substitutes: ['SKU-2', ''] }, 'substitutes[1]'],
    [{ substitutes: ['has space'] }, 'substitutes[0]'],
  ])('refuses %j naming %s', (body, field) => {
    expect(problemWith(body)).toMatchObject({ field, message: expect.stringMatching(new RegExp(`^${escape(field)}: `)) });
  });

  it('refuses an unknown field rather than ignoring a misspelt setting', () => {
    expect(problemWith({ leadtimeDays: 3 })?.message).toMatch(/leadtimeDays/);
  });
});

function escape(text: string): string {
  return text.replace(/[[\]]/g, '\\$&');
}
