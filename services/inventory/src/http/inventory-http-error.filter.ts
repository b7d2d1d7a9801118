import { Catch, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ConcurrencyError } from '@fulfillment/eventstore';
import { InventoryDomainError } from '@fulfillment/inventory-domain';

interface HttpResponseLike {
  status(code: number): { json(body: unknown): void };
}

/**
 * The decider's refusals are the client's business (409, or 400 for input the request schema let through); a
 * concurrency conflict that survived the retry is 412: the client may simply try again.
 */
@Catch(InventoryDomainError, ConcurrencyError)
export class InventoryHttpErrorFilter implements ExceptionFilter {
  catch(error: InventoryDomainError | ConcurrencyError, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<HttpResponseLike>();
    if (error instanceof ConcurrencyError) {
      response.status(412).json({
        statusCode: 412,
        error: 'Precondition Failed',
        message: 'the SKU changed concurrently; retry the request',
      });
      return;
    }
    const statusCode = error.kind === 'refusal' ? 409 : 400;
    response.status(statusCode).json({
      statusCode,
      error: statusCode === 409 ? 'Conflict' : 'Bad Request',
      message: error.message,
      code: error.code,
    });
  }
}
