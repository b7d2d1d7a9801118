import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { repoRoot } from './infra.js';
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
  /** SIGTERM the broker and wait for it to exit */
  stop(): Promise<void>;
  /** start it again on the same port and data */
  start(): Promise<void>;
  /** stop and delete its data */
  dispose(): Promise<void>;
}

/**
 * A Kafka broker of this test's own (same jars as infra:up), for tests that stop and restart a broker without
 * disturbing the shared one.
 */
export async function startPrivateKafka(): Promise<PrivateKafka> {
  const port = await freePortPair();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-private-'));
  const brokers = [`127.0.0.1:${port}`];
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(process.execPath, [infraScript(), 'broker', '--port', String(port), '--dir', dir], { stdio: 'ignore' });
    const kafka = new Kafka({ clientId: 'private-probe', brokers, logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    await eventually(
      async () => {
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
