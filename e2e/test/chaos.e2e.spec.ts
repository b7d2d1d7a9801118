// A short `npm run chaos`: a few hundred orders while service instances are SIGKILLed, the broker is SIGKILLed once
// and the services' database sessions are terminated, on a broker and databases of the run's own. Every count of the
// checker must be zero and the system must settle. The runner's own checks are tested in chaos-checker.unit.spec.ts.
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { repoRoot, testInfra } from '@fulfillment/testing';

const SUMMARY =
  /^chaos: orders=(\d+) kills=(\d+) broker_restarts=(\d+) lost=(\d+) oversold=(\d+) fifo_breaks=(\d+) alloc_mismatch=(\d+) dup_notifications=(\d+) missing_notifications=(\d+) dup_emails=(\d+) dlq=(\d+) settle_s=(\S+)$/;

let child: ChildProcess | undefined;
// Should the test give up first, SIGTERM makes the runner stop its broker and services and drop its databases.
afterAll(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
});

describe('the system under faults (a short chaos run)', () => {
  it('loses nothing and doubles nothing while instances and the broker are killed', async () => {
    const { databaseUrl } = await testInfra();
    const args = ['--orders', '300', '--duration', '40', '--kills', '4', '--broker-restarts', '1', '--db-terminations', '1', '--skus', '12', '--settle-timeout', '300'];
    const run = spawn(process.execPath, [path.join(repoRoot(), 'infra/chaos/chaos.mjs'), ...args], {
      cwd: repoRoot(),
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child = run;
    run.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    run.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => run.once('exit', (exitCode) => resolve(exitCode)));

    const last = stdout.trim().split('\n').pop() ?? '';
    const match = SUMMARY.exec(last);
    if (!match || code !== 0) throw new Error(`chaos run ended with ${code}: ${last}\n${stderr.slice(-6000)}`);
    const [, orders, kills, brokerRestarts, ...rest] = match;
    const settleS = rest.pop();
    expect(Number(orders)).toBe(300);
    expect(Number(kills)).toBe(4);
    expect(Number(brokerRestarts)).toBe(1);
    expect(rest.map(Number)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(settleS).toMatch(/^\d+(\.\d+)?$/);
  }, 600_000);
});
