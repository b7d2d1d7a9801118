import { describe, expect, it } from '@jest/globals';
import { httpErrorOf } from '@fulfillment/platform';
import { upstreamRefusal } from './upstream-refusal.js';
import { bearerTokenOf } from './operator.js';
import { causeOf } from './upstream.client.js';

const answer = (status: number, body: unknown) => httpErrorOf(upstreamRefusal('inventory', 'http://127.0.0.1:3002', { kind: 'answered', status, body }));

describe('what the console answers when a service refuses or fails', () => {
  it('a service that does not answer is a 502 naming it, its address and why', () => {
    expect(httpErrorOf(upstreamRefusal('order', 'http://127.0.0.1:3001', { kind: 'unreachable', cause: 'ECONNREFUSED' }))).toEqual({
      statusCode: 502,
      error: 'Bad Gateway',
      message: 'order does not answer at http://127.0.0.1:3001 (ECONNREFUSED)',
      code: 'service-unreachable',
    });
  });

  it('a refused token stays 401, a missing scope 403: the page asks to sign in', () => {
    expect(answer(401, { statusCode: 401, message: 'invalid token' })).toMatchObject({ statusCode: 401, message: 'inventory refused the token: invalid token', code: 'token-refused' });
    expect(answer(403, { statusCode: 403, message: 'needs scope admin' })).toMatchObject({ statusCode: 403, code: 'token-lacks-scope' });
  });

  it("bad input keeps the service's 400 and the field it names, once", () => {
    expect(answer(400, { statusCode: 400, message: 'sku: must not be empty', field: 'sku' })).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'sku: must not be empty',
      field: 'sku',
    });
    expect(answer(404, { statusCode: 404, message: 'order o-1 not found' })).toMatchObject({ statusCode: 404, message: 'order o-1 not found' });
    expect(answer(409, { statusCode: 409, message: 'no', code: 'refused' })).toMatchObject({ statusCode: 409, code: 'refused' });
  });

  it("a service's failure is a 502 with its status and words, also when it sent no JSON", () => {
    expect(answer(503, { statusCode: 503, message: 'the dead letters of order.events cannot be read now' })).toMatchObject({
      statusCode: 502,
      message: 'inventory failed: 503 the dead letters of order.events cannot be read now',
      code: 'service-failed',
    });
    expect(answer(500, '<html>oops</html>')).toMatchObject({ statusCode: 502, message: 'inventory failed: 500 <html>oops</html>' });
    expect(answer(418, undefined)).toMatchObject({ statusCode: 502, message: 'inventory failed: 418 status 418' });
  });
});

describe('bearerTokenOf', () => {
  it('takes the JWT of "Bearer <JWT>"', () => {
    expect(bearerTokenOf('Bearer aaa.bbb.ccc')).toBe('aaa.bbb.ccc');
  });

  it('refuses a missing or malformed header with a 401 naming Authorization', () => {
    for (const header of [undefined, '', 'Basic dXNlcjpwYXNz', 'Bearer not-a-jwt', 'Bearer a.b.c d', ['Bearer a.b.c', 'Bearer d.e.f']]) {
      let refused: unknown;
      try {
        bearerTokenOf(header);
      } catch (e) {
        refused = e;
      }
      expect(httpErrorOf(refused)).toMatchObject({ statusCode: 401, field: 'Authorization' });
    }
  });
});

describe('causeOf', () => {
  it('says why a request got no answer in a word', () => {
    expect(causeOf(Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED' } }), 100)).toBe('ECONNREFUSED');
    expect(causeOf(Object.assign(new Error('aborted'), { name: 'TimeoutError' }), 250)).toBe('no answer within 250 ms');
    expect(causeOf(Object.assign(new Error('fetch failed'), { cause: { errors: [{ code: 'EHOSTUNREACH' }] } }), 100)).toBe('EHOSTUNREACH');
    expect(causeOf(new Error('other'), 100)).toBe('other');
  });
});
