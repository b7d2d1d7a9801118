import { describe, expect, it } from '@jest/globals';
import { isIsoInstant, normalizeInstant, startOfUtcDayAfter } from './index.js';

describe('ISO-8601 instants', () => {
  it.each(['2026-12-08', '2026-12-08T10:00Z', '2026-12-08T10:00:05.123+01:00', '2024-02-29T00:00:00Z', '2026-12-31T23:59:59-12:00'])(
    'accepts %s',
    (value) => expect(isIsoInstant(value)).toBe(true),
  );

  it.each([
    ['an impossible day', '2026-02-30'],
    ['29 February outside a leap year', '2026-02-29T00:00:00Z'],
    ['month 13', '2026-13-01'],
    ['hour 24', '2026-12-08T24:00:00Z'],
    ['minute 60', '2026-12-08T10:60Z'],
    ['a date-time without a zone', '2026-12-08T10:00:00'],
    ['a number', '1'],
    ['prose', 'March 7'],
    ['a non-string', 1733650000000],
  ])('refuses %s', (_what, value) => {
    expect(isIsoInstant(value)).toBe(false);
    expect(normalizeInstant(value)).toBeNull();
  });

  it('normalises notation, so equal instants are equal strings', () => {
    expect(normalizeInstant('2026-12-08T11:00+01:00')).toBe(normalizeInstant('2026-12-08T10:00:00.000Z'));
  });

  it('truncates a lead time to the start of the UTC day', () => {
    expect(startOfUtcDayAfter('2026-11-27T22:30:00.000Z', 3)).toBe('2026-11-30T00:00:00.000Z');
  });
});
