import {
  applyDecorators,
  createParamDecorator,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiBearerAuth, ApiExtension, ApiResponse } from '@nestjs/swagger';
import type { AuthConfig } from '../auth/auth-settings.js';
import { SCOPES, STAFF_SCOPES, type Scope } from '@fulfillment/contracts';
import { createTokenVerifier, type TokenVerifier } from '../auth/verify-token.js';
import { openApiSchemaOf } from '../openapi.js';
import { errorBodySchema } from './error-body.js';
import { HttpFieldError } from './http-field-error.js';

const REQUIRES = Symbol('requires-scopes');
const PUBLIC = Symbol('public-route');

export interface ScopeRule {
  /** Scopes that grant the route; one of them is enough. */
  readonly anyOf: readonly Scope[];
  /** Whether a customer token (`customer` scope, `sub` = customerId) may call it, for the customer's own data. */
  readonly customer: boolean;
}

/** Who called: the token's subject and scopes; `customerId` is set for a customer token (SPEC 12). */
export interface Caller {
  readonly subject: string;
  readonly scopes: ReadonlySet<string>;
  readonly customerId: string | null;
}

interface RequestLike {
  headers: Record<string, string | string[] | undefined>;
  caller?: Caller;
}
interface ResponseLike {
  setHeader(name: string, value: string): void;
}

/** The route needs one of `anyOf` (or, with `customer: true`, a customer token for the caller's own data). */
export function RequiresScope(anyOf: Scope | readonly Scope[], options: { customer?: boolean } = {}): MethodDecorator & ClassDecorator {
  const rule: ScopeRule = { anyOf: typeof anyOf === 'string' ? [anyOf] : anyOf, customer: options.customer ?? false };
  const needed = [...rule.anyOf, ...(rule.customer ? [`${SCOPES.customer} (own data)`] : [])].join(' or ');
  return applyDecorators(
    SetMetadata(REQUIRES, rule),
    ApiBearerAuth(),
    ApiExtension('x-required-scopes', needed),
    ApiResponse({ status: 401, description: 'no valid bearer token', schema: openApiSchemaOf(errorBodySchema) }),
    ApiResponse({ status: 403, description: `the token lacks the scope: ${needed}`, schema: openApiSchemaOf(errorBodySchema) }),
  );
}

/** A route anyone may call (health, metrics). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC, true);

/**
 * Throws a 404 when a customer token asks for another customer's data, so ids cannot be probed; staff tokens pass.
 * `ownerId` is the customer the data belongs to, or undefined when it does not exist (a 404 anyway).
 */
export function ensureOwnData(caller: Caller, ownerId: string | undefined, notFound: string): void {
  if (caller.customerId !== null && caller.customerId !== ownerId) throw new HttpFieldError(404, undefined, notFound);
}

/** The request's caller, once AuthGuard let it through. */
export const CallerOf = createParamDecorator((_: unknown, ctx: ExecutionContext): Caller => {
  const caller = ctx.switchToHttp().getRequest<RequestLike>().caller;
  if (caller === undefined) throw new Error('CallerOf on a route AuthGuard did not check');
  return caller;
});

const EVERYONE: Caller = { subject: 'anonymous', scopes: new Set(STAFF_SCOPES), customerId: null };

/**
 * SPEC 12 on every route: a valid bearer token (401 without one, naming why) with a scope the route declares (403
 * otherwise). A route that declares nothing is refused rather than left open: forgetting `@RequiresScope` fails
 * closed. With AUTH_DISABLED every caller holds every staff scope.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly verify: TokenVerifier | undefined;

  constructor(
    private readonly reflector: Reflector,
    config: AuthConfig,
  ) {
    this.verify = config.disabled ? undefined : createTokenVerifier(config);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const http = context.switchToHttp();
    const req = http.getRequest<RequestLike>();
    if (this.verify === undefined) {
      req.caller = EVERYONE;
      return true;
    }
    const header = req.headers.authorization;
    const result = await this.verify(Array.isArray(header) ? undefined : header);
    if (!result.ok) {
      // The keys could not be fetched: not the caller's fault, and worth retrying.
      if (result.error.reason === 'keys-unavailable') throw new HttpFieldError(503, undefined, result.error.message, result.error.reason);
      http.getResponse<ResponseLike>().setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw new HttpFieldError(401, 'Authorization', result.error.message, result.error.reason);
    }
    const { subject, scopes } = result.principal;
    const caller: Caller = { subject, scopes, customerId: scopes.has(SCOPES.customer) ? subject : null };
    const rule = this.reflector.getAllAndOverride<ScopeRule | undefined>(REQUIRES, targets);
    const granted =
      rule !== undefined && (caller.customerId !== null ? rule.customer : rule.anyOf.some((scope) => scopes.has(scope)));
    if (!granted) {
      const needed = rule === undefined ? 'a scope this route does not declare' : rule.anyOf.join(' or ');
      throw new HttpFieldError(403, undefined, `the token lacks the scope: ${needed}`, 'insufficient-scope');
    }
    req.caller = caller;
    return true;
  }
}
