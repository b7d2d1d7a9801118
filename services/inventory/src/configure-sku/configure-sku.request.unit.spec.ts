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

  it('accepts the policies, and null for each of them (no cap, no horizon, no expiry, no release date)', () => {
    const policies = { maxBackorder: 10, maxWaitDays: 14, autoCancelAfterDays: 0, releaseAt: '2026-12-24T10:00:00+01:00' };
    expect(pipe.transform(policies)).toEqual({ ...policies, releaseAt: '2026-12-24T09:00:00.000Z' });
    const none = { maxBackorder: null, maxWaitDays: null, autoCancelAfterDays: null, releaseAt: null };
    expect(pipe.transform(none)).toEqual(none);
  });

  it('accepts a release date in the past: the SKU is released at the next sweep', () => {
    expect(pipe.transform({ releaseAt: '2020-01-01T00:00:00Z' })).toEqual({ releaseAt: '2020-01-01T00:00:00.000Z' });
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
    [{ maxBackorder: -1 }, 'maxBackorder'],
    [{ maxBackorder: 2.5 }, 'maxBackorder'],
    [{ maxBackorder: '10' }, 'maxBackorder'],
    [{ maxWaitDays: -3 }, 'maxWaitDays'],
    [{ maxWaitDays: 3651 }, 'maxWaitDays'],
    [{ autoCancelAfterDays: -1 }, 'autoCancelAfterDays'],
    [{ autoCancelAfterDays: 0.5 }, 'autoCancelAfterDays'],
    [{ autoCancelAfterDays: true }, 'autoCancelAfterDays'],
    [{ releaseAt: '2026-12-24' }, 'releaseAt'],
    [{ releaseAt: '2026-12-24T10:00:00' }, 'releaseAt'],
    [{ releaseAt: '2026-02-30T10:00:00Z' }, 'releaseAt'],
    [{ releaseAt: 'tomorrow' }, 'releaseAt'],
    [{ releaseAt: 1767225600000 }, 'releaseAt'],
    [{ releaseAt: '2999-01-01T00:00:00Z' }, 'releaseAt'],
  ])('refuses %j naming %s', (body, field) => {
    expect(problemWith(body)).toMatchObject({ field, message: expect.stringMatching(new RegExp(`^${escape(field)}: `)) });
  });

  it('refuses an unknown field rather than ignoring a misspelt setting', () => {
    expect(problemWith({ leadtimeDays: 3 })?.message).toMatch(/leadtimeDays/);
    expect(problemWith({ maxBackorders: 3 })?.message).toMatch(/maxBackorders/);
  });
});

function escape(text: string): string {
  return text.replace(/[[\]]/g, '\\$&');
}
