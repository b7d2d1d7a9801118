#!/usr/bin/env node
// npm run docs:openapi — writes docs/openapi/<service>.json, the OpenAPI document each service serves at
// /docs/openapi.json, as pretty JSON with sorted keys (stable diffs). The documents come from the running services, not
// from a copy of their decorators: each built service is started as a process under a fresh topic prefix and a fresh
// database, so a running `npm start` is not disturbed; what this script starts it stops, and it drops its databases and
// topics (and stops Kafka/PostgreSQL again if it had to start them). Build first (the npm script does).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { databaseUrlFor, infraDown, infraUp, root } from './run.mjs';

const SERVICES = ['order', 'inventory', 'supplier', 'notification'];
const { ALL_TOPICS } = await import(path.join(root, 'libs/contracts/dist/index.js'));
const OUT_DIR = path.join(root, 'docs/openapi');
const HEALTH_TIMEOUT_MS = 120_000;

const say = (msg) => process.stderr.write(`[openapi] ${msg}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Objects with their keys in code-point order, recursively; arrays keep their order (it means something). */
function sortedKeys(value) {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys(value[key])]),
  );
}

// What was started, so that every exit path can undo it.
const started = { infra: undefined, kafka: undefined, topics: [], databases: [], children: [] };
let cleaning;

function cleanUp() {
  cleaning ??= (async () => {
    await Promise.allSettled(
      started.children.map(
        (child) =>
          new Promise((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
            child.once('exit', () => {
              clearTimeout(force);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
    if (started.kafka && started.topics.length > 0) {
      const admin = started.kafka.admin();
      await admin
        .connect()
        .then(() => admin.deleteTopics({ topics: started.topics }))
        .catch((error) => say(`could not delete the topics ${started.topics.join(', ')}: ${error.message}`))
        .finally(() => admin.disconnect());
    }
    for (const name of started.databases) {
      const client = new pg.Client({ connectionString: started.infra.databaseUrl });
      try {
        await client.connect();
        await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } catch (error) {
        say(`could not drop database ${name}: ${error.message}`);
      } finally {
        await client.end().catch(() => undefined);
      }
    }
    if (started.infra?.startedKafka || started.infra?.startedPostgres) infraDown();
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    say(`${signal}: stopping what this script started`);
    void cleanUp().then(() => process.exit(130));
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function launch(name, prefix, suffix) {
  const main = path.join(root, `services/${name}/dist/main.js`);
  if (!fs.existsSync(main)) throw new Error(`${main} is missing: build first (nx run-many -t build)`);
  const database = `openapi_${name}_${suffix}`;
  started.databases.push(database);
  const port = await freePort();
  const child = spawn(process.execPath, ['--enable-source-maps', main], {
    cwd: path.join(root, `services/${name}`),
    env: {
      ...process.env,
      PORT: String(port),
      KAFKA_BROKERS: started.infra.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: prefix,
      DATABASE_URL: databaseUrlFor(started.infra.databaseUrl, database),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.children.push(child);
  let tail = '';
  const keep = (chunk) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return { name, child, url: `http://127.0.0.1:${port}`, tail: () => tail };
}

async function waitHealthy(service) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  for (;;) {
    if (service.child.exitCode !== null) throw new Error(`${service.name}-service exited with ${service.child.exitCode}:\n${service.tail()}`);
    const healthy = await fetch(`${service.url}/health`).then(
      (response) => response.status === 200,
      () => false,
    );
    if (healthy) return;
    if (Date.now() > deadline) throw new Error(`${service.name}-service not healthy within ${HEALTH_TIMEOUT_MS / 1000} s:\n${service.tail()}`);
    await sleep(250);
  }
}

async function documentOf(service) {
  const response = await fetch(`${service.url}/docs/openapi.json`);
  if (response.status !== 200) throw new Error(`${service.name}-service answered ${response.status} to GET /docs/openapi.json`);
  return response.json();
}

async function main() {
  started.infra = infraUp();
  const suffix = `${Date.now().toString(36)}${randomUUID().slice(0, 6)}`;
  const prefix = `openapi${suffix}.`;
  started.kafka = new Kafka({ clientId: 'openapi-docs', brokers: started.infra.kafkaBrokers, logLevel: logLevel.NOTHING });
  const admin = started.kafka.admin();
  await admin.connect();
  try {
    const topics = ALL_TOPICS.flatMap((name) => [`${prefix}${name}`, `${prefix}${name}.dlq`]);
    started.topics = topics;
    await admin.createTopics({ topics: topics.map((topic) => ({ topic, numPartitions: 1 })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }

  const services = await Promise.all(SERVICES.map((name) => launch(name, prefix, suffix)));
  await Promise.all(services.map(waitHealthy));
  fs.mkdirSync(OUT_DIR, { recursive: true });
  for (const service of services) {
    const file = path.join(OUT_DIR, `${service.name}.json`);
    fs.writeFileSync(file, `${JSON.stringify(sortedKeys(await documentOf(service)), null, 2)}\n`);
    say(`wrote ${path.relative(root, file)}`);
  }
}

try {
  await main();
} catch (error) {
  say(error.message);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
