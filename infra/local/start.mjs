#!/usr/bin/env node
// npm start: infra up, build, the four services and the operator console as separate processes, wait for their health,
// print their URLs.
// A service that exits is started again (after 1 s, doubling to 30 s while it keeps failing), unless the user pressed
// Ctrl-C. Ctrl-C (SIGINT) or SIGTERM stops the services cleanly; the broker keeps running (npm run infra:down stops it).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { devAuth } from './dev-auth.mjs';
import { databaseUrlFor, infraUp, nx, nxEnv, root, run } from './run.mjs';

const SERVICES = [
  { name: 'order', port: 3001 },
  { name: 'inventory', port: 3002 },
  { name: 'supplier', port: 3003 },
  { name: 'notification', port: 3004 },
  // The operator console reads the four over HTTP only: no database, no Kafka (services/console).
  { name: 'console', port: 3000, http: true },
];
const portOf = (service) => String(process.env[`${service.name.toUpperCase()}_PORT`] ?? service.port);
const say = (msg) => process.stderr.write(`[start] ${msg}\n`);

const infra = infraUp();
if (!process.env.SKIP_BUILD) {
  const code = await run(nx, ['run-many', '-t', 'build', '--outputStyle=static'], nxEnv);
  if (code !== 0) process.exit(code);
}

// A local mail sink, so customer emails are really sent over SMTP under `npm start` too (docker-compose uses Mailpit).
// Each message lands in .local/mail/ as an .eml file; set SMTP_URL to use a real server instead.
async function startMailSink() {
  if (process.env.SMTP_URL) return process.env.SMTP_URL;
  const { SMTPServer } = await import('smtp-server');
  const dir = path.join(root, '.local/mail');
  fs.mkdirSync(dir, { recursive: true });
  let count = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, done) {
      const file = path.join(dir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${++count}.eml`);
      stream.pipe(fs.createWriteStream(file)).on('finish', () => done());
    },
  });
  const port = Number(process.env.MAIL_SINK_PORT ?? 2525);
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  server.server.unref();
  say(`emails go to ${path.relative(process.cwd(), dir)}/ (a local SMTP sink on 127.0.0.1:${port}; set SMTP_URL for a real server)`);
  return `smtp://127.0.0.1:${port}`;
}
const smtpUrl = await startMailSink();
// Without AUTH_* settings: a kept local secret for the services and a one-day token with every scope for you.
const auth = await devAuth();

const children = new Map();
let stopping = false;

/** The console's settings: where the four services listen (their *_URL, else the ports they were started on). */
function consoleEnv() {
  const urls = {};
  for (const service of SERVICES.filter((s) => !s.http)) {
    const setting = `${service.name.toUpperCase()}_URL`;
    urls[setting] = process.env[setting] ?? `http://127.0.0.1:${portOf(service)}`;
  }
  return urls;
}

function launch(service) {
  const { name } = service;
  const env = service.http
    ? { ...process.env, PORT: portOf(service), ...consoleEnv() }
    : {
        ...process.env,
        PORT: portOf(service),
        KAFKA_BROKERS: infra.kafkaBrokers.join(','),
        DATABASE_URL: process.env[`${name.toUpperCase()}_DATABASE_URL`] ?? databaseUrlFor(infra.databaseUrl, `fulfillment_${name}`),
        ...auth.env,
        ...(name === 'notification' ? { SMTP_URL: smtpUrl, EMAIL_FROM: process.env.EMAIL_FROM ?? 'Fulfillment <orders@localhost>' } : {}),
      };
  const child = spawn(process.execPath, ['--enable-source-maps', path.join(root, `services/${name}/dist/main.js`)], {
    cwd: path.join(root, `services/${name}`),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) {
    readline.createInterface({ input: stream }).on('line', (line) => process.stdout.write(`${name.padEnd(12)} | ${line}\n`));
  }
  const startedAt = Date.now();
  child.on('exit', (code, signal) => onExit(service, { code, signal, startedAt }));
  children.set(name, { child, port: Number(env.PORT) });
}

// Each restart of a service that keeps failing waits twice as long; one that had run a minute starts over at 1 s.
const RESTART = { firstDelayMs: 1_000, maxDelayMs: 30_000, healthyAfterMs: 60_000 };
const failures = new Map();

/** Starts an exited service again with backoff, unless the user asked everything to stop or its settings are bad. */
function onExit(service, { code, signal, startedAt }) {
  const { name } = service;
  children.delete(name);
  if (stopping) {
    if (children.size === 0) process.exit(process.exitCode ?? 0);
    return;
  }
  // 78 (EX_CONFIG): a setting is invalid, which no restart can fix; the service said which.
  if (code === 78) {
    say(`${name}-service refused its configuration; stopping the others`);
    shutdown(1);
    return;
  }
  const failed = Date.now() - startedAt >= RESTART.healthyAfterMs ? 1 : (failures.get(name) ?? 0) + 1;
  failures.set(name, failed);
  const delayMs = Math.min(RESTART.maxDelayMs, RESTART.firstDelayMs * 2 ** (failed - 1));
  say(`${name}-service exited (${signal ?? `code ${code}`}); restarting it in ${delayMs / 1000} s`);
  setTimeout(() => {
    if (!stopping) launch(service);
  }, delayMs);
}

async function waitHealthy(name, port, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (stopping) throw new Error(`stopped before ${name}-service was healthy`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (e) {
      last = e.cause?.code ?? e.message;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${name}-service not healthy after ${timeoutMs / 1000} s: ${last}`);
}

function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  process.exitCode = code;
  say('stopping services');
  if (children.size === 0) process.exit(code);
  for (const { child } of children.values()) child.kill('SIGTERM');
  setTimeout(() => {
    for (const { child } of children.values()) child.kill('SIGKILL');
    process.exit(code || 1);
  }, 15_000).unref();
}
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

for (const s of SERVICES) launch(s);
try {
  await Promise.all([...children.entries()].map(([name, { port }]) => waitHealthy(name, port)));
} catch (e) {
  say(e.message);
  shutdown(1);
}
if (!stopping) {
  const lines = [...children.entries()]
    .filter(([name]) => name !== 'console')
    .map(([name, { port }]) => `  ${name.padEnd(13)} http://127.0.0.1:${port}   (health /health, metrics /metrics, API docs /docs)`);
  const consolePort = children.get('console')?.port;
  const signIn = auth.message ? 'sign in with the token in .local/dev-token' : 'sign in with a token your AUTH_* settings accept';
  process.stderr.write(
    `\nAll four services and the console are healthy on Kafka ${infra.kafkaBrokers.join(',')}:\n${lines.join('\n')}\n` +
      `  ${'console'.padEnd(13)} http://127.0.0.1:${consolePort}   (the operator console: ${signIn})\nCtrl-C stops them.\n\n`,
  );
  if (auth.message) say(auth.message);
}
