// `npm start` supervises its services: one that dies is started again (saying so in one line), and Ctrl-C stops
// everything for good. The script runs as users run it (infra/local/start.mjs, without its build step), on fresh
// databases, a topic prefix of its own and free ports, so a real `npm start` on this machine is not disturbed.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { ALL_TOPICS } from '@fulfillment/contracts';
import { createTestDatabase, createTopicNamespace, eventually, freePortPair, repoRoot, testInfra, type TestDatabase, type TopicNamespace } from '@fulfillment/testing';

const SERVICES = ['order', 'inventory', 'supplier', 'notification'] as const;
/** every process npm start supervises: the four services and the operator console */
const APPS = [...SERVICES, 'console'] as const;

let start: ChildProcess | undefined;
let output = '';
const databases: TestDatabase[] = [];
let namespace: TopicNamespace;
const ports: Record<string, number> = {};

/** The pids of start.mjs's service processes, by service (from the process table: start.mjs prints no pids). */
function servicePids(): Record<string, number> {
  const table = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(start!.pid)], { encoding: 'utf8' });
  const pids: Record<string, number> = {};
  for (const row of table.trim().split('\n').filter(Boolean)) {
    const match = /^\s*(\d+)\s+.*services\/(\w+)\/dist\/main\.js/.exec(row);
    if (match) pids[match[2]!] = Number(match[1]);
  }
  return pids;
}

const healthy = (service: string) =>
  fetch(`http://127.0.0.1:${ports[service]}/health`, { signal: AbortSignal.timeout(3_000) }).then(
    (response) => response.status === 200,
    () => false,
  );
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  const infra = await testInfra();
  namespace = await createTopicNamespace(ALL_TOPICS);
  const env: Record<string, string> = {
    SKIP_BUILD: '1',
    KAFKA_BROKERS: infra.kafkaBrokers.join(','),
    DATABASE_URL: infra.databaseUrl,
    KAFKA_TOPIC_PREFIX: namespace.prefix,
    // No email is sent in this test; the address only has to be valid.
    SMTP_URL: `smtp://127.0.0.1:${await freePortPair()}`,
    LOG_LEVEL: 'warn',
  };
  for (const service of SERVICES) {
    const db = await createTestDatabase(`start_${service}`);
    databases.push(db);
    ports[service] = await freePortPair();
    env[`${service.toUpperCase()}_PORT`] = String(ports[service]);
    env[`${service.toUpperCase()}_DATABASE_URL`] = db.url;
  }
  ports.console = await freePortPair();
  env.CONSOLE_PORT = String(ports.console);
  start = spawn(process.execPath, [path.join(repoRoot(), 'infra/local/start.mjs')], {
    cwd: repoRoot(),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  start.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  start.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await eventually(() => (/All four services and the console are healthy/.test(output) ? true : undefined), {
    timeoutMs: 180_000,
    intervalMs: 250,
    what: 'npm start to report four healthy services and the console',
  }).catch((error: Error) => {
    throw new Error(`${error.message}\n${output.slice(-4000)}`);
  });
}, 240_000);

afterAll(async () => {
  if (start && start.exitCode === null && start.signalCode === null) {
    start.kill('SIGKILL');
    for (const pid of Object.values(servicePids())) process.kill(pid, 'SIGKILL');
  }
  await Promise.all(databases.map((db) => db.drop().catch(() => undefined)));
  await namespace?.delete().catch(() => undefined);
}, 60_000);

describe('npm start as a supervisor', () => {
  it('starts a SIGKILLed service again, and stops everything for good on Ctrl-C', async () => {
    const before = servicePids();
    expect(Object.keys(before).sort()).toEqual([...APPS].sort());
    expect(output).toContain(`console       http://127.0.0.1:${ports.console}`);
    expect(await healthy('console')).toBe(true);

    process.kill(before.inventory!, 'SIGKILL');
    await eventually(() => (/inventory-service exited \(SIGKILL\); restarting it in 1 s/.test(output) ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the supervisor to say it restarts inventory',
    });
    const replacement = await eventually(async () => {
      const pid = servicePids().inventory;
      return pid !== undefined && pid !== before.inventory && (await healthy('inventory')) ? pid : undefined;
    }, { timeoutMs: 120_000, intervalMs: 500, what: 'a new inventory-service, healthy' });
    // The others were left alone.
    for (const service of APPS.filter((s) => s !== 'inventory')) expect(servicePids()[service]).toBe(before[service]);
    expect(output.match(/restarting it in/g)).toHaveLength(1);

    // Ctrl-C: the terminal sends SIGINT to the whole process group; the services exit and nothing is restarted.
    const exited = new Promise<number | null>((resolve) => start!.once('exit', (code) => resolve(code)));
    const pids = Object.values(servicePids());
    start!.kill('SIGINT');
    for (const pid of pids) process.kill(pid, 'SIGINT');
    expect(await exited).toBe(0);
    expect(output.match(/restarting it in/g)).toHaveLength(1);
    await eventually(() => (pids.every((pid) => !alive(pid)) ? true : undefined), { timeoutMs: 30_000, what: 'every service gone' });
    expect(alive(replacement)).toBe(false);
  }, 240_000);
});
