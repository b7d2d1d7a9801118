import { applyDecorators, Controller, createParamDecorator, HttpCode, Patch, Post, Put, type ExecutionContext } from '@nestjs/common';
import {
  ApiBody,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiResponse,
  ApiTags,
  type ApiHeaderOptions,
  type ApiParamOptions,
  type ApiResponseOptions,
} from '@nestjs/swagger';
import type { Scope } from '@fulfillment/contracts';
import type { CommandPipeline, DomainEvent, Handled, Outcome, Tx, Work } from '@fulfillment/eventstore';
import { z } from 'zod';
import { openApiSchemaOf } from '../openapi.js';
import { RequiresScope, type Caller } from './auth.guard.js';
import { CORRELATION_ID_HEADER, correlationIdOf } from './correlation-id.js';
import { errorBodySchema } from './error-body.js';
import { IdempotencyRecorder, Idempotent, type IdempotentOptions, type IdempotentRequest } from './idempotency.js';

/** How a controller whose routes change things documents X-Correlation-Id, unless it says more. */
export const CORRELATION_ID_API_HEADER: ApiHeaderOptions = {
  name: CORRELATION_ID_HEADER,
  required: false,
  description: 'echoed back; a new UUID when absent',
};

/** A controller of command routes: its path, its tag in the document, and the X-Correlation-Id its requests may carry. */
export function CommandController(options: { path: string; tag: string; correlationHeader?: ApiHeaderOptions }): ClassDecorator {
  return applyDecorators(Controller(options.path), ApiHeader(options.correlationHeader ?? CORRELATION_ID_API_HEADER), ApiTags(options.tag));
}

/** The statuses a command route refuses with, each documented with the platform's error body. */
export type RefusalStatus = 400 | 404 | 409 | 412;

const ROUTE = { POST: Post, PUT: Put, PATCH: Patch } as const;

export interface CommandRouteOptions {
  /** Scopes that grant the route (see RequiresScope); `customer: true` also lets a customer token in, for its own data. */
  readonly scope: Scope | readonly Scope[];
  readonly customer?: boolean;
  readonly method: keyof typeof ROUTE;
  readonly path?: string;
  /** `@HttpCode` of the route; without it Nest's own (201 for POST, 200 otherwise), under which `answer` is documented. */
  readonly status?: 200 | 201 | 202;
  readonly idempotent?: IdempotentOptions;
  readonly summary: string;
  readonly description?: string;
  /** Path parameters documented beyond their name. */
  readonly params?: readonly ApiParamOptions[];
  /** The body's rules (documented as what a request may send); `required: false` for a route that needs none. */
  readonly body: { readonly schema: z.ZodType; readonly required?: false };
  /** The success answer as documented: its body's zod schema (and words), or the response as Nest documents it. */
  readonly answer: { readonly description?: string; readonly schema: z.ZodType } | ApiResponseOptions;
  /** What each refusal means on this route ('' documents the status without words). */
  readonly refusals: Partial<Record<RefusalStatus, string>>;
}

/**
 * The shell of every mutating route: the scope it needs, its method and path, its status, the Idempotency-Key
 * mechanism, and its document (operation, body, answer and refusals). The handler is left with the request itself.
 */
export function CommandRoute(options: CommandRouteOptions): MethodDecorator {
  const { answer, body, status } = options;
  const answerStatus = status ?? (options.method === 'POST' ? 201 : 200);
  const errorSchema = openApiSchemaOf(errorBodySchema);
  // In the order of stacked decorators, top first: applied bottom first, as they would be.
  const decorators = [
    RequiresScope(options.scope, { customer: options.customer ?? false }),
    ROUTE[options.method](options.path),
    ...(status === undefined ? [] : [HttpCode(status)]),
    Idempotent(options.idempotent),
    ApiOperation({ summary: options.summary, ...(options.description === undefined ? {} : { description: options.description }) }),
    ...(options.params ?? []).map((param) => ApiParam(param)),
    ApiBody({ ...(body.required === false ? { required: false } : {}), schema: openApiSchemaOf(body.schema, 'input') }),
    ApiResponse({ ...documented(answer), status: answerStatus }),
    ...Object.entries(options.refusals).map(([refusal, description]) =>
      ApiResponse({ status: Number(refusal), ...(description === '' ? {} : { description }), schema: errorSchema }),
    ),
  ];
  return applyDecorators(...decorators.reverse());
}

function documented(answer: CommandRouteOptions['answer']): ApiResponseOptions {
  return 'schema' in answer && answer.schema instanceof z.ZodType ? { ...answer, schema: openApiSchemaOf(answer.schema) } : (answer as ApiResponseOptions);
}

/** What a command route takes from its request besides path and body. */
export interface CommandContext {
  readonly correlationId: string;
  /** Who called (see CallerOf). */
  readonly caller: Caller;
  /** The request's Idempotency-Key, once IdempotencyInterceptor accepted it; undefined without a key. */
  readonly idempotency: IdempotentRequest | undefined;
}

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  correlationId?: string;
  caller?: Caller;
  idempotency?: IdempotentRequest;
}

/** The request's correlation id, caller and Idempotency-Key (as CorrelationId, CallerOf and IdempotencyOf give them). */
export const CommandContextOf = createParamDecorator((_: unknown, ctx: ExecutionContext): CommandContext => {
  const req = ctx.switchToHttp().getRequest<RequestLike>();
  const correlationId = (req.correlationId ??= correlationIdOf(req.headers[CORRELATION_ID_HEADER.toLowerCase()]));
  if (req.caller === undefined) throw new Error('CommandContextOf on a route AuthGuard did not check');
  return { correlationId, caller: req.caller, idempotency: req.idempotency };
});

// Stateless: the keys live in the database, written in the transaction it is given.
const recorder = new IdempotencyRecorder();

/** One aggregate's command as a route submits it; the cause is the request. */
export type RouteWork<C, S> = Omit<Work<C, S>, 'cause'>;

/**
 * Submits a route's one command to its pipeline (group commit) and records the answer under the request's
 * Idempotency-Key in the transaction of the effect: `answer` makes the body from the aggregate's outcome.
 */
export function submitCommand<C, E extends DomainEvent, S, O, B>(
  pipeline: CommandPipeline<C, E, S, O>,
  context: CommandContext,
  work: RouteWork<C, S>,
  answer: (outcome: Outcome<C, E, S, O>, tx: Tx, handled: Handled<C, E, S, O>) => B | Promise<B>,
): Promise<B> {
  const cause = { correlationId: context.correlationId, causationId: null };
  return pipeline.submit([{ ...work, cause }], async (tx, handled) =>
    recorder.record(tx, context.idempotency, await answer(handled.outcomes.get(work.id)!, tx, handled)),
  );
}
