import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from '@jest/globals';
import { Kafka, logLevel, type Admin, type IHeaders, type KafkaMessage } from 'kafkajs';
import { createTopicsReady } from '@fulfillment/testing';
import { kafkaBrokers } from './testing-env.js';

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

export function testKafka(clientId = uniqueName('messaging-test')): Kafka {
  return new Kafka({ brokers: kafkaBrokers(), clientId, logLevel: logLevel.NOTHING });
}

export interface TopicSpec {
  topic: string;
  partitions?: number;
  config?: Record<string, string>;
}

/** Creates each topic and its `.dlq` twin (same settings), waiting until they have leaders. */
export async function createTopicsWithDlq(admin: Admin, specs: TopicSpec[]): Promise<string[]> {
  const all = specs.flatMap((spec) => [spec, { ...spec, topic: `${spec.topic}.dlq` }]);
  await createTopicsReady(
    admin,
    all.map(({ topic, partitions, config }) => ({
      topic,
      numPartitions: partitions ?? 1,
      replicationFactor: 1,
      configEntries: Object.entries(config ?? {}).map(([name, value]) => ({ name, value })),
    })),
  );
  return all.map((spec) => spec.topic);
}

export async function deleteTopics(admin: Admin, topics: string[]): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const present = topics.filter((topic) => existing.has(topic));
  if (present.length > 0) await admin.deleteTopics({ topics: present, timeout: 10_000 });
}

/** The Kafka side of an int spec of this library; see `useKafkaFixture`. */
export interface KafkaFixture {
  /** A plain client for the fixtures: producing records, reading topics back. */
  readonly fixtures: Kafka;
  /** Connected before the file's tests, disconnected after them. */
  readonly admin: Admin;
  /** Creates a topic named after `prefix` and its `.dlq` twin (see createTopicsWithDlq), both deleted after the tests. */
  newTopic(prefix: string, spec?: Omit<TopicSpec, 'topic'>): Promise<string>;
  /** Has topics a test created itself deleted after the file's tests. */
  deleteAfterAll(...topics: string[]): void;
  /** Waits until `groupId` has committed every record of `topic`. */
  drained(groupId: string, topic: string, timeoutMs?: number): Promise<void>;
}

/**
 * Registers the file's Kafka fixture: an admin connected before its tests, and every topic they created deleted after
 * them. Hooks run in the order they are declared: a file whose clients must stop before its topics go declares that
 * afterAll before calling this.
 */
export function useKafkaFixture(): KafkaFixture {
  const fixtures = testKafka();
  const admin = fixtures.admin();
  const topics: string[] = [];
  beforeAll(() => admin.connect());
  afterAll(async () => {
    await deleteTopics(admin, topics);
    await admin.disconnect();
  });
  return {
    fixtures,
    admin,
    async newTopic(prefix, spec = {}) {
      const topic = uniqueName(prefix);
      topics.push(...(await createTopicsWithDlq(admin, [{ topic, ...spec }])));
      return topic;
    },
    deleteAfterAll: (...created) => void topics.push(...created),
    drained: (groupId, topic, timeoutMs) =>
      waitFor(async () => (await lagOf(admin, groupId, topic)) === 0n, {
        what: `lag 0 of ${groupId} on ${topic}`,
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
      }),
  };
}

export async function produce(
  kafka: Kafka,
  topic: string,
  messages: { key?: string | null; value: Buffer | string | null; headers?: IHeaders; partition?: number }[],
): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic, messages, acks: -1 });
  } finally {
    await producer.disconnect();
  }
}

/** The committed offset of a group per partition (-1 when nothing is committed). */
export async function committedOffsets(admin: Admin, groupId: string, topic: string): Promise<Map<number, bigint>> {
  const [result] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return new Map((result?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
}

/** Records not yet committed by the group, over all partitions of the topic. */
export async function lagOf(admin: Admin, groupId: string, topic: string): Promise<bigint> {
  const committed = await committedOffsets(admin, groupId, topic);
  const ends = await admin.fetchTopicOffsets(topic);
  return ends.reduce((sum, { partition, high, low }) => {
    const position = committed.get(partition) ?? -1n;
    return sum + BigInt(high) - (position < 0n ? BigInt(low) : position);
  }, 0n);
}

/** Reads a topic from the beginning until `count` records arrived (or the timeout passed) and returns them in order. */
export async function readTopic(kafka: Kafka, topic: string, count: number, timeoutMs = 20_000): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('reader'), allowAutoTopicCreation: false });
  const received: KafkaMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    let done: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(message);
        if (received.length >= count) done();
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([finished, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  } finally {
    await consumer.disconnect();
  }
  return received;
}

export function headerOf(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return last === undefined ? undefined : last.toString();
}

export async function waitFor(
  condition: () => Promise<boolean> | boolean,
  { timeoutMs = 30_000, intervalMs = 100, what = 'condition' } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
