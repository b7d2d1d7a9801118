import { randomUUID } from 'node:crypto';
import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';

export const CORRELATION_HEADER = 'x-correlation-id';

// The envelope's correlationid allows 500 characters; an id longer than 200 or with control characters is a client
// mistake worth a 400 rather than a truncated id nobody can search for.
const VALID_CORRELATION_ID = /^[\x21-\x7e]{1,200}$/;

interface HttpRequestLike {
  headers: Record<string, string | string[] | undefined>;
}
interface HttpResponseLike {
  setHeader(name: string, value: string): void;
}

/** The caller's `X-Correlation-Id` (or a new UUID), echoed on the response so the caller can follow the flow. */
export const CorrelationId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string => {
  const http = ctx.switchToHttp();
  const given = http.getRequest<HttpRequestLike>().headers[CORRELATION_HEADER];
  const value = Array.isArray(given) ? given[0] : given;
  if (value !== undefined && !VALID_CORRELATION_ID.test(value)) {
    throw new BadRequestException({
      statusCode: 400,
      error: 'Bad Request',
      message: 'X-Correlation-Id: must be 1 to 200 visible ASCII characters',
      field: 'X-Correlation-Id',
    });
  }
  const correlationId = value ?? randomUUID();
  http.getResponse<HttpResponseLike>().setHeader('X-Correlation-Id', correlationId);
  return correlationId;
});
