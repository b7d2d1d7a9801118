// Local runs stay easy with authentication on (SPEC 12): when no AUTH_* setting is given, a random HS256 secret is
// kept in .local/auth-secret (made once, mode 0600) and a one-day token with every scope is written to
// .local/dev-token. The services get the secret as AUTH_JWT_SECRET; `npm run token` signs with the same secret.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { SignJWT } from 'jose';
import { root } from './run.mjs';

/** SPEC 12's scopes that grant access; `customer` only narrows a token to one customer's data. Kept equal to libs/platform's STAFF_SCOPES by a test. */
export const STAFF_SCOPES = ['orders:read', 'orders:write', 'inventory:read', 'inventory:write', 'purchasing:read', 'purchasing:write', 'notifications:read', 'admin'];
export const ALL_SCOPES = [...STAFF_SCOPES, 'customer'];

const localDir = (base) => path.join(base, '.local');
export const secretFile = (base = root) => path.join(localDir(base), 'auth-secret');
export const devTokenFile = (base = root) => path.join(localDir(base), 'dev-token');

const TTL = /^([1-9][0-9]*)(s|m|h|d)$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600, d: 86_400 };

export function ttlSeconds(ttl) {
  const match = TTL.exec(ttl);
  if (!match) throw new Error(`--ttl "${ttl}" must be a number followed by s, m, h or d (e.g. 1h)`);
  return Number(match[1]) * UNIT_SECONDS[match[2]];
}

/** Whether the environment already says how to check tokens (then nothing local is made). */
export function authConfigured(env = process.env) {
  return Boolean(env.AUTH_JWT_SECRET || env.AUTH_JWKS_URL || env.AUTH_DISABLED === 'true');
}

/** The local secret, made on first use: 32 random bytes, readable by its owner only. */
export function ensureSecret(base = root) {
  const file = secretFile(base);
  fs.mkdirSync(localDir(base), { recursive: true });
  try {
    fs.writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
  }
  return fs.readFileSync(file, 'utf8').trim();
}

/** An HS256 token as the services verify it (sub, space-separated scope, iat, exp; iss and aud when given). */
export async function signToken({ secret, subject, scopes, ttl = '1h', issuer, audience }) {
  const now = Math.floor(Date.now() / 1000);
  let jwt = new SignJWT({ scope: scopes.join(' ') })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(subject)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds(ttl));
  if (issuer) jwt = jwt.setIssuer(issuer);
  if (audience) jwt = jwt.setAudience(audience);
  return jwt.sign(new TextEncoder().encode(secret));
}

/**
 * For `npm start`: the environment to add to the services' (AUTH_JWT_SECRET), and a line saying how to use the dev
 * token. Empty when the environment already configures authentication, which the services then read themselves.
 */
export async function devAuth({ env = process.env, base = root } = {}) {
  if (authConfigured(env)) return { env: {}, message: undefined };
  const secret = ensureSecret(base);
  const token = await signToken({ secret, subject: 'dev', scopes: STAFF_SCOPES, ttl: '1d', issuer: env.AUTH_ISSUER, audience: env.AUTH_AUDIENCE?.split(',')[0]?.trim() });
  fs.writeFileSync(devTokenFile(base), `${token}\n`, { mode: 0o600 });
  fs.chmodSync(devTokenFile(base), 0o600);
  const relative = path.relative(process.cwd(), devTokenFile(base)) || devTokenFile(base);
  return {
    env: { AUTH_JWT_SECRET: secret },
    message:
      `A token with every scope, valid one day, is in ${relative}: ` +
      `curl -H "Authorization: Bearer $(cat ${relative})" http://127.0.0.1:3001/orders?customerId=cust-1 ` +
      '(npm run token -- --scope "orders:read" --sub cust-1 makes others)',
  };
}
