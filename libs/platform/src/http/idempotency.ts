import { createHash } from 'node:crypto';
import {
  applyDecorators,
  createParamDecorator,
  Inject,
  Injectable,
  SetMetadata,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import { IdempotencyKeys, type EarlierRequest, type RecordedAnswer, type Tx } from '@fulfillment/eventstore';
import type pg from 'pg';
import { catchError, from, map, of, switchMap, throwError, type Observable } from 'rxjs';
import { errorBodySchema } from './error-body.js';
import { HttpFieldError } from './http-field-error.js';
import { openApiSchemaOf } from '../openapi.js';

export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
const VALID_KEY = /^[\x21-\x7e]{1,200}$/;
const IDEMPOTENT = Symbol('idempotent');
export const IDEMPOTENCY_POOL = Symbol('IDEMPOTENCY_POOL');

export interface IdempotentOptions {
  /** Headers the answer carries, first time and replayed alike (e.g. `Location` of what the request created). */
  headers?: (body: unknown) => Record<string, string>;
  /**
   * The fingerprint a release before this mechanism recorded for the route, for keys migrated from it (their stored
   * fingerprint starts with `legacy:`): computed from the request body.
   */
  legacyFingerprint?: (body: unknown) => string;
}

/** What the request's Idempotency-Key asks, as the route's handler sees it. */
export interface IdempotentRequest {
  readonly scope: string;
  readonly key: string;
  readonly fingerprint: string;
  readonly status: number;
}

interface RequestLike {
  method: string;
  route?: { path?: string };
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, unknown>;
  body?: unknown;
  idempotency?: IdempotentRequest;
}
interface ResponseLike {
  status(code: number): unknown;
  setHeader(name: string, value: string): void;
}

/** A request whose key another transaction recorded first, found while recording: its effect is rolled back. */
export class IdempotentReplay extends Error {
  override readonly name = 'IdempotentReplay';
  constructor(readonly earlier: EarlierRequest) {
    super('Idempotency-Key: recorded meanwhile by a concurrent request');
  }
}

/** The content that makes two requests with one key the same request: canonical JSON of the path parameters and body. */
export function requestFingerprint(params: unknown, body: unknown): string {
  return createHash('sha256').update(canonicalJson([params ?? {}, body ?? null])).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function keyOf(req: RequestLike): string | undefined {
  const value = req.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
  if (value === undefined) return undefined;
  if (Array.isArray(value) || !VALID_KEY.test(value)) {
    throw new HttpFieldError(400, IDEMPOTENCY_KEY_HEADER, 'must be one value of 1 to 200 visible ASCII characters');
  }
  return value;
}

function sameRequest(earlier: EarlierRequest, request: IdempotentRequest, body: unknown, options: IdempotentOptions): boolean {
  if (earlier.fingerprint.startsWith('legacy:') && options.legacyFingerprint) {
    return earlier.fingerprint === `legacy:${options.legacyFingerprint(body)}`;
  }
  return earlier.fingerprint === request.fingerprint;
}

/**
 * The one Idempotency-Key mechanism (SPEC 12): a repeated key with the same request answers the first answer again with
 * `Idempotent-Replayed: true`, without running the route; with another request it is a 422. A new key runs the route,
 * which records the answer in the transaction of its effect (`IdempotencyRecorder.record`), so the key and the effect
 * commit together. Two concurrent requests with one key: the second waits on the key and then answers as a repeat.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly keys = new IdempotencyKeys();

  constructor(
    private readonly reflector: Reflector,
    @Inject(IDEMPOTENCY_POOL) private readonly pool: pg.Pool,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const options = this.reflector.get<IdempotentOptions>(IDEMPOTENT, context.getHandler()) ?? {};
    const http = context.switchToHttp();
    const req = http.getRequest<RequestLike>();
    const res = http.getResponse<ResponseLike>();
    const withHeaders = (body: unknown): unknown => {
      for (const [name, value] of Object.entries(options.headers?.(body) ?? {})) res.setHeader(name, value);
      return body;
    };
    const key = keyOf(req);
    if (key === undefined) return next.handle().pipe(map(withHeaders));
    const status = this.reflector.get<number | undefined>('__httpCode__', context.getHandler()) ?? (req.method === 'POST' ? 201 : 200);
    const request: IdempotentRequest = {
      scope: `${req.method} ${req.route?.path ?? ''}`,
      key,
      fingerprint: requestFingerprint(req.params, req.body),
      status,
    };
    const replay = (earlier: EarlierRequest): unknown => {
      if (!sameRequest(earlier, request, req.body, options)) {
        throw new HttpFieldError(422, IDEMPOTENCY_KEY_HEADER, 'was already used for a different request');
      }
      res.status(earlier.answer.status);
      res.setHeader(REPLAYED_HEADER, 'true');
      return withHeaders(earlier.answer.body);
    };
    return from(this.keys.find(this.pool, request.scope, key)).pipe(
      switchMap((earlier) => {
        if (earlier) return of(replay(earlier));
        req.idempotency = request;
        return next.handle().pipe(
          map(withHeaders),
          catchError((error: unknown) => (error instanceof IdempotentReplay ? of(replay(error.earlier)) : throwError(() => error))),
        );
      }),
    );
  }
}

/** Records the answer of an idempotent request inside the transaction of its effect. */
export class IdempotencyRecorder {
  private readonly keys = new IdempotencyKeys();

  /**
   * Records `body` as the answer of `request` (a no-op without a key) and returns it. Throws IdempotentReplay, which
   * rolls the transaction back, when a concurrent request with the key committed first.
   */
  async record<B>(tx: Tx, request: IdempotentRequest | undefined, body: B, fingerprint?: string): Promise<B> {
    if (request === undefined) return body;
    const answer: RecordedAnswer = { status: request.status, body };
    const earlier = await this.keys.record(tx, request.scope, request.key, fingerprint ?? request.fingerprint, answer);
    if (earlier) throw new IdempotentReplay(earlier);
    return body;
  }
}

/** The Idempotency-Key of the request, once IdempotencyInterceptor accepted it; undefined without a key. */
export const IdempotencyOf = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): IdempotentRequest | undefined => ctx.switchToHttp().getRequest<RequestLike>().idempotency,
);

/** Makes a mutating route idempotent on `Idempotency-Key` and documents the header and the 422. */
export function Idempotent(options: IdempotentOptions = {}): MethodDecorator {
  return applyDecorators(
    SetMetadata(IDEMPOTENT, options),
    UseInterceptors(IdempotencyInterceptor),
    ApiHeader({
      name: IDEMPOTENCY_KEY_HEADER,
      required: false,
      schema: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' },
      description: `1-200 visible ASCII characters. The same key with the same request answers the first answer again (header ${REPLAYED_HEADER}: true); with another request, 422.`,
    }),
    ApiResponse({ status: 422, description: 'Idempotency-Key already used for a different request', schema: openApiSchemaOf(errorBodySchema) }),
  );
}
