import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ConcurrencyError } from '@fulfillment/eventstore';
import { OrderDomainError } from '@fulfillment/order-domain';
import { IdempotencyKeyReusedError } from '../place-order/place-order.handler.js';

export interface HttpErrorBody {
  statusCode: number;
  error: string;
  message: string;
  field?: string;
  code?: string;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  422: 'Unprocessable Entity',
};

const body = (statusCode: number, message: string, extra: Partial<HttpErrorBody> = {}): HttpErrorBody => ({
  statusCode,
  error: STATUS_TEXT[statusCode] ?? 'Error',
  message,
  ...extra,
});

/**
 * How the service's own failures read over HTTP: an invalid command is a 400 naming its field (the domain's messages
 * start with it), an unknown order a 404, a domain refusal a 409, a concurrent write a 412 (retry the request) and a
 * reused idempotency key a 422.
 */
export function httpErrorOf(error: OrderDomainError | ConcurrencyError | IdempotencyKeyReusedError): HttpErrorBody {
  if (error instanceof IdempotencyKeyReusedError) {
    return body(HttpStatus.UNPROCESSABLE_ENTITY, error.message, { field: 'Idempotency-Key' });
  }
  if (error instanceof ConcurrencyError) {
    return body(HttpStatus.PRECONDITION_FAILED, 'the order changed while this request was applied; retry it');
  }
  switch (error.kind) {
    case 'invalid': {
      const field = /^([\w.[\]]+): /.exec(error.message)?.[1];
      return body(HttpStatus.BAD_REQUEST, error.message, field ? { field, code: error.code } : { code: error.code });
    }
    case 'not-found':
      return body(HttpStatus.NOT_FOUND, error.message, { code: error.code });
    case 'refusal':
      return body(HttpStatus.CONFLICT, error.message, { code: error.code });
  }
}

interface JsonResponse {
  status(code: number): { json(body: unknown): void };
}

@Catch(OrderDomainError, ConcurrencyError, IdempotencyKeyReusedError)
export class OrderHttpErrorFilter implements ExceptionFilter {
  catch(error: OrderDomainError | ConcurrencyError | IdempotencyKeyReusedError, host: ArgumentsHost): void {
    const answer = httpErrorOf(error);
    host.switchToHttp().getResponse<JsonResponse>().status(answer.statusCode).json(answer);
  }
}
