import { Catch, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ConcurrencyError } from '@fulfillment/eventstore';
import { SupplierDomainError, type SupplierErrorKind } from '@fulfillment/supplier-domain';

interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): void;
}

const statusOf: Record<SupplierErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  'not-found': HttpStatus.NOT_FOUND,
  refusal: HttpStatus.CONFLICT,
};

const errorOf: Record<number, string> = {
  [HttpStatus.BAD_REQUEST]: 'Bad Request',
  [HttpStatus.NOT_FOUND]: 'Not Found',
  [HttpStatus.CONFLICT]: 'Conflict',
  [HttpStatus.PRECONDITION_FAILED]: 'Precondition Failed',
};

/**
 * Domain refusals are 409 with the domain's reason and code, a command the domain finds invalid is a 400 naming the
 * field (its messages start with it), an unknown purchase order 404, and a write that lost a race twice 412.
 */
@Catch(SupplierDomainError, ConcurrencyError)
export class SupplierHttpErrorFilter implements ExceptionFilter<SupplierDomainError | ConcurrencyError> {
  catch(error: SupplierDomainError | ConcurrencyError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<HttpResponse>();
    if (error instanceof ConcurrencyError) {
      const statusCode = HttpStatus.PRECONDITION_FAILED;
      response.status(statusCode).json({
        statusCode,
        error: errorOf[statusCode],
        message: 'the purchase order changed while this request was applied; read it again and retry',
      });
      return;
    }
    const statusCode = statusOf[error.kind];
    const field = error.kind === 'invalid' ? /^([A-Za-z][\w.[\]]*):/.exec(error.message)?.[1] : undefined;
    response.status(statusCode).json({
      statusCode,
      error: errorOf[statusCode],
      message: error.message,
      code: error.code,
      ...(field ? { field } : {}),
    });
  }
}
