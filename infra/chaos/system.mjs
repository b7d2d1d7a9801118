// The whole system on infrastructure of its own, for runs that kill things: a private Kafka broker (the shared one on
// 9092 serves other people), fresh databases on the PostgreSQL server, the built services as processes (any number of
// instances of each, one consumer group per service), and a mail server that keeps what it receives. Everything can be
// SIGKILLed and started again; dispose() undoes it all. Used by `npm run chaos` and `npm run bench:recovery`.
import { fork, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { signToken, STAFF_SCOPES } from '../local/dev-auth.mjs';
import { spawnBroker, waitForBroker } from '../local/kafka.mjs';
import { createTopicsReady } from '../local/kafka-topics.mjs';
import { DEFAULT_DATABASE_URL, probe, startThrowawayCluster } from '../local/postgres.mjs';
import { databaseUrlFor, root } from '../local/run.mjs';

export const SERVICES = ['order', 'inventory', 'supplier', 'notification'];
/** What each service consumes (SPEC.md), to tell when its group has caught up. */
export const CONSUMES = {
  order: ['order.commands', 'inventory.events'],
  inventory: ['order.events', 'supplier.events'],
  supplier: ['supplier.commands', 'inventory.events'],
  notification: ['order.events', 'inventory.events', 'supplier.events'],
};
const HEALTH_TIMEOUT_MS = 120_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function portFree(port) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

// Below Linux's ephemeral range (32768+), where an outgoing connection could take the port between check and bind;
// `pair` for a KRaft broker, which needs one port for clients and the next for its controller.
const taken = new Set();
async function freePort({ pair = false } = {}) {
  for (let i = 0; i < 100; i++) {
    const port = 12000 + Math.floor(Math.random() * 9990) * 2;
    if (taken.has(port) || (pair && taken.has(port + 1))) continue;
    if ((await portFree(port)) && (!pair || (await portFree(port + 1)))) {
      taken.add(port);
      if (pair) taken.add(port + 1);
      return port;
    }
  }
  throw new Error('no free port found');
}

/** The mail server (mail-server.mjs), in a child process; `received` fills as it takes messages. */
async function startMailServer() {
  const received = [];
  const port = await freePort();
  const child = fork(path.join(path.dirname(fileURLToPath(import.meta.url)), 'mail-server.mjs'), [], {
    env: { ...process.env, MAIL_PORT: String(port) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise((resolve, reject) => {
    child.on('message', (message) => {
      if (message.type === 'listening') resolve();
      if (message.type === 'received') received.push(message.email);
    });
    child.once('exit', (code) => reject(new Error(`the mail server exited (${code})`)));
  });
  const close = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { url: `smtp://127.0.0.1:${port}`, received, close };
}

/**
 * @param {{ label: string, instances: Record<string, number>, partitions?: number, runDir: string,
 *           logLevel?: string, env?: Record<string, Record<string, string>>, say?: (msg: string) => void }} opts
 */
export async function startSystem({ label, instances, partitions = 6, runDir, logLevel: level = 'warn', env: extraEnv = {}, say = () => {} }) {
  const { ALL_TOPICS } = await import(path.join(root, 'libs/contracts/dist/index.js'));
  for (const name of Object.keys(instances)) {
    const main = path.join(root, `services/${name}/dist/main.js`);
    if (!fs.existsSync(main)) throw new Error(`${main} is missing: build first (nx run-many -t build)`);
  }
  fs.mkdirSync(runDir, { recursive: true });
  const suffix = `${Date.now().toString(36)}${randomUUID().slice(0, 6)}`;
  const cleanups = [];
  const undo = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error) => say(`cleanup: ${error.message}`));
  };

  try {
    // PostgreSQL: the given or the local server, else a throwaway cluster, like infra:up.
    let serverUrl = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
    if (await probe(serverUrl)) {
      if (process.env.DATABASE_URL) throw new Error(`DATABASE_URL does not answer: ${await probe(serverUrl)}`);
      serverUrl = await startThrowawayCluster(say);
    }
    const databases = Object.fromEntries(Object.keys(instances).map((name) => [name, `${label}_${name}_${suffix}`.replace(/[^a-z0-9_]/g, '_')]));
    cleanups.push(async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        for (const name of Object.values(databases)) await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    });

    // The broker: ours alone, so that it can be killed.
    const brokerPort = await freePort({ pair: true });
    const brokerDir = path.join(runDir, 'kafka');
    const brokers = [`127.0.0.1:${brokerPort}`];
    const broker = { child: undefined, restarts: 0 };
    const startBroker = async () => {
      broker.child = spawnBroker({ dir: brokerDir, port: brokerPort, controllerPort: brokerPort + 1 }).child;
      await waitForBroker(brokers, { timeoutMs: 120_000 });
    };
    const killBroker = async () => {
      const child = broker.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    };
    cleanups.push(async () => {
      await killBroker();
      fs.rmSync(brokerDir, { recursive: true, force: true });
    });
    say(`starting a private Kafka broker on ${brokers[0]}`);
    await startBroker();
    const kafka = new Kafka({ clientId: `${label}-script`, brokers, logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    try {
      await createTopicsReady(
        admin,
        ALL_TOPICS.flatMap((name) => [
          { topic: name, numPartitions: partitions },
          { topic: `${name}.dlq`, numPartitions: 1 },
        ]),
      );
    } finally {
      await admin.disconnect();
    }

    const mail = await startMailServer();
    cleanups.push(() => mail.close());

    // The service instances. Instances of one service share its database and its consumer group.
    /** @type {Map<string, any>} */
    const running = new Map();
    // The run's own token secret (SPEC 12): every instance verifies with it, the load and the checks sign with it.
    const authSecret = `${randomUUID()}${randomUUID()}`;
    const token = await signToken({ secret: authSecret, subject: 'chaos', scopes: STAFF_SCOPES, ttl: '1d' });
    let disposing = false;
    const onUnexpectedExit = [];
    for (const [name, count] of Object.entries(instances)) {
      for (let n = 1; n <= count; n++) {
        const id = count > 1 ? `${name}-${n}` : name;
        const instance = {
          id,
          service: name,
          port: await freePort(),
          child: undefined,
          starts: 0,
          startedAt: 0,
          expectingExit: false,
          get url() {
            return `http://127.0.0.1:${this.port}`;
          },
          get alive() {
            return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
          },
        };
        instance.env = {
          ...process.env,
          AUTH_JWT_SECRET: authSecret,
          PORT: String(instance.port),
          KAFKA_BROKERS: brokers.join(','),
          KAFKA_CLIENT_ID: `${id}-service`,
          DATABASE_URL: databaseUrlFor(serverUrl, databases[name]),
          LOG_LEVEL: level,
          ...(name === 'notification' ? { SMTP_URL: mail.url, EMAIL_FROM: 'Chaos shop <orders@chaos.example>' } : {}),
          ...(extraEnv[name] ?? {}),
        };
        running.set(id, instance);
      }
    }

    const spawnInstance = (instance) => {
      // A restart timed before dispose() began must not start a process nobody will stop.
      if (disposing) return undefined;
      const log = fs.createWriteStream(path.join(runDir, `${instance.id}.log`), { flags: 'a' });
      const child = spawn(process.execPath, ['--enable-source-maps', path.join(root, `services/${instance.service}/dist/main.js`)], {
        cwd: path.join(root, `services/${instance.service}`),
        env: instance.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.pipe(log);
      child.stderr.pipe(log);
      // What a service says last on stderr is why it ended, when it ends by itself.
      instance.lastWords = '';
      child.stderr.on('data', (chunk) => (instance.lastWords = (instance.lastWords + chunk.toString()).slice(-2000)));
      instance.child = child;
      instance.starts += 1;
      instance.startedAt = Date.now();
      instance.expectingExit = false;
      child.once('exit', (code, signal) => {
        if (disposing || instance.expectingExit || instance.child !== child) return;
        for (const listener of onUnexpectedExit) listener(instance, code ?? signal);
      });
      return child;
    };
    const waitHealthy = async (instance, timeoutMs = HEALTH_TIMEOUT_MS) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (await healthy(instance)) return;
        if (Date.now() > deadline) throw new Error(`${instance.id} not healthy within ${timeoutMs / 1000} s (log: ${path.join(runDir, `${instance.id}.log`)})`);
        await sleep(250);
      }
    };
    const killInstance = async (instance, signal = 'SIGKILL') => {
      const child = instance.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      instance.expectingExit = true;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill(signal);
      await exited;
    };
    cleanups.push(async () => {
      disposing = true;
      await Promise.all([...running.values()].map(async (instance) => {
        const force = setTimeout(() => instance.child?.kill('SIGKILL'), 15_000);
        await killInstance(instance, 'SIGTERM');
        clearTimeout(force);
      }));
    });

    say(`starting ${[...running.keys()].join(', ')}`);
    for (const instance of running.values()) spawnInstance(instance);
    await Promise.all([...running.values()].map((instance) => waitHealthy(instance)));

    // One admin client for the frequent probes (a new one costs a connection and a metadata round each time); a fresh
    // one after any failure, since the broker may have been restarted under it.
    let probeAdmin;
    cleanups.push(async () => probeAdmin?.disconnect());
    const withAdmin = async (fn) => {
      if (!probeAdmin) {
        const fresh = kafka.admin();
        await fresh.connect();
        probeAdmin = fresh;
      }
      try {
        return await fn(probeAdmin);
      } catch (error) {
        const broken = probeAdmin;
        probeAdmin = undefined;
        await broken?.disconnect().catch(() => undefined);
        throw error;
      }
    };
    /** Records each service's consumer group has not committed yet, per service. */
    const lag = (names = Object.keys(instances)) =>
      withAdmin(async (admin) => {
        const result = {};
        const ends = new Map();
        for (const name of names) {
          let total = 0;
          const committed = await admin.fetchOffsets({ groupId: `${name}-service`, topics: CONSUMES[name] });
          for (const { topic, partitions: parts } of committed) {
            if (!ends.has(topic)) ends.set(topic, new Map((await admin.fetchTopicOffsets(topic)).map((p) => [p.partition, Number(p.high)])));
            for (const { partition, offset } of parts) total += (ends.get(topic).get(partition) ?? 0) - Math.max(0, Number(offset));
          }
          result[name] = total;
        }
        return result;
      });

    return {
      /** a bearer token with every staff scope, which every instance accepts */
      token,
      kafka,
      brokers,
      serverUrl,
      databases,
      mail,
      instances: running,
      runDir,
      /** instances of a service that are alive */
      alive: (service) => [...running.values()].filter((i) => i.service === service && i.alive),
      spawnInstance,
      killInstance,
      waitHealthy,
      healthy,
      lag,
      /** runs `fn` with the probes' admin client */
      withAdmin,
      killBroker,
      startBroker,
      broker,
      /** called with (instance, code or signal) when an instance ends without being killed through killInstance */
      onUnexpectedExit: (listener) => onUnexpectedExit.push(listener),
      /** pg_terminate_backend on every session of the services' databases; returns how many were terminated */
      terminateDatabaseSessions: async () => {
        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        try {
          const { rows } = await client.query(
            'SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS terminated FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()',
            [Object.values(databases)],
          );
          return rows[0].terminated;
        } finally {
          await client.end();
        }
      },
      dispose: undo,
    };
  } catch (error) {
    await undo();
    throw error;
  }
}

async function healthy(instance) {
  if (!instance.alive) return false;
  return fetch(`${instance.url}/health`, { signal: AbortSignal.timeout(3_000) }).then(
    (response) => response.status === 200,
    () => false,
  );
}
