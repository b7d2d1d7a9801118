import { isDomainError } from '@fulfillment/kernel';

/** A request the edge refuses, naming the field, parameter or header at fault: `<field>: <problem>`. */
export class HttpFieldError extends Error {
  override readonly name = 'HttpFieldError';

  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 502 | 503,
    readonly field: string | undefined,
    problem: string,
    readonly code?: string,
  ) {
    super(field === undefined ? problem : `${field}: ${problem}`);
  }
}

/**
 * For `.catch()`: a domain not-found (an aggregate with no events) answered as a 404 with the route's own words, e.g.
 * `purchase order p-1 does not exist` rather than the decider's generic one.
 */
export function notFoundAs(message: string): (error: unknown) => never {
  return (error) => {
    if (isDomainError(error) && error.kind === 'not-found') throw new HttpFieldError(404, undefined, message);
    throw error;
  };
}
