import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { Admin, Kafka } from 'kafkajs';
import { readEffects } from './test-support/effects.mjs';
import { backInStock } from './test-support/envelopes.js';
import { committedOffsets, createTopicsWithDlq, deleteTopics, lagOf, produce, testKafka, uniqueName, waitFor } from './test-support/kafka-fixtures.js';
import { createEffectsDatabase, type TestDatabase } from './test-support/pg-fixtures.js';
import { kafkaBrokers } from './test-support/testing-env.js';

jest.setTimeout(120_000);

const libDir = path.resolve(__dirname, '..');
const childScript = path.join(__dirname, 'test-support', 'crash-child.mjs');

let fixtures: Kafka;
let admin: Admin;
let db: TestDatabase;
const topics: string[] = [];

/** The child runs the compiled library, as a service would: build it (and the contracts it imports) first. */
function buildCompiledLibraries(): void {
  const tsc = path.resolve(libDir, '../../node_modules/typescript/bin/tsc');
  for (const dir of [path.resolve(libDir, '../contracts'), libDir]) {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.lib.json'], { cwd: dir, stdio: 'pipe' });
  }
}

interface Child {
  process: ChildProcess;
  waitForLine(pattern: RegExp): Promise<string>;
  exited: Promise<number | null>;
  stderr(): string;
}

function startChild(env: Record<string, string>): Child {
  const child = spawn(process.execPath, [childScript], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const line of complete) {
      lines.push(line);
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    process: child,
    exited,
    stderr: () => stderr,
    waitForLine: (pattern) => {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return Promise.race([
        new Promise<string>((resolve) => waiters.push({ pattern, resolve })),
        exited.then((code) => {
          throw new Error(`child exited (${code}) before printing ${pattern}; stderr:\n${stderr}`);
        }),
      ]);
    },
  };
}

beforeAll(async () => {
  buildCompiledLibraries();
  fixtures = testKafka();
  admin = fixtures.admin();
  await admin.connect();
  db = await createEffectsDatabase();
}, 120_000);

afterAll(async () => {
  await deleteTopics(admin, topics);
  await admin.disconnect();
  await db.drop();
});

describe('KafkaBatchConsumer killed mid-batch (SIGKILL, in a child process)', () => {
  it('applies every effect exactly once across crashes inside the transaction and between effect and commit', async () => {
    const topic = uniqueName('msg-crash');
    topics.push(...(await createTopicsWithDlq(admin, [{ topic }])));
    const envelopes = Array.from({ length: 60 }, (_, i) => backInStock({ sku: `SKU-${i % 6}`, available: i + 1 }));
    await produce(fixtures, topic, envelopes.map(({ key, value }) => ({ key, value })));
    const groupId = uniqueName('crash-group');
    const env = { TOPIC: topic, GROUP_ID: groupId, DATABASE_URL: db.url, KAFKA_BROKERS: kafkaBrokers().join(',') };
    const committed = async () => (await committedOffsets(admin, groupId, topic)).get(0)!;

    // 1. Killed with the third batch's transaction open: its effects roll back, its offsets were never committed.
    const first = startChild({ ...env, KILL_POINT: 'in-transaction', KILL_AT: '3' });
    await first.waitForLine(/^in-transaction 3$/);
    first.process.kill('SIGKILL');
    await first.exited;
    expect((await readEffects(db.pool)).handled).toBe(20);
    expect(await committed()).toBe(20n);

    // 2. Killed after the second batch's transaction committed but before its offsets were: the effect is ahead of
    //    the committed offset, so that batch will be delivered again.
    const second = startChild({ ...env, KILL_POINT: 'after-commit', KILL_AT: '2' });
    await second.waitForLine(/^after-commit 2$/);
    second.process.kill('SIGKILL');
    await second.exited;
    const afterSecond = await readEffects(db.pool);
    const committedAfterSecond = await committed();
    expect(BigInt(afterSecond.handled)).toBeGreaterThan(committedAfterSecond);

    // 3. A clean run to the end, stopped with SIGTERM like a service.
    const third = startChild(env);
    await third.waitForLine(/^started$/);
    await waitFor(async () => (await lagOf(admin, groupId, topic)) === 0n, { what: 'lag 0', timeoutMs: 60_000 });
    third.process.kill('SIGTERM');
    await third.waitForLine(/^stopped$/);
    expect(await third.exited).toBe(0);

    const final = await readEffects(db.pool);
    const expected: Record<string, number> = {};
    envelopes.forEach((_, i) => {
      expected[`SKU-${i % 6}`] = (expected[`SKU-${i % 6}`] ?? 0) + i + 1;
    });
    expect(final.handled).toBe(60);
    expect(final.totals).toEqual(expected);
    // The crashes did cause redeliveries (of the rolled-back batch and of the committed-but-unacknowledged one).
    expect(final.distinctDelivered).toBe(60);
    expect(final.deliveries).toBeGreaterThan(60);
  });
});
