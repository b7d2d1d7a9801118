// Failures of a delivery are kept in `deliveries.last_error` and logged. SMTP servers echo the recipient in their
// replies ("550 5.1.1 <ada@example.com>: user unknown") and nodemailer quotes those replies, so every description is
// scrubbed of anything shaped like an address before it is stored or logged.

const EMAIL_LIKE = /[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g;
const MAX_LENGTH = 500;

export function redactEmails(text: string): string {
  return text.replace(EMAIL_LIKE, '[email]');
}

/** A one-line, bounded, address-free description of why a delivery failed. */
export function describeDeliveryError(error: unknown): string {
  let text: string;
  if (typeof error === 'object' && error !== null) {
    const e = error as { name?: unknown; message?: unknown; code?: unknown; responseCode?: unknown };
    const parts = [typeof e.code === 'string' ? e.code : undefined, typeof e.responseCode === 'number' ? String(e.responseCode) : undefined]
      .filter((part): part is string => part !== undefined)
      .join(' ');
    const name = typeof e.name === 'string' && e.name !== '' ? e.name : 'Error';
    const message = typeof e.message === 'string' && e.message !== '' ? e.message : name;
    // A code says more than a class name; without one, a specific name ("TimeoutError") is the useful part.
    const prefix = parts !== '' ? parts : name !== 'Error' && message !== name ? name : '';
    text = prefix === '' ? message : `${prefix}: ${message}`;
    // fetch() says only "fetch failed"; the reason (ECONNREFUSED, a timeout) is in its cause.
    const cause = (error as { cause?: unknown }).cause;
    if (typeof cause === 'object' && cause !== null) text = `${text} (${describeCause(cause)})`;
  } else {
    text = String(error);
  }
  const line = redactEmails(text).replace(/\s+/g, ' ').trim();
  return line.length > MAX_LENGTH ? `${line.slice(0, MAX_LENGTH - 3)}...` : line;
}

function describeCause(cause: object): string {
  const c = cause as { code?: unknown; message?: unknown };
  if (typeof c.code === 'string') return c.code;
  return typeof c.message === 'string' ? c.message : 'unknown cause';
}

/** A delivery that can never succeed as things stand (no address on file): recorded as skipped, not retried. */
export class UndeliverableError extends Error {
  override readonly name = 'UndeliverableError';
}
