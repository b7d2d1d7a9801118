#!/usr/bin/env node
// npm start: infra up, build, the four services as separate processes, wait for their health, print their URLs.
// Ctrl-C (SIGINT) or SIGTERM stops the services cleanly; the broker keeps running (npm run infra:down stops it).
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
];
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

function launch({ name, port }) {
  const env = {
    ...process.env,
    PORT: String(process.env[`${name.toUpperCase()}_PORT`] ?? port),
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
  child.on('exit', (code, signal) => {
    children.delete(name);
    if (!stopping) {
      say(`${name}-service exited (${signal ?? code}); stopping the others`);
      shutdown(1);
    } else if (children.size === 0) {
      process.exit(process.exitCode ?? 0);
    }
  });
  children.set(name, { child, port: Number(env.PORT) });
}

async function waitHealthy(name, port, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer';
  while (Date.now() < deadline) {
    if (!children.has(name)) throw new Error(`${name}-service exited before it was healthy`);
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
  const lines = [...children.entries()].map(([name, { port }]) => `  ${name.padEnd(13)} http://127.0.0.1:${port}   (health /health, metrics /metrics, API docs /docs)`);
  process.stderr.write(`\nAll four services are healthy on Kafka ${infra.kafkaBrokers.join(',')}:\n${lines.join('\n')}\nCtrl-C stops them.\n\n`);
  if (auth.message) say(auth.message);
}
