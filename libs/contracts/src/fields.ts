import { z } from 'zod';
import { unlessMissing } from './issues.js';

// Building blocks shared by every message, so a rule such as "quantities are positive integers" is stated once.

export const identifier = z.string().min(1).max(200);

export const sku = z.string().min(1).max(100);

export const freeText = z.string().min(1).max(1000);

const POSITIVE_INTEGER = 'must be a positive integer';
export const positiveInt = z.int({ error: unlessMissing(POSITIVE_INTEGER) }).positive({ error: POSITIVE_INTEGER });

const NON_NEGATIVE_INTEGER = 'must be an integer >= 0';
export const nonNegativeInt = z
  .int({ error: unlessMissing(NON_NEGATIVE_INTEGER) })
  .nonnegative({ error: NON_NEGATIVE_INTEGER });

export const timestamp = z.iso.datetime({
  offset: true,
  error: unlessMissing('must be an ISO-8601 date-time with a time zone'),
});

export const nullableTimestamp = z.iso
  .datetime({ offset: true, error: unlessMissing('must be an ISO-8601 date-time with a time zone, or null') })
  .nullable();

export const email = z.email({ error: unlessMissing('must be an email address') });
