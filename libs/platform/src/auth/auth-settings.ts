import { z } from 'zod';

// AUTH_* settings (SPEC 12 "HTTP"), as a shape to merge into a service's configuration (loadConfig's `extra`). The
// platform takes a shape, not an object schema, so the rule across settings (some way to verify tokens, unless
// checking is off) is stated on the dependent field, from the environment the shape is built for.

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

const jwksUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
  } catch {
    return false;
  }
}, 'must be an https:// URL (http:// only on localhost)');

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((value) => value === 'true');

/** An empty variable (as compose files and shells leave them) means "not set". */
const optional = <S extends z.ZodType>(schema: S) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());

export const MIN_SECRET_LENGTH = 32;

export function authConfigShape(env: NodeJS.ProcessEnv = process.env) {
  const disabled = env.AUTH_DISABLED === 'true';
  const jwks = env.AUTH_JWKS_URL !== undefined && env.AUTH_JWKS_URL !== '';
  const secret = z.string().min(MIN_SECRET_LENGTH, `must be at least ${MIN_SECRET_LENGTH} characters (HS256 needs 256 bits)`);
  return {
    AUTH_DISABLED: flag.default(false),
    AUTH_JWT_SECRET:
      disabled || jwks
        ? optional(secret)
        : z.string({ error: 'set it or AUTH_JWKS_URL to verify tokens, or AUTH_DISABLED=true to turn checking off' }).pipe(secret),
    AUTH_JWKS_URL: optional(jwksUrl),
    AUTH_ISSUER: optional(z.string().min(1)),
    /** One audience, or several separated by commas: a token must name one of them. */
    AUTH_AUDIENCE: optional(z.string().min(1)),
  };
}

export type AuthSettings = z.infer<z.ZodObject<ReturnType<typeof authConfigShape>>>;

/** How tokens are checked, from the validated settings. */
export type AuthConfig =
  | { readonly disabled: true }
  | {
      readonly disabled: false;
      readonly jwtSecret?: string;
      readonly jwksUrl?: string;
      readonly issuer?: string;
      readonly audience?: readonly string[];
    };

export function authConfigOf(settings: AuthSettings): AuthConfig {
  if (settings.AUTH_DISABLED) return { disabled: true };
  return {
    disabled: false,
    ...(settings.AUTH_JWT_SECRET === undefined ? {} : { jwtSecret: settings.AUTH_JWT_SECRET }),
    ...(settings.AUTH_JWKS_URL === undefined ? {} : { jwksUrl: settings.AUTH_JWKS_URL }),
    ...(settings.AUTH_ISSUER === undefined ? {} : { issuer: settings.AUTH_ISSUER }),
    ...(settings.AUTH_AUDIENCE === undefined
      ? {}
      : { audience: settings.AUTH_AUDIENCE.split(',').map((audience) => audience.trim()).filter(Boolean) }),
  };
}

/** The line to log at start when checking is off, so nobody runs that way without noticing. */
export const AUTH_DISABLED_WARNING = 'AUTH_DISABLED=true: HTTP requests are not authenticated; every caller has every scope';
