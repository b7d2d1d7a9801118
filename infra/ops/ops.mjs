#!/usr/bin/env node
// npm run ops -- <command>: the operators' command line over the services' admin routes (SPEC 13, scope admin).
//
//   dlq list [service...]                     dead letters per service and topic (count, not re-driven)
//   dlq list <service> <topic> [--limit n]    the dead letters themselves: offset, type, reason, when
//   dlq show <service> <topic> <offset>       one dead letter in full (offset as "n" or "partition:n")
//   dlq redrive <service> <topic> [offset...] re-drive those, or every one not re-driven yet
//   rebuild <service> <projection>            rebuild a projection, with a progress bar
//   prune [service...]                        prune the inboxes and Idempotency-Keys retention lets go
//
// Where: ORDER_URL, INVENTORY_URL, SUPPLIER_URL, NOTIFICATION_URL (default http://127.0.0.1:3001..3004, as npm
// start runs them). Who: OPS_TOKEN, else the dev token npm start wrote (.local/dev-token). Errors are one line, exit 1.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SERVICES = { order: 3001, inventory: 3002, supplier: 3003, notification: 3004 };

export class OpsError extends Error {}

/** The base URL of a service, from its *_URL setting or the npm start default. */
export function serviceUrl(service, env = process.env) {
  if (!(service in SERVICES)) throw new OpsError(`unknown service "${service}" (one of ${Object.keys(SERVICES).join(', ')})`);
  return (env[`${service.toUpperCase()}_URL`] ?? `http://127.0.0.1:${SERVICES[service]}`).replace(/\/$/, '');
}

export function opsToken(env = process.env, base = root) {
  if (env.OPS_TOKEN) return env.OPS_TOKEN.trim();
  const file = path.join(base, '.local', 'dev-token');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  throw new OpsError('no token: set OPS_TOKEN to a token with the admin scope (npm start writes one to .local/dev-token)');
}

/** One admin request; a refusal becomes an OpsError with the service's own message. */
async function call({ env, token, fetchImpl = fetch }, service, method, route, body) {
  const url = `${serviceUrl(service, env)}${route}`;
  let response;
  try {
    response = await fetchImpl(url, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
  } catch (error) {
    const cause = error.cause?.code ?? error.cause?.errors?.[0]?.code ?? error.cause?.message ?? error.message;
    throw new OpsError(`${service} does not answer at ${serviceUrl(service, env)} (${cause})`);
  }
  const text = await response.text();
  let parsed;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  if (!response.ok) {
    const why = parsed?.message ?? text.slice(0, 300);
    throw new OpsError(`${service} refused ${method} ${route}: ${response.status} ${why}`);
  }
  return parsed;
}

/** A progress bar on stderr when it is a terminal, else a line now and then. */
export function progressBar(stream = process.stderr, width = 30) {
  let lastLine = 0;
  return {
    update(done, total, label = '') {
      const ratio = total > 0 ? Math.min(1, done / total) : 0;
      const line = `[${'#'.repeat(Math.round(ratio * width)).padEnd(width, '.')}] ${String(Math.round(ratio * 100)).padStart(3)}% ${done}/${total} ${label}`;
      if (stream.isTTY) stream.write(`\r${line}`);
      else if (Date.now() - lastLine > 2_000 || done >= total) {
        stream.write(`${line}\n`);
        lastLine = Date.now();
      }
    },
    end() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}

const pad = (text, n) => String(text ?? '').padEnd(n);

/** Runs one command; `out` collects what it prints (stdout), so tests can read it. */
export async function runOps(argv, { env = process.env, out = (line) => process.stdout.write(`${line}\n`), err = process.stderr, fetchImpl, pollMs = 500 } = {}) {
  const [command, sub, ...rest] = argv;
  const options = { limit: 100 };
  const words = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--limit') options.limit = Number(rest[++i]);
    else words.push(rest[i]);
  }
  const ctx = { env, token: opsToken(env), fetchImpl };
  const services = (names) => (names.length > 0 ? names : Object.keys(SERVICES));

  if (command === 'dlq' && sub === 'list' && words.length <= 1) {
    for (const service of services(words)) {
      const { topics } = await call(ctx, service, 'GET', '/admin/dead-letters');
      for (const t of topics) out(`${pad(service, 13)}${pad(t.topic, 20)}${pad(t.deadLetters, 6)} dead letters, ${t.notRedriven} not re-driven`);
    }
    return 0;
  }
  if (command === 'dlq' && sub === 'list') {
    const [service, topic] = words;
    if (!topic) throw new OpsError('usage: dlq list <service> <topic> [--limit n]');
    const listing = await call(ctx, service, 'GET', `/admin/dead-letters?topic=${encodeURIComponent(topic)}&limit=${options.limit}`);
    out(`${listing.total} dead letter(s) of ${service} on ${listing.dlqTopic}`);
    for (const d of listing.deadLetters) {
      out(`${pad(`${d.partition}:${d.offset}`, 10)}${pad(d.type ?? '?', 24)}${pad(d.failedAt ?? '', 26)}${d.redrivenAt ? `re-driven ${d.redrivenAt}  ` : ''}${d.reason ?? ''}`);
    }
    return 0;
  }
  if (command === 'dlq' && sub === 'show') {
    const [service, topic, offset] = words;
    if (!offset) throw new OpsError('usage: dlq show <service> <topic> <offset>');
    const name = offset.includes(':') ? offset : `0:${offset}`;
    const listing = await call(ctx, service, 'GET', `/admin/dead-letters?topic=${encodeURIComponent(topic)}&limit=1000`);
    const found = listing.deadLetters.find((d) => `${d.partition}:${d.offset}` === name);
    if (!found) throw new OpsError(`no dead letter ${name} of ${service} on ${listing.dlqTopic} (${listing.total} there)`);
    out(JSON.stringify(found, null, 2));
    return 0;
  }
  if (command === 'dlq' && sub === 'redrive') {
    const [service, topic, ...offsets] = words;
    if (!topic) throw new OpsError('usage: dlq redrive <service> <topic> [offset...]');
    const result = await call(ctx, service, 'POST', '/admin/dead-letters/redrive', { topic, ...(offsets.length > 0 ? { offsets } : {}) });
    out(`re-driven ${result.redriven.length}${result.redriven.length ? ` (${result.redriven.join(' ')})` : ''}, already re-driven ${result.alreadyRedriven.length}, not found ${result.notFound.length}${result.notFound.length ? ` (${result.notFound.join(' ')})` : ''}`);
    return result.notFound.length > 0 ? 1 : 0;
  }
  if (command === 'rebuild') {
    const [service, projection] = [sub, words[0]];
    if (!projection) throw new OpsError('usage: rebuild <service> <projection>');
    let status = await call(ctx, service, 'POST', `/admin/projections/${encodeURIComponent(projection)}/rebuild`);
    const bar = progressBar(err);
    while (status.state === 'running') {
      bar.update(status.processed, status.total, `events of ${projection}`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      status = await call(ctx, service, 'GET', `/admin/projections/${encodeURIComponent(projection)}/rebuild`);
    }
    bar.update(status.processed, status.total, `events of ${projection}`);
    bar.end();
    if (status.state === 'failed') throw new OpsError(`rebuilding ${projection} on ${service} failed: ${status.error}`);
    out(`rebuilt ${projection} on ${service}: ${status.processed} events`);
    return 0;
  }
  if (command === 'prune') {
    for (const service of services([sub, ...words].filter(Boolean))) {
      const { pruned } = await call(ctx, service, 'POST', '/admin/prune');
      out(`${pad(service, 13)}pruned ${pruned} row(s)`);
    }
    return 0;
  }
  throw new OpsError(`unknown command "${[command, sub].filter(Boolean).join(' ')}": dlq list|show|redrive, rebuild, prune (see infra/ops/ops.mjs)`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runOps(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      process.stderr.write(`ops: ${error instanceof OpsError ? error.message : error.stack ?? error}\n`);
      process.exit(1);
    },
  );
}
