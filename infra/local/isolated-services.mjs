// The built services as processes, isolated from a running `npm start`: a fresh topic prefix (every contract topic and
// its .dlq created under it) and fresh databases. stop() undoes everything that was started, and so do SIGINT/SIGTERM.
// Used by the scripts that need the real services (bench:restock, docs:openapi).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { kafkaSecurityFromEnv } from './kafka-security.mjs';
import { createTopicsReady } from './kafka-topics.mjs';
import { authConfigured, signToken, STAFF_SCOPES } from './dev-auth.mjs';
import { databaseUrlFor, infraDown, infraUp, root } from './run.mjs';
import { freePort, requestJson, sleep } from './script-kit.mjs';

const HEALTH_TIMEOUT_MS = 120_000;

/**
 * `cpuProfileDir`: each service runs with --cpu-prof and writes its profile there when it stops (read them with
 * infra/bench/profile-top.mjs).
 * @param {{ label: string, services: string[], partitions?: number, logLevel?: string, logDir?: string,
 *           skipMissing?: boolean, cpuProfileDir?: string, say?: (msg: string) => void }} opts
 */
export async function startIsolatedServices({ label, services, partitions = 1, logLevel: level = 'warn', logDir, skipMissing = false, cpuProfileDir, say = () => {} }) {
  const { ALL_TOPICS } = await import(path.join(root, 'libs/contracts/dist/index.js'));
  const infra = infraUp();
  const suffix = `${Date.now().toString(36)}${randomUUID().slice(0, 6)}`;
  const prefix = `${label}${suffix}.`;
  // The services get the same KAFKA_SSL / KAFKA_SASL_* settings through the environment they inherit.
  const kafka = new Kafka({ clientId: `${label}-script`, brokers: infra.kafkaBrokers, logLevel: logLevel.NOTHING, ...kafkaSecurityFromEnv() });
  const started = { children: [], clients: [], topics: [], databases: [] };
  const running = new Map();
  let token;

  let stopping;
  const stop = () => {
    stopping ??= (async () => {
      say('stopping the services, dropping the databases and topics of this run');
      await Promise.allSettled(started.clients.map((client) => client.disconnect()));
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
      if (started.topics.length > 0) {
        const admin = kafka.admin();
        await admin
          .connect()
          .then(() => admin.deleteTopics({ topics: started.topics }))
          .catch((error) => say(`could not delete the topics under ${prefix}: ${error.message}`))
          .finally(() => admin.disconnect());
      }
      for (const name of started.databases) {
        const client = new pg.Client({ connectionString: infra.databaseUrl });
        try {
          await client.connect();
          await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
        } catch (error) {
          say(`could not drop database ${name}: ${error.message}`);
        } finally {
          await client.end().catch(() => undefined);
        }
      }
      if (infra.startedKafka || infra.startedPostgres) infraDown();
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      say(`${signal}: stopping what this script started`);
      void stop().then(() => process.exit(130));
    });
  }

  try {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topics = ALL_TOPICS.flatMap((name) => [
        { topic: `${prefix}${name}`, numPartitions: partitions },
        { topic: `${prefix}${name}.dlq`, numPartitions: 1 },
      ]);
      started.topics = topics.map((t) => t.topic);
      await createTopicsReady(admin, topics);
    } finally {
      await admin.disconnect();
    }

    // Without AUTH_* settings the services verify tokens with a secret of this run, and callers get a staff token.
    const auth = authConfigured() ? {} : { AUTH_JWT_SECRET: randomUUID() + randomUUID() };
    token = process.env.AUTH_TOKEN ?? (auth.AUTH_JWT_SECRET ? await signToken({ secret: auth.AUTH_JWT_SECRET, subject: label, scopes: STAFF_SCOPES, ttl: '1d' }) : undefined);
    for (const name of services) {
      const main = path.join(root, `services/${name}/dist/main.js`);
      if (!fs.existsSync(main)) {
        if (skipMissing) continue;
        throw new Error(`${main} is missing: build first (nx run-many -t build)`);
      }
      const database = `${label}_${name}_${suffix}`.replace(/[^a-z0-9_]/g, '_');
      started.databases.push(database);
      const port = await freePort();
      const profiling = cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(cpuProfileDir)}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
      const child = spawn(process.execPath, ['--enable-source-maps', ...profiling, main], {
        cwd: path.join(root, `services/${name}`),
        env: {
          ...process.env,
          PORT: String(port),
          KAFKA_BROKERS: infra.kafkaBrokers.join(','),
          KAFKA_TOPIC_PREFIX: prefix,
          DATABASE_URL: databaseUrlFor(infra.databaseUrl, database),
          LOG_LEVEL: level,
          ...auth,
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
      if (logDir) {
        fs.mkdirSync(logDir, { recursive: true });
        const file = fs.createWriteStream(path.join(logDir, `${name}.log`));
        child.stdout.pipe(file);
        child.stderr.pipe(file);
      }
      running.set(name, { name, child, url: `http://127.0.0.1:${port}`, tail: () => tail });
    }
    await Promise.all([...running.values()].map(waitHealthy));
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    infra,
    kafka,
    /** a bearer token the services accept (every staff scope), or undefined when AUTH_TOKEN is unset under your own AUTH_* settings */
    token,
    prefix,
    suffix,
    services: running,
    /** the real name of a contract topic under this prefix */
    topic: (name) => `${prefix}${name}`,
    /** a JSON request to a service's URL with the token above */
    json: (method, url, body) => requestJson(method, url, { body, token }),
    /** says why a script failed, with the output of every service that exited meanwhile */
    sayFailure: (error) => {
      say(`failed: ${error.message}`);
      for (const service of running.values()) {
        if (service.child.exitCode !== null) say(`${service.name}-service output:\n${service.tail()}`);
      }
    },
    /** a kafkajs client (consumer, producer) to disconnect on stop */
    track: (client) => started.clients.push(client),
    stop,
  };
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
