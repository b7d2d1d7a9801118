import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { ContractViolationError } from '@fulfillment/contracts';
import { ConcurrencyError } from '@fulfillment/eventstore';
import { isDomainError } from '@fulfillment/kernel';
import type { Logger } from 'pino';
import { errorBody, type HttpErrorBody } from './error-body.js';
import { HttpFieldError } from './http-field-error.js';

const DOMAIN_STATUS = { invalid: 400, 'not-found': 404, refusal: 409 } as const;

/** body-parser's errors carry the status and a type; the input itself never reaches the answer. */
interface BodyParserError {
  status: number;
  type: string;
}
const isBodyParserError = (error: unknown): error is BodyParserError =>
  typeof error === 'object' && error !== null && typeof (error as BodyParserError).status === 'number' && typeof (error as BodyParserError).type === 'string';

const BODY_PARSER_ANSWERS: Record<string, () => HttpErrorBody> = {
  'entity.parse.failed': () => errorBody(400, 'body: is not valid JSON', { field: 'body' }),
  'entity.too.large': () => errorBody(413, 'body: is too large', { field: 'body' }),
  'encoding.unsupported': () => errorBody(415, 'body: charset is not supported', { field: 'body' }),
  'charset.unsupported': () => errorBody(415, 'body: charset is not supported', { field: 'body' }),
  'request.aborted': () => errorBody(400, 'body: the request was aborted', { field: 'body' }),
};

/**
 * How every failure reads over HTTP, in one error body: a field the edge refuses (400/401/403/422 naming it), an
 * invalid command (400 naming the field the domain names), an unknown aggregate (404), a domain refusal (409 with its
 * code), a version conflict that survived the retries (412: retry), and Nest's own HTTP exceptions reshaped. Anything
 * else is a bug: 500, logged with its stack, and nothing of it in the answer.
 */
export function httpErrorOf(error: unknown): HttpErrorBody {
  if (error instanceof HttpFieldError) return errorBody(error.status, error.message, { field: error.field, code: error.code });
  if (isDomainError(error)) {
    return errorBody(DOMAIN_STATUS[error.kind], error.message, { field: error.field, code: error.code });
  }
  if (error instanceof ConcurrencyError) return errorBody(412, 'the resource changed while this request was applied; retry it');
  // What the request asked for cannot be published as the contract stands (an id too long to derive a line id from).
  if (error instanceof ContractViolationError) return errorBody(400, error.message, { code: 'contract-violation' });
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const answer = error.getResponse();
    if (typeof answer === 'object' && answer !== null) {
      const { message, field, code } = answer as { message?: unknown; field?: unknown; code?: unknown };
      const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : error.message;
      return errorBody(status, text, {
        field: typeof field === 'string' ? field : undefined,
        code: typeof code === 'string' ? code : undefined,
      });
    }
    return errorBody(status, typeof answer === 'string' ? answer : error.message);
  }
  if (error instanceof URIError) return errorBody(400, 'path: is not valid percent-encoding', { field: 'path' });
  if (isBodyParserError(error) && error.status >= 400 && error.status < 500) {
    return (BODY_PARSER_ANSWERS[error.type] ?? (() => errorBody(error.status, 'body: could not be read', { field: 'body' })))();
  }
  return errorBody(500, 'internal error; the request may be retried');
}

interface ResponseLike {
  headersSent?: boolean;
  status(code: number): { json(body: unknown): void };
}

@Catch()
export class HttpErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw error;
    const answer = httpErrorOf(error);
    if (answer.statusCode >= 500) this.logger.error({ err: error }, 'request failed');
    const response = host.switchToHttp().getResponse<ResponseLike>();
    if (response.headersSent) return;
    response.status(answer.statusCode).json(answer);
  }
}
