import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { CORRELATION_ID_HEADER, correlationIdOf, HttpFieldError } from '@fulfillment/platform';

/** Who asks: the bearer token the operator signed in with (kept in their browser) and the request's correlation id. */
export interface Operator {
  token: string;
  correlationId: string;
}

// A JWT is three base64url parts; anything else is refused here rather than sent on to four services.
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)$/;

/** The operator's token from `Authorization: Bearer <JWT>`; without one, a 401 that sends the page to sign-in. */
export function bearerTokenOf(header: string | string[] | undefined): string {
  if (header === undefined || header === '') throw new HttpFieldError(401, 'Authorization', 'no bearer token was sent (sign in first)', 'token-missing');
  const match = Array.isArray(header) ? null : BEARER.exec(header.trim());
  if (!match) throw new HttpFieldError(401, 'Authorization', 'must be "Bearer <JWT>" (sign in again)', 'token-refused');
  return match[1]!;
}

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  correlationId?: string;
}

export const OperatorOf = createParamDecorator((_: unknown, ctx: ExecutionContext): Operator => {
  const req = ctx.switchToHttp().getRequest<RequestLike>();
  return {
    token: bearerTokenOf(req.headers.authorization),
    correlationId: (req.correlationId ??= correlationIdOf(req.headers[CORRELATION_ID_HEADER.toLowerCase()])),
  };
});
