import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { buildCompiledLibraries, startScript } from './test-support/child-process.js';
import { readEffects } from './test-support/effects.mjs';
import { backInStock } from './test-support/envelopes.js';
import { committedOffsets, produce, uniqueName, useKafkaFixture } from './test-support/kafka-fixtures.js';
import { createEffectsDatabase, type TestDatabase } from './test-support/pg-fixtures.js';
import { kafkaBrokers } from './test-support/testing-env.js';

jest.setTimeout(120_000);

const { fixtures, admin, newTopic, drained } = useKafkaFixture();
let db: TestDatabase;

const startChild = (env: Record<string, string>) => startScript('crash-child.mjs', env);

beforeAll(async () => {
  buildCompiledLibraries();
  db = await createEffectsDatabase();
}, 120_000);

afterAll(() => db.drop());

describe('KafkaBatchConsumer killed mid-batch (SIGKILL, in a child process)', () => {
  it('applies every effect exactly once across crashes inside the transaction and between effect and commit', async () => {
    const topic = await newTopic('msg-crash');
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
    await drained(groupId, topic, 60_000);
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
