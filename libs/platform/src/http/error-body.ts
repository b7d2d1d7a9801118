import { z } from 'zod';

/** The one error body of every service: `field` names what was wrong on 400 and 422, `code` gives the domain's reason. */
export interface HttpErrorBody {
  statusCode: number;
  error: string;
  message: string;
  field?: string;
  code?: string;
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function errorBody(statusCode: number, message: string, extra: { field?: string | undefined; code?: string | undefined } = {}): HttpErrorBody {
  return {
    statusCode,
    error: STATUS_TEXT[statusCode] ?? 'Error',
    message,
    ...(extra.field === undefined ? {} : { field: extra.field }),
    ...(extra.code === undefined ? {} : { code: extra.code }),
  };
}

/** The error body for the OpenAPI documents. */
export const errorBodySchema = z.object({
  statusCode: z.int(),
  error: z.string(),
  message: z.string().describe('on 400, starts with the name of the bad field, e.g. "lines[0].quantity: must be a positive integer"'),
  field: z.string().optional().describe('the bad field, parameter or header, on 400 and 422'),
  code: z.string().optional().describe('the domain reason, e.g. order-not-cancellable'),
});
