// The local tooling (infra/local/dev-auth.mjs for `npm start`, token.mjs for `npm run token`) mints tokens without the
// built libraries; these tests hold it to what the services' verifier accepts.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@fulfillment/testing';
import { ALL_SCOPES, createTokenVerifier, STAFF_SCOPES, type AuthResult } from './index.js';

interface DevAuthModule {
  STAFF_SCOPES: string[];
  ALL_SCOPES: string[];
  devAuth(opts: { env: Record<string, string>; base: string }): Promise<{ env: Record<string, string>; message?: string }>;
  signToken(opts: { secret: string; subject: string; scopes: string[]; ttl?: string; issuer?: string; audience?: string }): Promise<string>;
}

let tooling: DevAuthModule;
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-auth-'));
const tokenScript = () => path.join(repoRoot(), 'infra/local/token.mjs');
const payloadOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
const principalOf = (result: AuthResult) => {
  if (!result.ok) throw new Error(`refused: ${result.error.reason}`);
  return result.principal;
};

beforeAll(async () => {
  tooling = (await import(path.join(repoRoot(), 'infra/local/dev-auth.mjs'))) as DevAuthModule;
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('dev-auth.mjs (npm start without AUTH_* settings)', () => {
  it('names the same scopes as the platform', () => {
    expect(tooling.STAFF_SCOPES).toEqual([...STAFF_SCOPES]);
    expect(tooling.ALL_SCOPES).toEqual([...ALL_SCOPES]);
  });

  it('makes a secret readable by its owner only, keeps it between runs, and a one-day token with every scope', async () => {
    const first = await tooling.devAuth({ env: {}, base });
    const secretFile = path.join(base, '.local/auth-secret');
    const tokenFile = path.join(base, '.local/dev-token');
    expect(fs.statSync(secretFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(tokenFile).mode & 0o777).toBe(0o600);
    const secret = fs.readFileSync(secretFile, 'utf8').trim();
    expect(secret.length).toBeGreaterThanOrEqual(32);
    expect(first.env).toEqual({ AUTH_JWT_SECRET: secret });
    expect(first.message).toContain('.local/dev-token');

    const token = fs.readFileSync(tokenFile, 'utf8').trim();
    const principal = principalOf(await createTokenVerifier({ disabled: false, jwtSecret: secret })(`Bearer ${token}`));
    expect([...principal.scopes].sort()).toEqual([...STAFF_SCOPES].sort());
    const { iat, exp } = payloadOf(token);
    expect(exp - iat).toBe(86_400);

    const second = await tooling.devAuth({ env: {}, base });
    expect(second.env).toEqual(first.env);
  });

  it('does nothing when the environment configures authentication', async () => {
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'dev-auth-set-'));
    try {
      const configured: Record<string, string>[] = [{ AUTH_JWT_SECRET: 'x'.repeat(32) }, { AUTH_JWKS_URL: 'https://idp.example/jwks' }, { AUTH_DISABLED: 'true' }];
      for (const env of configured) {
        expect(await tooling.devAuth({ env, base: elsewhere })).toEqual({ env: {}, message: undefined });
      }
      expect(fs.existsSync(path.join(elsewhere, '.local'))).toBe(false);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('signs tokens the verifier accepts, issuer and audience included', async () => {
    const secret = 'y'.repeat(40);
    const token = await tooling.signToken({ secret, subject: 'cust-7', scopes: ['customer'], issuer: 'local', audience: 'fulfillment' });
    const verify = createTokenVerifier({ disabled: false, jwtSecret: secret, issuer: 'local', audience: ['fulfillment'] });
    expect(principalOf(await verify(`Bearer ${token}`))).toEqual({ subject: 'cust-7', scopes: new Set(['customer']) });
  });
});

describe('npm run token', () => {
  const secret = 'z'.repeat(40);
  const run = (args: string[]) =>
    spawnSync(process.execPath, [tokenScript(), ...args], { encoding: 'utf8', env: { ...process.env, AUTH_JWT_SECRET: secret } });

  it('prints a token for the scopes, subject and lifetime asked', async () => {
    const result = run(['--scope', 'orders:read orders:write', '--sub', 'cust-1', '--ttl', '2h']);
    expect(result.status).toBe(0);
    const token = result.stdout.trim();
    const principal = principalOf(await createTokenVerifier({ disabled: false, jwtSecret: secret })(`Bearer ${token}`));
    expect(principal).toEqual({ subject: 'cust-1', scopes: new Set(['orders:read', 'orders:write']) });
    const { iat, exp } = payloadOf(token);
    expect(exp - iat).toBe(7200);
  });

  it.each([
    [['--sub', 'x'], '--scope is required'],
    [['--scope', 'orders:read'], '--sub is required'],
    [['--scope', 'orders:reed', '--sub', 'x'], '--scope has unknown "orders:reed"'],
    [['--scope', 'admin', '--sub', 'x', '--ttl', 'forever'], '--ttl "forever" must be a number followed by s, m, h or d'],
  ])('refuses %j with the reason and exit code 2', (args, message) => {
    const result = run(args);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stdout).toBe('');
  });
});
