import { normalizeInstant, type IsoInstant } from '@fulfillment/supplier-domain';
import { z } from 'zod';

// Field rules shared by the HTTP requests. Messages name the rule, never echo the input.

const requiredOr =
  (problem: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is required' : problem;

const NON_EMPTY = 'must be a non-empty string';
const POSITIVE_INTEGER = 'must be a positive integer';
const INSTANT = 'must be an ISO-8601 date or a date-time with a time zone';

// `.meta()` states in the OpenAPI document what a refinement enforces, which zod cannot translate by itself.
export const skuField = z
  .string({ error: requiredOr(NON_EMPTY) })
  .max(100, 'must be at most 100 characters')
  .refine((value) => value.trim() !== '', NON_EMPTY)
  .meta({ pattern: '\\S', description: 'not blank' });

export const quantityField = z.int({ error: requiredOr(POSITIVE_INTEGER) }).positive(POSITIVE_INTEGER);

const DAY_MS = 86_400_000;

// Date.parse rolls impossible dates over ("2026-02-30" is 2 March, "T24:00" the next day), and normalizeInstant
// inherits that: a typo would become a real, different date. Every part must exist as written.
const PARTS = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/;

function isCalendarValid(value: string): boolean {
  const parts = PARTS.exec(value);
  if (!parts) return false;
  const [year, month, day, hour, minute, second] = parts.slice(1).map((part) => Number(part ?? 0));
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  const dayExists = date.getUTCMonth() === month! - 1 && date.getUTCDate() === day;
  return dayExists && hour! < 24 && minute! < 60 && second! < 60;
}

/**
 * How far from now a promised arrival may be. A month back leaves room for recording a late supplier confirmation;
 * beyond two years ahead no supplier commits to a date, so such a value is a typo (a year 2206, a day-month swap).
 */
export const EXPECTED_AT_WINDOW = { pastDays: 31, futureDays: 730 } as const;

// The shape only: whether the date exists and the window around now are checked by the transform.
const EXPECTED_AT_DOCUMENTATION = {
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2}))?$',
  description:
    'an ISO-8601 date or a date-time with a time zone, e.g. 2026-12-04 or 2026-12-04T09:30:00+01:00; a date that ' +
    `exists, at most ${EXPECTED_AT_WINDOW.pastDays} days in the past and ${EXPECTED_AT_WINDOW.futureDays} days ahead`,
  example: '2026-12-04T09:30:00Z',
};

/** An ISO-8601 instant within `EXPECTED_AT_WINDOW` of `now()`, normalised to `toISOString()`. */
export function expectedAtField(now: () => Date) {
  return z.string({ error: requiredOr(INSTANT) }).transform((value, ctx): IsoInstant => {
    const instant = isCalendarValid(value) ? normalizeInstant(value) : null;
    if (instant === null) {
      ctx.addIssue({ code: 'custom', message: INSTANT });
      return z.NEVER;
    }
    const offsetDays = (Date.parse(instant) - now().getTime()) / DAY_MS;
    if (offsetDays < -EXPECTED_AT_WINDOW.pastDays) {
      ctx.addIssue({ code: 'custom', message: `must not be more than ${EXPECTED_AT_WINDOW.pastDays} days in the past` });
      return z.NEVER;
    }
    if (offsetDays > EXPECTED_AT_WINDOW.futureDays) {
      ctx.addIssue({ code: 'custom', message: `must be within ${EXPECTED_AT_WINDOW.futureDays} days from now` });
      return z.NEVER;
    }
    return instant;
  }).meta(EXPECTED_AT_DOCUMENTATION);
}

/**
 * A JSON object body with exactly these fields. An unknown field is refused by name rather than dropped: a client
 * sending `{ "quantity": 5 }` to change a purchase order must learn that nothing of the kind happened.
 */
export function requestBody<S extends z.ZodRawShape>(shape: S) {
  return z
    .looseObject(shape, { error: 'must be a JSON object' })
    .superRefine((body, ctx) => {
      for (const key of Object.keys(body)) {
        if (!Object.hasOwn(shape, key)) ctx.addIssue({ code: 'custom', path: [key], message: 'is not a field of this request' });
      }
    })
    .transform((body) => {
      const known: Record<string, unknown> = {};
      for (const key of Object.keys(shape)) if (body[key] !== undefined) known[key] = body[key];
      return known as z.output<z.ZodObject<S>>;
    })
    .meta({ additionalProperties: false });
}
