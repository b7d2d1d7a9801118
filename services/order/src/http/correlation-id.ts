import { randomUUID } from 'node:crypto';
import { BadRequestException, createParamDecorator, Injectable, type ExecutionContext, type NestMiddleware } from '@nestjs/common';

export const CORRELATION_ID_HEADER = 'x-correlation-id';
// The envelope's correlationid allows 500 characters; a longer header could never be published.
const MAX_LENGTH = 500;

interface RequestWithCorrelation {
  headers: Record<string, string | string[] | undefined>;
  correlationId?: string;
}

interface HeaderSink {
  setHeader(name: string, value: string): void;
}

/** The caller's `X-Correlation-Id`, or a new UUID when it sent none; always echoed in the response. */
export function correlationIdOf(header: string | string[] | undefined): string {
  if (header === undefined) return randomUUID();
  const value = Array.isArray(header) ? header[header.length - 1]! : header;
  if (value.trim() === '' || value.length > MAX_LENGTH) {
    const problem = `must be 1 to ${MAX_LENGTH} characters`;
    throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: `X-Correlation-Id: ${problem}`, field: 'X-Correlation-Id' });
  }
  return value;
}

@Injectable()
export class CorrelationIdMiddleware implements NestMiddleware {
  use(req: RequestWithCorrelation, res: HeaderSink, next: (error?: unknown) => void): void {
    try {
      req.correlationId = correlationIdOf(req.headers[CORRELATION_ID_HEADER]);
      res.setHeader('X-Correlation-Id', req.correlationId);
      next();
    } catch (error) {
      next(error);
    }
  }
}

/** The request's correlation id, set by `CorrelationIdMiddleware`. */
export const CorrelationId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const req = ctx.switchToHttp().getRequest<RequestWithCorrelation>();
  // A route outside the middleware's reach still gets a correlation id rather than an undefined one.
  return req.correlationId ?? correlationIdOf(req.headers[CORRELATION_ID_HEADER]);
});
