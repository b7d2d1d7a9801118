import { randomUUID } from 'node:crypto';
import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';

interface HttpRequest {
  headers: Record<string, string | string[] | undefined>;
}
interface HttpResponse {
  setHeader(name: string, value: string): void;
}

// Printable ASCII without spaces, bounded: the value travels in every envelope of the flow and in logs.
export const HEADER_TOKEN = /^[\x21-\x7e]{1,200}$/;

function headerToken(ctx: ExecutionContext, header: string): string | undefined {
  const value = ctx.switchToHttp().getRequest<HttpRequest>().headers[header.toLowerCase()];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !HEADER_TOKEN.test(value)) {
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: `${header}: must be 1 to 200 printable characters without spaces`,
      field: header,
    });
  }
  return value;
}

/**
 * The flow's correlation id: the caller's `X-Correlation-Id`, or a new one. Echoed in the response header either
 * way, so a caller can find what its request caused.
 */
export const CorrelationId = createParamDecorator((_: unknown, ctx: ExecutionContext): string => {
  const id = headerToken(ctx, 'X-Correlation-Id') ?? randomUUID();
  ctx.switchToHttp().getResponse<HttpResponse>().setHeader('X-Correlation-Id', id);
  return id;
});

/** The optional `Idempotency-Key` header, checked like a correlation id. */
export const IdempotencyKey = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): string | undefined => headerToken(ctx, 'Idempotency-Key'),
);
