/** What the consumer does with a failed message. */
export type ErrorClass = 'retry' | 'dead-letter' | 'infrastructure';
export type ErrorClassifier = (error: unknown) => ErrorClass;

/**
 * Thrown by a handler when a message can never succeed (a domain or validation refusal): it is dead-lettered at once
 * instead of being retried.
 */
export class NonRetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}

// Node socket errors a database or broker client surfaces when it cannot reach its server.
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

// PostgreSQL SQLSTATEs meaning "the server is not there for you right now" (not "your statement is wrong").
// Class 08 is connection exceptions; 57P01-57P03 are shutdowns and startup; 53300 is too many connections.
const PG_UNAVAILABLE_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

// node-postgres and pg-pool report a lost or unobtainable connection without a code.
const CONNECTION_LOST_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /client has encountered a connection error/i,
  /connection is not queryable/i,
];

/** True when the error, or anything in its cause chain, says the database (or another dependency) is unreachable. */
export function isInfrastructureError(error: unknown): boolean {
  return someInChain(error, (e) => {
    const code = typeof e.code === 'string' ? e.code : undefined;
    if (code !== undefined) {
      if (NETWORK_ERROR_CODES.has(code) || PG_UNAVAILABLE_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return true;
    }
    if (e.name === 'KafkaJSConnectionError' || e.name === 'KafkaJSConnectionClosedError') return true;
    const message = typeof e.message === 'string' ? e.message : '';
    return CONNECTION_LOST_MESSAGES.some((pattern) => pattern.test(message));
  });
}

/**
 * The classifier used unless one is given: `NonRetryableError` is dead-lettered at once, an unreachable dependency is
 * an outage (never dead-lettered), anything else is retried a bounded number of times.
 */
export function defaultClassifyError(error: unknown): ErrorClass {
  if (someInChain(error, (e) => e instanceof NonRetryableError || e.name === 'NonRetryableError')) return 'dead-letter';
  if (isInfrastructureError(error)) return 'infrastructure';
  return 'retry';
}

const MAX_REASON_LENGTH = 1_000;

/** A one-line, bounded description of a failure, for DLQ headers and logs. */
export function describeFailure(error: unknown): string {
  let text: string;
  // Duck-typed rather than `instanceof Error`: errors from another realm (Node core errors under Jest's VM, a second
  // copy of a library) are errors all the same, and their `message` is not enumerable, so JSON would lose it.
  if (isErrorLike(error)) {
    const name = typeof error.name === 'string' && error.name ? error.name : 'Error';
    text = error.message ? `${name}: ${error.message}` : name;
  } else if (typeof error === 'string') {
    text = error;
  } else {
    try {
      text = JSON.stringify(error) ?? String(error);
    } catch {
      text = String(error);
    }
  }
  return truncate(text.replace(/\s+/g, ' ').trim(), MAX_REASON_LENGTH);
}

export function truncate(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}

function isErrorLike(value: unknown): value is { name?: unknown; message: string } {
  if (value instanceof Error) return true;
  if (typeof value !== 'object' || value === null) return false;
  return typeof (value as { message?: unknown }).message === 'string' && 'stack' in value;
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
}

// Follows `cause` (ES2022), TypeORM's `driverError` and AggregateError's `errors` (Node reports a refused dual-stack
// connect as an AggregateError), bounded so a cyclic chain cannot loop.
function someInChain(error: unknown, predicate: (e: ErrorLike) => boolean): boolean {
  const queue: unknown[] = [error];
  const seen = new Set<unknown>();
  while (queue.length > 0 && seen.size < 20) {
    const current = queue.shift();
    if (current === null || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    if (predicate(current as ErrorLike)) return true;
    const record = current as { cause?: unknown; driverError?: unknown; errors?: unknown };
    queue.push(record.cause, record.driverError);
    if (Array.isArray(record.errors)) queue.push(...record.errors);
  }
  return false;
}
