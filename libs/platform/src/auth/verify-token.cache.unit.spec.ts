import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { createTokenVerifier, mintToken, VERIFIED_TOKEN_CACHE, type AuthResult } from './index.js';

const SECRET = 'a-local-secret-of-at-least-32-characters';
const START = new Date('2026-12-01T10:00:00.000Z');
const bearer = (token: string) => `Bearer ${token}`;
const reasonOf = (result: AuthResult) => (result.ok ? 'verified' : result.error.reason);

// Only the clock is faked: jose's WebCrypto and the promises around it run as they do in production.
beforeEach(() => {
  jest.useFakeTimers({ now: START, doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'hrtime', 'performance'] });
});
afterEach(() => {
  jest.useRealTimers();
});

describe('a verified token is kept', () => {
  it('checks the signature of a token sent again only once', async () => {
    const verify = createTokenVerifier({ disabled: false, jwtSecret: SECRET });
    const token = await mintToken({ secret: SECRET, subject: 'shop', scopes: ['orders:write'], now: START });
    const answers = [await verify(bearer(token)), await verify(bearer(token)), await verify(`bearer  ${token}`)];
    expect(answers.map((answer) => answer.ok && [answer.principal.subject, [...answer.principal.scopes]])).toEqual(Array(3).fill(['shop', ['orders:write']]));
    expect(verify.cacheHits).toBe(2);
  });

  it('refuses a kept token once it expired (with the 30 s tolerance), as a new one would be', async () => {
    const verify = createTokenVerifier({ disabled: false, jwtSecret: SECRET });
    const token = await mintToken({ secret: SECRET, subject: 'shop', scopes: [], ttl: '60s', now: START });
    expect(reasonOf(await verify(bearer(token)))).toBe('verified');
    jest.setSystemTime(START.getTime() + 89_000);
    expect(reasonOf(await verify(bearer(token)))).toBe('verified');
    jest.setSystemTime(START.getTime() + 91_000);
    expect(reasonOf(await verify(bearer(token)))).toBe('expired');
    expect(verify.cacheHits).toBe(1);
  });

  it(`checks a long-lived token again after ${VERIFIED_TOKEN_CACHE.maxAgeMs / 60_000} minutes`, async () => {
    const verify = createTokenVerifier({ disabled: false, jwtSecret: SECRET });
    const token = await mintToken({ secret: SECRET, subject: 'shop', scopes: [], ttl: '1d', now: START });
    await verify(bearer(token));
    jest.setSystemTime(START.getTime() + VERIFIED_TOKEN_CACHE.maxAgeMs - 1);
    await verify(bearer(token));
    expect(verify.cacheHits).toBe(1);
    jest.setSystemTime(START.getTime() + VERIFIED_TOKEN_CACHE.maxAgeMs);
    expect(reasonOf(await verify(bearer(token)))).toBe('verified');
    expect(verify.cacheHits).toBe(1);
  });

  it('never keeps a refusal, nor lets a token signed with another key ride on a kept one', async () => {
    const verify = createTokenVerifier({ disabled: false, jwtSecret: SECRET });
    const good = await mintToken({ secret: SECRET, subject: 'shop', scopes: ['admin'], now: START });
    const forged = await mintToken({ secret: 'another-secret-of-at-least-32-characters', subject: 'shop', scopes: ['admin'], now: START });
    await verify(bearer(good));
    expect([reasonOf(await verify(bearer(forged))), reasonOf(await verify(bearer(forged)))]).toEqual(['bad-signature', 'bad-signature']);
    expect(verify.cacheHits).toBe(0);
  });

  it(`keeps at most ${VERIFIED_TOKEN_CACHE.entries} tokens, dropping the oldest first`, async () => {
    const verify = createTokenVerifier({ disabled: false, jwtSecret: SECRET });
    const tokens = await Promise.all(
      Array.from({ length: VERIFIED_TOKEN_CACHE.entries + 1 }, (_, i) => mintToken({ secret: SECRET, subject: `customer-${i}`, scopes: ['customer'], now: START })),
    );
    for (const token of tokens) await verify(bearer(token));
    expect(verify.cacheHits).toBe(0);
    await verify(bearer(tokens.at(-1)!));
    expect(verify.cacheHits).toBe(1);
    await verify(bearer(tokens[0]!));
    expect(verify.cacheHits).toBe(1);
  }, 60_000);
});
