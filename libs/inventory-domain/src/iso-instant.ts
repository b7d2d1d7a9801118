// Instants travel as ISO-8601 strings: events are stored and published as JSON, where a Date would come back as a
// string while its type still claimed Date. Every instant is normalised to `toISOString()` when it enters the
// domain, so two equal instants are also equal strings and a date "change" is never a formatting difference.
export type IsoInstant = string;

const DAY_MS = 86_400_000;

// Date.parse alone accepts "1" or "March 7": only calendar dates and date-times with an explicit zone get in.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

export const isIsoInstant = (value: unknown): value is IsoInstant =>
  typeof value === 'string' && ISO_8601.test(value) && Number.isFinite(Date.parse(value));

export const normalizeInstant = (value: IsoInstant): IsoInstant => new Date(value).toISOString();

export const compareInstants = (a: IsoInstant, b: IsoInstant): number => Date.parse(a) - Date.parse(b);

export const laterOf = (a: IsoInstant, b: IsoInstant): IsoInstant => (compareInstants(a, b) >= 0 ? a : b);

/** `from` plus `days`, truncated to the start of that UTC day (see rule 4 in sku.decide.ts for why). */
export const startOfUtcDayAfter = (from: IsoInstant, days: number): IsoInstant =>
  new Date(Math.floor((Date.parse(from) + days * DAY_MS) / DAY_MS) * DAY_MS).toISOString();
