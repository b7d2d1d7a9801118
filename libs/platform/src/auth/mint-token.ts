import { SignJWT } from 'jose';

export interface MintTokenOptions {
  /** AUTH_JWT_SECRET of the services that will verify it */
  readonly secret: string;
  readonly subject: string;
  readonly scopes: readonly string[];
  /** Lifetime: seconds, or "90s", "30m", "1h", "1d" (default 1h). */
  readonly ttl?: number | string;
  readonly issuer?: string;
  readonly audience?: string;
  /** When the token is issued (default now); tests back-date tokens with it. */
  readonly now?: Date;
}

const TTL = /^([1-9][0-9]*)(s|m|h|d)$/;
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** "90s", "30m", "1h", "1d" (or a number of seconds) in seconds. */
export function ttlSeconds(ttl: number | string): number {
  if (typeof ttl === 'number') {
    if (!Number.isInteger(ttl) || ttl <= 0) throw new RangeError(`ttl ${ttl} must be a positive number of seconds`);
    return ttl;
  }
  const match = TTL.exec(ttl);
  if (!match) throw new RangeError(`ttl "${ttl}" must be a number followed by s, m, h or d (e.g. 1h)`);
  return Number(match[1]) * UNIT_SECONDS[match[2]!]!;
}

/** An HS256 token the verifier of the same secret accepts, for tests, tools and local runs. */
export async function mintToken(options: MintTokenOptions): Promise<string> {
  const issuedAt = Math.floor((options.now ?? new Date()).getTime() / 1000);
  let jwt = new SignJWT({ scope: options.scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(options.subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds(options.ttl ?? '1h'));
  if (options.issuer !== undefined) jwt = jwt.setIssuer(options.issuer);
  if (options.audience !== undefined) jwt = jwt.setAudience(options.audience);
  return jwt.sign(new TextEncoder().encode(options.secret));
}
