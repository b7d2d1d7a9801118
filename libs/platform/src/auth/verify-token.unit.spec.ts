import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompactSign, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createTokenVerifier, mintToken, SCOPES, STAFF_SCOPES, type AuthResult, type TokenVerifier } from './index.js';

const SECRET = 'a-local-secret-of-at-least-32-characters';
const bearer = (token: string) => `Bearer ${token}`;

function principalOf(result: AuthResult) {
  if (!result.ok) throw new Error(`expected the token to verify, it failed: ${result.error.reason} (${result.error.message})`);
  return result.principal;
}
function reasonOf(result: AuthResult) {
  if (result.ok) throw new Error('expected the token to be refused');
  return result.error.reason;
}

describe('createTokenVerifier with AUTH_JWT_SECRET (HS256)', () => {
  const verify = createTokenVerifier({ disabled: false, jwtSecret: SECRET });

  it('returns the subject and the scopes of a valid token', async () => {
    const token = await mintToken({ secret: SECRET, subject: 'cust-1', scopes: ['orders:read', 'orders:write'] });
    const principal = principalOf(await verify(bearer(token)));
    expect(principal.subject).toBe('cust-1');
    expect([...principal.scopes].sort()).toEqual(['orders:read', 'orders:write']);
  });

  it('reads the scheme case-insensitively, and a token without scope as one with no scopes', async () => {
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject('svc').setExpirationTime('5m').sign(new TextEncoder().encode(SECRET));
    expect(principalOf(await verify(`bearer ${token}`)).scopes.size).toBe(0);
  });

  it('says the token is missing when there is no header, and malformed when it is not a bearer JWT', async () => {
    expect(reasonOf(await verify(undefined))).toBe('missing');
    expect(reasonOf(await verify('  '))).toBe('missing');
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer not-a-jwt', 'Bearer a.b.c.d', `Token ${await mintToken({ secret: SECRET, subject: 's', scopes: [] })}`]) {
      expect({ header, reason: reasonOf(await verify(header)) }).toEqual({ header, reason: 'malformed' });
    }
    // Signed with the right key, yet its payload is no claims set.
    const notClaims = await new CompactSign(new TextEncoder().encode('not json')).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));
    expect(reasonOf(await verify(bearer(notClaims)))).toBe('malformed');
    // Whatever its payload, a wrong signature is what is found first.
    expect(reasonOf(await verify('Bearer eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln'))).toBe('bad-signature');
  });

  it('refuses an expired token and one not valid yet', async () => {
    const expired = await mintToken({ secret: SECRET, subject: 's', scopes: [], ttl: '1h', now: new Date(Date.now() - 2 * 3600_000) });
    expect(reasonOf(await verify(bearer(expired)))).toBe('expired');
    const early = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('s')
      .setNotBefore('10m')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(SECRET));
    expect(reasonOf(await verify(bearer(early)))).toBe('not-yet-valid');
  });

  it('refuses a token signed with another secret, or with none', async () => {
    const forged = await mintToken({ secret: 'another-secret-of-at-least-32-characters', subject: 's', scopes: ['admin'] });
    expect(reasonOf(await verify(bearer(forged)))).toBe('bad-signature');
    // alg "none": an unsigned token claiming every scope.
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 's', scope: 'admin', exp: Math.floor(Date.now() / 1000) + 60 })).toString('base64url');
    expect(reasonOf(await verify(`Bearer ${header}.${payload}.`))).toBe('bad-signature');
  });

  it('refuses a token without sub, or whose scope is not a string', async () => {
    const key = new TextEncoder().encode(SECRET);
    const anonymous = await new SignJWT({ scope: 'admin' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(key);
    expect(reasonOf(await verify(bearer(anonymous)))).toBe('malformed');
    const odd = await new SignJWT({ scope: 7 }).setProtectedHeader({ alg: 'HS256' }).setSubject('s').setExpirationTime('5m').sign(key);
    expect(reasonOf(await verify(bearer(odd)))).toBe('malformed');
    const listed = await new SignJWT({ scope: ['orders:read'] }).setProtectedHeader({ alg: 'HS256' }).setSubject('s').setExpirationTime('5m').sign(key);
    expect([...principalOf(await verify(bearer(listed))).scopes]).toEqual(['orders:read']);
  });

  it('never repeats the token in its message', async () => {
    const token = await mintToken({ secret: 'another-secret-of-at-least-32-characters', subject: 'cust-secret-id', scopes: [] });
    const result = await verify(bearer(token));
    expect(result.ok).toBe(false);
    expect(JSON.stringify(!result.ok && { message: result.error.message })).not.toContain(token.slice(0, 20));
  });
});

describe('createTokenVerifier with AUTH_ISSUER and AUTH_AUDIENCE', () => {
  const verify = createTokenVerifier({ disabled: false, jwtSecret: SECRET, issuer: 'https://auth.example', audience: ['fulfillment', 'ops'] });
  const mint = (claims: { issuer?: string; audience?: string }) => mintToken({ secret: SECRET, subject: 's', scopes: ['orders:read'], ...claims });

  it('accepts the issuer and any one of the audiences', async () => {
    expect(principalOf(await verify(bearer(await mint({ issuer: 'https://auth.example', audience: 'ops' })))).subject).toBe('s');
  });

  it('refuses another issuer, another audience, and a token naming neither', async () => {
    expect(reasonOf(await verify(bearer(await mint({ issuer: 'https://evil.example', audience: 'ops' }))))).toBe('wrong-issuer');
    expect(reasonOf(await verify(bearer(await mint({ issuer: 'https://auth.example', audience: 'billing' }))))).toBe('wrong-audience');
    expect(reasonOf(await verify(bearer(await mint({ audience: 'ops' }))))).toBe('wrong-issuer');
    expect(reasonOf(await verify(bearer(await mint({ issuer: 'https://auth.example' }))))).toBe('wrong-audience');
  });
});

describe('createTokenVerifier with AUTH_JWKS_URL (RS256 and ES256)', () => {
  let server: http.Server;
  let jwksUrl: string;
  let jwksRequests = 0;
  const keys: Record<'RS256' | 'ES256', { privateKey: CryptoKey; jwk: JWK }> = {} as never;
  let stranger: CryptoKey;
  let verify: TokenVerifier;

  const sign = (alg: 'RS256' | 'ES256', key: CryptoKey, kid: string = alg) =>
    new SignJWT({ scope: STAFF_SCOPES.join(' ') })
      .setProtectedHeader({ alg, kid })
      .setSubject('ops-1')
      .setIssuer('https://idp.example')
      .setExpirationTime('5m')
      .sign(key);

  beforeAll(async () => {
    for (const alg of ['RS256', 'ES256'] as const) {
      const { privateKey, publicKey } = await generateKeyPair(alg);
      keys[alg] = { privateKey, jwk: { ...(await exportJWK(publicKey)), kid: alg, alg, use: 'sig' } };
    }
    stranger = (await generateKeyPair('ES256')).privateKey;
    server = http.createServer((req, res) => {
      jwksRequests += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [keys.RS256.jwk, keys.ES256.jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
    verify = createTokenVerifier({ disabled: false, jwksUrl, issuer: 'https://idp.example' });
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it.each(['RS256', 'ES256'] as const)('verifies a %s token against the published keys, fetching them once', async (alg) => {
    const before = jwksRequests;
    for (let i = 0; i < 3; i++) {
      const principal = principalOf(await verify(bearer(await sign(alg, keys[alg].privateKey))));
      expect(principal.subject).toBe('ops-1');
      expect(principal.scopes.has(SCOPES.admin)).toBe(true);
    }
    expect(jwksRequests - before).toBeLessThanOrEqual(1);
  });

  it('refuses a token signed by a key the JWKS does not hold, or under another kid', async () => {
    expect(reasonOf(await verify(bearer(await sign('ES256', stranger))))).toBe('bad-signature');
    expect(reasonOf(await verify(bearer(await sign('ES256', stranger, 'unknown-kid'))))).toBe('bad-signature');
  });

  it('refuses an HS256 token when only a JWKS is configured (no algorithm confusion)', async () => {
    const hmac = await mintToken({ secret: SECRET, subject: 'ops-1', scopes: ['admin'], issuer: 'https://idp.example' });
    expect(reasonOf(await verify(bearer(hmac)))).toBe('bad-signature');
  });

  it('says so when the keys cannot be fetched', async () => {
    const unreachable = createTokenVerifier({ disabled: false, jwksUrl: 'http://127.0.0.1:9/jwks.json' });
    expect(reasonOf(await unreachable(bearer(await sign('RS256', keys.RS256.privateKey))))).toBe('keys-unavailable');
  });

  it('takes HS256 and JWKS tokens side by side when both are configured, each with its own key', async () => {
    const both = createTokenVerifier({ disabled: false, jwtSecret: SECRET, jwksUrl });
    expect(principalOf(await both(bearer(await mintToken({ secret: SECRET, subject: 'tool', scopes: [] })))).subject).toBe('tool');
    expect(principalOf(await both(bearer(await sign('ES256', keys.ES256.privateKey)))).subject).toBe('ops-1');
  });
});

describe('mintToken', () => {
  it('refuses a lifetime it cannot read', async () => {
    await expect(mintToken({ secret: SECRET, subject: 's', scopes: [], ttl: 'soon' })).rejects.toThrow('ttl "soon" must be a number followed by s, m, h or d');
    await expect(mintToken({ secret: SECRET, subject: 's', scopes: [], ttl: 0 })).rejects.toThrow('ttl 0 must be a positive number of seconds');
  });

  it('sets exp from its own clock', async () => {
    const now = new Date('2026-12-01T10:00:00.000Z');
    const token = await mintToken({ secret: SECRET, subject: 's', scopes: [], ttl: '1d', now });
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
    expect(payload.exp - payload.iat).toBe(86_400);
    expect(payload.iat).toBe(now.getTime() / 1000);
  });
});
