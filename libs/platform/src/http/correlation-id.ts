import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { HttpFieldError } from './http-field-error.js';

export const CORRELATION_ID_HEADER = 'X-Correlation-Id';

// Visible ASCII without spaces, bounded: the value travels in every envelope of the flow (correlationid allows 500)
// and in logs, and an id nobody can search for because it was cut or mangled is worth a 400.
const VALID = /^[\x21-\x7e]{1,200}$/;

/** The one correlation-id rule: the caller's `X-Correlation-Id` when it is 1-200 visible ASCII characters, else a 400. */
export function correlationIdOf(header: string | string[] | undefined): string {
  if (header === undefined) return randomUUID();
  if (Array.isArray(header) || !VALID.test(header)) {
    throw new HttpFieldError(400, CORRELATION_ID_HEADER, 'must be one value of 1 to 200 visible ASCII characters');
  }
  return header;
}

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  correlationId?: string;
}
interface ResponseLike {
  setHeader(name: string, value: string): void;
}

/** Express middleware of every service: gives each request its correlation id and echoes it in the response. */
export function correlationIdMiddleware(req: RequestLike, res: ResponseLike, next: (error?: unknown) => void): void {
  try {
    req.correlationId = correlationIdOf(req.headers[CORRELATION_ID_HEADER.toLowerCase()]);
    res.setHeader(CORRELATION_ID_HEADER, req.correlationId);
    next();
  } catch (error) {
    next(error);
  }
}

/** The request's correlation id (see correlationIdMiddleware). */
export const CorrelationId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<RequestLike>();
  return (req.correlationId ??= correlationIdOf(req.headers[CORRELATION_ID_HEADER.toLowerCase()]));
});
