// Crashes kafkajs reports from its consumer, on brokers of this test's own: a broker outage (kafkajs restarts the
// consumer by itself) and a refusal kafkajs does not restart from (the consumer replaces itself until it runs again).
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { aclsInForce, createTopicsReady, startPrivateKafka, testKafka, withAdmin, type PrivateKafka } from '@fulfillment/testing';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type Admin,
  type Kafka,
} from 'kafkajs';
import pino from 'pino';
import type { ConsumedMessage } from './consumed-message.js';
import type { KafkaBatchConsumer } from './kafka-batch-consumer.js';
import { backInStock } from './test-support/envelopes.js';
import { testConsumer } from './test-support/harness.js';
import { produce, uniqueName, waitFor } from './test-support/kafka-fixtures.js';

interface LogRecord {
  msg: string;
  restart?: boolean;
}

/** A consumer of `topic` (the harness's test settings) recording the ids it was handed and its own warnings and errors. */
function recordingConsumer(kafka: Kafka, topic: string, groupId: string) {
  const logs: LogRecord[] = [];
  const received: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logs.push(JSON.parse(line) as LogRecord) });
  const consumer = testConsumer(
    kafka,
    {
      groupId,
      topics: [topic],
      logger,
      handle: async (messages: ConsumedMessage[]) => {
        received.push(...messages.map((m) => m.envelope.id));
      },
    },
    [],
  );
  const crashes = (restart: boolean) => logs.filter((l) => l.msg === 'consumer crashed' && l.restart === restart).length;
  return { consumer, logs, received, crashes };
}

let running: KafkaBatchConsumer | undefined;
afterEach(async () => {
  await running?.stop();
  running = undefined;
}, 60_000);

describe('KafkaBatchConsumer through a broker outage', () => {
  let broker: PrivateKafka;
  const topic = uniqueName('outage');

  beforeAll(async () => {
    broker = await startPrivateKafka();
    await withAdmin(await testKafka('outage-setup', broker.target()), (admin) =>
      createTopicsReady(admin, [{ topic }, { topic: `${topic}.dlq` }]),
    );
  }, 120_000);

  afterAll(() => broker?.dispose(), 60_000);

  it('reports healthy again once restarted after the crash, and consumes what was sent meanwhile', async () => {
    const kafka = await testKafka(uniqueName('outage'), broker.target());
    const { consumer, received, crashes } = recordingConsumer(kafka, topic, uniqueName('group'));
    running = consumer;
    await consumer.start();
    const before = backInStock();
    await produce(kafka, topic, [before]);
    await waitFor(() => received.includes(before.id), { what: 'the message sent before the outage' });
    expect(consumer.isHealthy()).toBe(true);

    await broker.stop();
    // Usually one kafkajs restarts from; should it deem the failure final, the consumer replaces itself instead.
    await waitFor(() => crashes(true) + crashes(false) > 0, { timeoutMs: 90_000, intervalMs: 250, what: 'kafkajs to report a crash' });
    await waitFor(() => !consumer.isHealthy(), { what: 'the crashed consumer to report unhealthy' });

    await broker.start();
    const after = backInStock();
    await produce(await testKafka(uniqueName('outage-after'), broker.target()), topic, [after]);
    await waitFor(() => received.includes(after.id), { timeoutMs: 90_000, what: 'the message sent after the outage' });
    await waitFor(() => consumer.isHealthy(), { timeoutMs: 30_000, what: 'the restarted consumer to report healthy' });
    expect(new Set(received)).toEqual(new Set([before.id, after.id]));
  }, 240_000);
});

describe('KafkaBatchConsumer after a crash kafkajs does not restart from', () => {
  let broker: PrivateKafka;
  const topic = uniqueName('refused');
  const groupId = uniqueName('group');
  const user = 'reader';
  // The one permission the test takes away and gives back: reading the topic.
  const readTopic = {
    resourceType: AclResourceTypes.TOPIC,
    resourceName: topic,
    resourcePatternType: ResourcePatternTypes.LITERAL,
    principal: `User:${user}`,
    host: '*',
    operation: AclOperationTypes.READ,
    permissionType: AclPermissionTypes.ALLOW,
  };
  const asAdmin = async <T>(use: (admin: Admin) => Promise<T>) => withAdmin(await testKafka('refused-admin', broker.target()), use);

  beforeAll(async () => {
    broker = await startPrivateKafka({ secure: { users: [user] } });
    await asAdmin(async (admin) => {
      await createTopicsReady(admin, [{ topic }, { topic: `${topic}.dlq` }]);
      await admin.createAcls({
        acl: [
          readTopic,
          { ...readTopic, resourceType: AclResourceTypes.GROUP, resourceName: groupId },
          { ...readTopic, resourceName: `${topic}.dlq`, operation: AclOperationTypes.WRITE },
        ],
      });
    });
    await aclsInForce([broker.target(user)]);
  }, 180_000);

  afterAll(() => broker?.dispose(), 60_000);

  it('replaces itself when its very first join is refused, and consumes once the group is allowed', async () => {
    const lateGroup = uniqueName('late-group');
    const groupAcl = { ...readTopic, resourceType: AclResourceTypes.GROUP, resourceName: lateGroup };
    const kafka = await testKafka(uniqueName('late'), broker.target(user));
    const { consumer, received, crashes, logs } = recordingConsumer(kafka, topic, lateGroup);
    running = consumer;
    // GROUP_AUTHORIZATION_FAILED at the first join: kafkajs crashes for good inside run(), before start() resolves.
    await consumer.start();
    await waitFor(() => crashes(false) > 0, { timeoutMs: 60_000, what: 'the refused first join' });
    const sent = backInStock();
    await produce(await testKafka('late-producer', broker.target()), topic, [sent]);

    await asAdmin((admin) => admin.createAcls({ acl: [groupAcl] }));
    await waitFor(() => received.includes(sent.id), { timeoutMs: 60_000, what: 'the message, once the group is allowed' });
    await waitFor(() => consumer.isHealthy(), { timeoutMs: 30_000, what: 'the replaced consumer to report healthy' });
    expect(logs.some((l) => l.msg === 'consumer replaced after a crash kafkajs does not restart from')).toBe(true);
  }, 240_000);

  it('replaces itself while the broker refuses it, and consumes again once the refusal ends', async () => {
    const kafka = await testKafka(uniqueName('refused'), broker.target(user));
    const producer = await testKafka('refused-producer', broker.target());
    const { consumer, received, crashes, logs } = recordingConsumer(kafka, topic, groupId);
    running = consumer;
    await consumer.start();
    const before = backInStock();
    await produce(producer, topic, [before]);
    await waitFor(() => received.includes(before.id), { what: 'the message sent while reading was allowed' });

    await asAdmin((admin) => admin.deleteAcls({ filters: [readTopic] }));
    // TOPIC_AUTHORIZATION_FAILED is not retriable: kafkajs stops this consumer for good, and says so.
    await waitFor(() => crashes(false) > 0, { timeoutMs: 60_000, what: 'a crash kafkajs does not restart from' });
    const refused = backInStock();
    await produce(producer, topic, [refused]);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // While refused, each replacement joins the group and crashes at its first fetch, so the health may flicker.
    expect(received).not.toContain(refused.id);

    await asAdmin((admin) => admin.createAcls({ acl: [readTopic] }));
    await waitFor(() => received.includes(refused.id), { timeoutMs: 60_000, what: 'the message sent while refused' });
    await waitFor(() => consumer.isHealthy(), { timeoutMs: 30_000, what: 'the replaced consumer to report healthy' });
    expect(logs.some((l) => l.msg === 'consumer replaced after a crash kafkajs does not restart from')).toBe(true);
    expect(received.filter((id) => id === before.id)).toHaveLength(1);

    // Refused again: stop() ends the replacements under way, and none follows.
    const crashesBefore = crashes(false);
    await asAdmin((admin) => admin.deleteAcls({ filters: [readTopic] }));
    await produce(producer, topic, [backInStock()]);
    await waitFor(() => crashes(false) > crashesBefore, { timeoutMs: 60_000, what: 'the second refusal' });
    await consumer.stop();
    const linesAtStop = logs.length;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(logs.slice(linesAtStop)).toEqual([]);
    expect(consumer.isHealthy()).toBe(false);
  }, 240_000);
});
