import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../config.js';
import { authConfigOf, authConfigShape } from './index.js';

const SECRET = 'x'.repeat(32);
const load = (env: Record<string, string>) => authConfigOf(loadConfig('order', env, authConfigShape(env)).extra);

function problem(env: Record<string, string>): string {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('AUTH_* settings', () => {
  it('take a secret, a JWKS URL, an issuer and audiences', () => {
    expect(load({ AUTH_JWT_SECRET: SECRET })).toEqual({ disabled: false, jwtSecret: SECRET });
    expect(load({ AUTH_JWKS_URL: 'https://idp.example/.well-known/jwks.json', AUTH_ISSUER: 'https://idp.example', AUTH_AUDIENCE: 'fulfillment, ops' })).toEqual({
      disabled: false,
      jwksUrl: 'https://idp.example/.well-known/jwks.json',
      issuer: 'https://idp.example',
      audience: ['fulfillment', 'ops'],
    });
    expect(load({ AUTH_JWT_SECRET: SECRET, AUTH_JWKS_URL: 'http://127.0.0.1:8080/jwks' })).toMatchObject({ jwtSecret: SECRET, jwksUrl: 'http://127.0.0.1:8080/jwks' });
  });

  it('let AUTH_DISABLED=true turn checking off, without any other setting', () => {
    expect(load({ AUTH_DISABLED: 'true' })).toEqual({ disabled: true });
    expect(load({ AUTH_DISABLED: 'true', AUTH_JWT_SECRET: '' })).toEqual({ disabled: true });
  });

  it.each([
    [{}, 'AUTH_JWT_SECRET is missing: set it or AUTH_JWKS_URL to verify tokens, or AUTH_DISABLED=true to turn checking off'],
    [{ AUTH_JWT_SECRET: 'short' }, 'AUTH_JWT_SECRET is invalid ("***"): must be at least 32 characters (HS256 needs 256 bits)'],
    [{ AUTH_JWKS_URL: 'http://idp.example/jwks' }, 'AUTH_JWKS_URL is invalid ("http://idp.example/jwks"): must be an https:// URL (http:// only on localhost)'],
    [{ AUTH_JWKS_URL: 'not a url' }, 'AUTH_JWKS_URL is invalid ("not a url"): must be an https:// URL (http:// only on localhost)'],
    [{ AUTH_DISABLED: 'yes', AUTH_JWT_SECRET: SECRET }, 'AUTH_DISABLED is invalid ("yes"): must be true or false'],
  ])('refuse %j with one line naming the setting', (env, message) => {
    expect(problem(env)).toBe(`order-service: invalid configuration: ${message}`);
  });
});
