import { HttpFieldError } from '@fulfillment/platform';
import type { Upstream } from '../console.config.js';

/** How a call to one of the services ended: no answer at all, or an answer with its status and parsed body. */
export type UpstreamOutcome = { kind: 'unreachable'; cause: string } | { kind: 'answered'; status: number; body: unknown };

interface ErrorLike {
  message?: unknown;
  field?: unknown;
  code?: unknown;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** The service's own words for a refusal: its error body's message, or a cut of whatever it sent. */
function messageOf(body: unknown, status: number): string {
  if (typeof body === 'object' && body !== null) {
    const message = (body as ErrorLike).message;
    if (Array.isArray(message)) return message.join('; ');
    if (text(message)) return message as string;
  }
  if (text(body)) return (body as string).slice(0, 300);
  return `status ${status}`;
}

/**
 * What the console answers when a service did not give it what it asked for. A refused token stays 401/403 (the page
 * asks the operator to sign in again), a refused request keeps the service's status and the field it names (400
 * naming the field, 404), and a service that fails or does not answer is the console's 502 naming the service: the
 * input was not at fault, a service was.
 */
export function upstreamRefusal(service: Upstream, baseUrl: string, outcome: UpstreamOutcome): HttpFieldError {
  if (outcome.kind === 'unreachable') {
    return new HttpFieldError(502, undefined, `${service} does not answer at ${baseUrl} (${outcome.cause})`, 'service-unreachable');
  }
  const { status, body } = outcome;
  const message = messageOf(body, status);
  const field = typeof body === 'object' && body !== null ? text((body as ErrorLike).field) : undefined;
  const code = typeof body === 'object' && body !== null ? text((body as ErrorLike).code) : undefined;
  switch (status) {
    case 401:
      return new HttpFieldError(401, undefined, `${service} refused the token: ${message}`, 'token-refused');
    case 403:
      return new HttpFieldError(403, undefined, `${service} refused the token: ${message}`, 'token-lacks-scope');
    case 400:
    case 404:
    case 409:
    case 422:
      // The service's message names its field already ("sku: must not be empty"), which HttpFieldError puts back.
      return new HttpFieldError(status, field, field !== undefined && message.startsWith(`${field}: `) ? message.slice(field.length + 2) : message, code);
    default:
      return new HttpFieldError(502, undefined, `${service} failed: ${status} ${message}`, 'service-failed');
  }
}
