// Instants travel as ISO-8601 strings: events are stored and published as JSON, where a Date would come back as a
// string while its type still claimed Date. Every instant is normalised to `toISOString()` as it enters a domain, so
// equal instants are equal strings and a date "change" is never a difference of notation.
export type IsoInstant = string;

const DAY_MS = 86_400_000;

// Date.parse alone accepts "1" or "March 7": only calendar dates and date-times with an explicit zone get in.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-](\d{2}):(\d{2})))?$/;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * Whether `value` is an ISO-8601 calendar date or zoned date-time that exists as written. Date.parse rolls impossible
 * values over ("2026-02-30" becomes 2 March, "T24:00" the next day); these are refused instead.
 */
export function isIsoInstant(value: unknown): value is IsoInstant {
  if (typeof value !== 'string') return false;
  const m = ISO_8601.exec(value);
  if (!m) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0, offsetHours = 0, offsetMinutes = 0] = m
    .slice(1)
    .map((part) => (part === undefined ? undefined : Number(part))) as number[];
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59 &&
    Number.isFinite(Date.parse(value))
  );
}

/** The normalised instant (`toISOString()`), or null when `value` is not a valid ISO-8601 date or zoned date-time. */
export function normalizeInstant(value: unknown): IsoInstant | null {
  return isIsoInstant(value) ? new Date(value).toISOString() : null;
}

export const compareInstants = (a: IsoInstant, b: IsoInstant): number => Date.parse(a) - Date.parse(b);

export const laterOf = (a: IsoInstant, b: IsoInstant): IsoInstant => (compareInstants(a, b) >= 0 ? a : b);

/** `from` plus `days`, truncated to the start of that UTC day (lead-time promises and replenishment dates agree). */
export const startOfUtcDayAfter = (from: IsoInstant, days: number): IsoInstant =>
  new Date(Math.floor((Date.parse(from) + days * DAY_MS) / DAY_MS) * DAY_MS).toISOString();
