#!/usr/bin/env node
// npm run token -- --scope "orders:read orders:write" --sub cust-1 [--ttl 1h]
// Prints an HS256 token the services accept: signed with AUTH_JWT_SECRET when set, else with .local/auth-secret (the
// secret `npm start` gives the services; made here if missing). AUTH_ISSUER and AUTH_AUDIENCE, when set, go in too.
import { parseArgs } from 'node:util';
import { ALL_SCOPES, ensureSecret, signToken, ttlSeconds } from './dev-auth.mjs';

const usage = 'usage: npm run token -- --scope "orders:read orders:write" --sub <subject> [--ttl 1h]';

function fail(message) {
  process.stderr.write(`[token] ${message}\n${usage}\n`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({ options: { scope: { type: 'string' }, sub: { type: 'string' }, ttl: { type: 'string', default: '1h' } } }));
} catch (error) {
  fail(error.message);
}
if (!values.sub) fail('--sub is required: the customer id for scope "customer", else who the token is for');
if (values.scope === undefined) fail(`--scope is required: one or more of ${ALL_SCOPES.join(', ')}`);
const scopes = values.scope.split(/\s+/).filter(Boolean);
const unknown = scopes.filter((scope) => !ALL_SCOPES.includes(scope));
if (scopes.length === 0 || unknown.length > 0) fail(`--scope ${unknown.length ? `has unknown ${unknown.map((s) => `"${s}"`).join(', ')}` : 'is empty'}: use ${ALL_SCOPES.join(', ')}`);
try {
  ttlSeconds(values.ttl);
} catch (error) {
  fail(error.message);
}

const secret = process.env.AUTH_JWT_SECRET || ensureSecret();
const token = await signToken({
  secret,
  subject: values.sub,
  scopes,
  ttl: values.ttl,
  issuer: process.env.AUTH_ISSUER || undefined,
  audience: process.env.AUTH_AUDIENCE?.split(',')[0]?.trim() || undefined,
});
process.stdout.write(`${token}\n`);
