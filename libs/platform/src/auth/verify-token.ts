import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey, type JWTVerifyOptions } from 'jose';
import type { AuthConfig } from './auth-settings.js';

/** Who a verified token speaks for: its `sub`, and the scopes of its space-separated `scope` claim. */
export interface Principal {
  readonly subject: string;
  readonly scopes: ReadonlySet<string>;
}

/**
 * Why a request is not authenticated. All but `keys-unavailable` are the caller's fault (HTTP 401);
 * `keys-unavailable` means the JWKS could not be fetched, which is ours.
 */
export type AuthFailureReason =
  | 'missing'
  | 'malformed'
  | 'expired'
  | 'not-yet-valid'
  | 'bad-signature'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'keys-unavailable';

export class AuthError extends Error {
  override readonly name = 'AuthError';

  constructor(
    readonly reason: AuthFailureReason,
    message: string,
  ) {
    super(message);
  }
}

export type AuthResult = { ok: true; principal: Principal } | { ok: false; error: AuthError };

export type TokenVerifier = (authorization: string | undefined) => Promise<AuthResult>;

/**
 * Verified tokens kept, so a client that sends the same token with every request (a shop's service token, a
 * customer's session) costs one signature check, not one per request. Bounded in number and age: an entry is used
 * until the token expires, at most this long, so a key withdrawn from the JWKS stops verifying tokens within it.
 */
export const VERIFIED_TOKEN_CACHE = { entries: 10_000, maxAgeMs: 5 * 60_000 } as const;

const HMAC_ALGORITHMS = ['HS256'];
const JWKS_ALGORITHMS = ['RS256', 'ES256'];
// Tokens minted a moment apart on two machines must not fail on their clocks.
const CLOCK_TOLERANCE_SECONDS = 30;
const BEARER = /^Bearer[ ]+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*)[ ]*$/i;

const fail = (reason: AuthFailureReason, message: string): AuthResult => ({ ok: false, error: new AuthError(reason, message) });

/** The scope claim as a set: SPEC 12 says a space-separated string; some issuers send an array of strings. */
function scopesOf(payload: JWTPayload): Set<string> | undefined {
  const claim = payload.scope;
  if (claim === undefined) return new Set();
  if (typeof claim === 'string') return new Set(claim.split(' ').filter(Boolean));
  if (Array.isArray(claim) && claim.every((scope) => typeof scope === 'string')) return new Set(claim as string[]);
  return undefined;
}

/** jose's errors as the reasons a caller can act on; messages never quote the token. */
function failureOf(error: unknown): AuthResult {
  if (error instanceof errors.JWTExpired) return fail('expired', 'token has expired');
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return fail('wrong-issuer', 'token is from another issuer');
    if (error.claim === 'aud') return fail('wrong-audience', 'token is for another audience');
    if (error.claim === 'nbf') return fail('not-yet-valid', 'token is not valid yet');
    return fail('malformed', `token claim "${error.claim}" is invalid`);
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return fail('bad-signature', 'token signature does not verify');
  if (error instanceof errors.JOSEAlgNotAllowed) return fail('bad-signature', 'token is signed with an algorithm this service does not accept');
  if (error instanceof errors.JWKSNoMatchingKey) return fail('bad-signature', 'token is signed with a key the JWKS does not hold');
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return fail('malformed', 'token is not a valid JWT');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) {
    return fail('keys-unavailable', 'the signing keys (AUTH_JWKS_URL) could not be fetched');
  }
  if (error instanceof errors.JOSEError) return fail('malformed', 'token is not a valid JWT');
  // Anything else comes from fetching the JWKS (connection refused, DNS): the token was not judged.
  return fail('keys-unavailable', 'the signing keys (AUTH_JWKS_URL) could not be fetched');
}

/**
 * A verifier of `Authorization: Bearer <JWT>` headers: HS256 with AUTH_JWT_SECRET, RS256 / ES256 with the keys of
 * AUTH_JWKS_URL (fetched and cached by jose), issuer and audience checked when configured, `exp` and `nbf` always.
 * Each key only verifies its own algorithms, so an HS256 token cannot pass as signed by a public key. Never throws.
 * A token verified once is not checked again until it expires or VERIFIED_TOKEN_CACHE.maxAgeMs passed (`cacheHits`
 * counts the requests that were spared the check); refusals are never kept.
 */
export function createTokenVerifier(config: Exclude<AuthConfig, { disabled: true }>): TokenVerifier & { cacheHits: number } {
  const secret = config.jwtSecret === undefined ? undefined : new TextEncoder().encode(config.jwtSecret);
  const jwks = config.jwksUrl === undefined ? undefined : createRemoteJWKSet(new URL(config.jwksUrl));
  if (secret === undefined && jwks === undefined) throw new Error('createTokenVerifier needs jwtSecret or jwksUrl');
  const algorithms = [...(secret ? HMAC_ALGORITHMS : []), ...(jwks ? JWKS_ALGORITHMS : [])];
  const options: JWTVerifyOptions = {
    algorithms,
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
    ...(config.issuer === undefined ? {} : { issuer: config.issuer }),
    ...(config.audience === undefined ? {} : { audience: [...config.audience] }),
  };
  const keyFor: JWTVerifyGetKey = (header, token) => {
    if (HMAC_ALGORITHMS.includes(header.alg)) {
      if (secret) return secret;
    } else if (jwks) {
      return jwks(header, token);
    }
    throw new errors.JOSEAlgNotAllowed(`"alg" (Algorithm) Header Parameter value not allowed`);
  };

  // Insertion order is age order: the first key is the oldest entry.
  const verified = new Map<string, { principal: Principal; usableUntil: number }>();
  const verifier = async (authorization: string | undefined): Promise<AuthResult> => {
    if (authorization === undefined || authorization.trim() === '') return fail('missing', 'no bearer token (Authorization: Bearer <JWT>)');
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined) return fail('malformed', 'Authorization must be "Bearer <JWT>"');
    const now = Date.now();
    const known = verified.get(token);
    if (known !== undefined) {
      if (now < known.usableUntil) {
        verifier.cacheHits += 1;
        return { ok: true, principal: known.principal };
      }
      verified.delete(token);
    }
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keyFor, options));
    } catch (error) {
      return failureOf(error);
    }
    if (typeof payload.sub !== 'string' || payload.sub === '') return fail('malformed', 'token has no "sub" claim');
    const scopes = scopesOf(payload);
    if (scopes === undefined) return fail('malformed', 'token "scope" claim must be a space-separated string');
    const principal: Principal = { subject: payload.sub, scopes };
    // Past its exp (with the same tolerance jose allowed) the token is verified again, and refused as expired.
    const expiresAt = payload.exp === undefined ? Infinity : (payload.exp + CLOCK_TOLERANCE_SECONDS) * 1000;
    if (verified.size >= VERIFIED_TOKEN_CACHE.entries) verified.delete(verified.keys().next().value!);
    verified.set(token, { principal, usableUntil: Math.min(expiresAt, now + VERIFIED_TOKEN_CACHE.maxAgeMs) });
    return { ok: true, principal };
  };
  verifier.cacheHits = 0;
  return verifier;
}
