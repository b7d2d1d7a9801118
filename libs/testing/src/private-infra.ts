import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { repoRoot } from './infra.js';
import type { KafkaTarget } from './kafka.js';
import { eventually } from './wait.js';

function infraScript(): string {
  return path.join(repoRoot(), 'infra/local/infra.mjs');
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/**
 * Two consecutive free ports (a KRaft broker needs one for clients and one for its controller). They are taken below
 * Linux's ephemeral range (32768+), where outgoing connections would otherwise grab them between check and bind.
 */
export async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = 12000 + Math.floor(Math.random() * 10000) * 2;
    if ((await portFree(p)) && (await portFree(p + 1))) return p;
  }
  throw new Error('no free port pair found');
}

export interface PrivateKafka {
  brokers: string[];
  /**
   * How to connect as `user` (default `admin`, a super user); only a secured broker has users. The target's `env`
   * holds the service settings for that user (KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SASL_*).
   */
  target(user?: string, mechanism?: KafkaSaslMechanism): KafkaTarget;
  /** the CA that signed a secured broker's certificate (PEM) */
  caFile?: string;
  /** SIGTERM the broker and wait for it to exit */
  stop(): Promise<void>;
  /** start it again on the same port and data */
  start(): Promise<void>;
  /** stop and delete its data */
  dispose(): Promise<void>;
}

export type KafkaSaslMechanism = 'scram-sha-512' | 'scram-sha-256' | 'plain';

/** What infra.mjs writes for a secured broker (`<dir>/security.json`). */
interface BrokerSecurity {
  caFile: string;
  users: Record<string, string>;
}

function readBrokerSecurity(dir: string): BrokerSecurity | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'security.json'), 'utf8')) as BrokerSecurity;
  } catch {
    return undefined;
  }
}

/**
 * A Kafka broker of this test's own (same jars as infra:up), for tests that stop and restart a broker without
 * disturbing the shared one. With `secure`, its one client listener is SASL_SSL (a CA and a certificate made with
 * keytool; SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN) with the StandardAuthorizer: `admin` is a super user, every user in
 * `secure.users` may do nothing until ACLs say so.
 */
export async function startPrivateKafka(opts: { secure?: { users: string[] } } = {}): Promise<PrivateKafka> {
  const port = await freePortPair();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-private-'));
  const brokers = [`127.0.0.1:${port}`];
  const secureArgs = opts.secure ? ['--secure', '--users', opts.secure.users.join(',')] : [];
  let security: BrokerSecurity | undefined;
  let child: ChildProcess | undefined;
  const target = (user = 'admin', mechanism: KafkaSaslMechanism = 'scram-sha-512'): KafkaTarget => {
    if (!opts.secure) return { brokers, security: {}, env: { KAFKA_BROKERS: brokers.join(',') } };
    if (!security) throw new Error('the secured broker has not written its users yet');
    const password = security.users[user];
    if (password === undefined) throw new Error(`the secured broker has no user "${user}"`);
    const sasl: SASLOptions = { mechanism, username: user, password };
    return {
      brokers,
      security: { ssl: { ca: [fs.readFileSync(security.caFile, 'utf8')] }, sasl },
      env: {
        KAFKA_BROKERS: brokers.join(','),
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: security.caFile,
        KAFKA_SASL_MECHANISM: mechanism,
        KAFKA_SASL_USERNAME: user,
        KAFKA_SASL_PASSWORD: password,
      },
    };
  };
  const start = async () => {
    child = spawn(process.execPath, [infraScript(), 'broker', '--port', String(port), '--dir', dir, ...secureArgs], { stdio: 'ignore' });
    await eventually(
      async () => {
        if (opts.secure) {
          // infra.mjs writes it (certificates made, passwords chosen) before it starts the JVM.
          security ??= readBrokerSecurity(dir);
          if (!security) return undefined;
        }
        const kafka = new Kafka({ clientId: 'private-probe', brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 }, ...target().security });
        const admin = kafka.admin();
        try {
          await admin.connect();
          await admin.describeCluster();
          return true;
        } finally {
          await admin.disconnect().catch(() => undefined);
        }
      },
      { timeoutMs: 90_000, intervalMs: 500, what: `private Kafka broker on ${brokers[0]}` },
    );
  };
  const stop = async () => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  };
  await start();
  return {
    brokers,
    target,
    ...(security ? { caFile: security.caFile } : {}),
    stop,
    start,
    dispose: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PrivatePostgres {
  /** server URL (database `postgres`) */
  url: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  dispose(): Promise<void>;
}

/** A PostgreSQL cluster of this test's own, for tests that stop and restart the database. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const port = await freePortPair();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pg-private-'));
  fs.chmodSync(dir, 0o755);
  const run = (action: 'start' | 'stop') => {
    const r = spawnSync(process.execPath, [infraScript(), 'postgres', action, dir, String(port)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`postgres ${action} failed: ${r.stderr}`);
    return r.stdout.trim();
  };
  const url = run('start');
  return {
    url,
    start: async () => void run('start'),
    stop: async () => void run('stop'),
    dispose: async () => {
      run('stop');
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

