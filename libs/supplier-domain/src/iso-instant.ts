// Instants travel as ISO-8601 strings: events are stored and published as JSON, where a Date would come back as a
// string while its type still claimed Date. Every instant is normalised to `toISOString()` as it enters the domain,
// so equal instants are equal strings and a date "change" is never a difference of notation.
export type IsoInstant = string;

// Date.parse alone accepts "1" or "March 7": only calendar dates and date-times with an explicit zone get in.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** The normalised instant, or null when `value` is not an ISO-8601 date or zoned date-time. */
export function normalizeInstant(value: unknown): IsoInstant | null {
  if (typeof value !== 'string' || !ISO_8601.test(value)) return null;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : null;
}
