import { Kafka, logLevel } from 'kafkajs';
import { uniqueSuffix } from './database.js';
import { testInfra } from './infra.js';

export async function testKafka(clientId = 'test'): Promise<Kafka> {
  const { kafkaBrokers } = await testInfra();
  return new Kafka({ clientId, brokers: kafkaBrokers, logLevel: logLevel.NOTHING });
}

export interface TestTopics {
  names: string[];
  delete(): Promise<void>;
}

/** Creates uniquely named topics (each with its `.dlq` twin); delete them in afterAll. */
export async function createTestTopics(bases: string[], partitions = 3): Promise<TestTopics & { name(base: string): string }> {
  const kafka = await testKafka('test-topics');
  const suffix = uniqueSuffix();
  const map = new Map(bases.map((b) => [b, `${b}.${suffix}`]));
  const names = [...map.values()].flatMap((t) => [t, `${t}.dlq`]);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: names.map((topic) => ({ topic, numPartitions: partitions })), waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  return {
    names,
    name: (base) => {
      const n = map.get(base);
      if (!n) throw new Error(`topic ${base} was not created by this helper`);
      return n;
    },
    delete: async () => {
      const a = kafka.admin();
      await a.connect();
      try {
        await a.deleteTopics({ topics: names });
      } finally {
        await a.disconnect();
      }
    },
  };
}

export interface TopicNamespace {
  /** pass as KAFKA_TOPIC_PREFIX to the services under test */
  prefix: string;
  /** the real name of a contract topic in this namespace */
  name(topic: string): string;
  delete(): Promise<void>;
}

/**
 * Every contract topic (and its `.dlq`) under a fresh prefix, so a test's services, consumer groups and messages
 * never meet another test's.
 */
export async function createTopicNamespace(topics: readonly string[], partitions = 3): Promise<TopicNamespace> {
  const kafka = await testKafka('test-namespace');
  const prefix = `t${uniqueSuffix()}.`;
  const names = topics.flatMap((t) => [`${prefix}${t}`, `${prefix}${t}.dlq`]);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      topics: names.map((topic) =>
        topic.endsWith('.dlq')
          ? { topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: String(4 * 1024 * 1024) }] }
          : { topic, numPartitions: partitions },
      ),
      waitForLeaders: true,
    });
  } finally {
    await admin.disconnect();
  }
  return {
    prefix,
    name: (t) => `${prefix}${t}`,
    delete: async () => {
      const a = kafka.admin();
      await a.connect();
      try {
        await a.deleteTopics({ topics: names });
      } finally {
        await a.disconnect();
      }
    },
  };
}
