import path from 'node:path';
import { Kafka, logLevel, type Admin, type ITopicConfig, type KafkaConfig } from 'kafkajs';
import { uniqueSuffix } from './database.js';
import { repoRoot, testInfra } from './infra.js';

/** A broker and how to connect to it, for test clients and for service processes. */
export interface KafkaTarget {
  brokers: string[];
  /** kafkajs options of the connection (TLS, SASL); none for a plaintext broker */
  security: Pick<KafkaConfig, 'ssl' | 'sasl'>;
  /** the same as the service settings (KAFKA_BROKERS, KAFKA_SSL, KAFKA_SASL_*, ...), for a process's environment */
  env: Record<string, string>;
}

type SecurityFromEnv = (env: NodeJS.ProcessEnv) => Pick<KafkaConfig, 'ssl' | 'sasl'>;

/** The scripts' reading of KAFKA_SSL / KAFKA_SASL_*, so tests and infra:up connect the same way. */
async function securityFromEnv(): Promise<Pick<KafkaConfig, 'ssl' | 'sasl'>> {
  // A path, not a file: URL, so that Jest's CommonJS require can load it as well as Node's ESM loader.
  const helper = path.join(repoRoot(), 'infra/local/kafka-security.mjs');
  const { kafkaSecurityFromEnv } = (await import(helper)) as { kafkaSecurityFromEnv: SecurityFromEnv };
  return kafkaSecurityFromEnv(process.env);
}

type CreateTopicsReady = (admin: Admin, topics: ITopicConfig[], options?: { timeoutMs?: number }) => Promise<boolean>;

/**
 * Creates topics through a connected admin and waits until every partition has a leader: the scripts' helper
 * (infra/local/kafka-topics.mjs), which also waits out a KRaft broker's UNKNOWN_TOPIC_OR_PARTITION for a topic it has
 * just created (kafkajs' `waitForLeaders` gives up on it).
 */
export async function createTopicsReady(admin: Admin, topics: ITopicConfig[], options?: { timeoutMs?: number }): Promise<boolean> {
  const helper = path.join(repoRoot(), 'infra/local/kafka-topics.mjs');
  const { createTopicsReady: create } = (await import(helper)) as { createTopicsReady: CreateTopicsReady };
  return create(admin, topics, options);
}

/** The broker tests share (testInfra), secured as the KAFKA_* environment says; processes inherit that environment. */
export async function defaultKafkaTarget(): Promise<KafkaTarget> {
  const { kafkaBrokers } = await testInfra();
  return { brokers: kafkaBrokers, security: await securityFromEnv(), env: { KAFKA_BROKERS: kafkaBrokers.join(',') } };
}

export async function testKafka(clientId = 'test', target?: KafkaTarget): Promise<Kafka> {
  const { brokers, security } = target ?? (await defaultKafkaTarget());
  return new Kafka({ clientId, brokers, logLevel: logLevel.NOTHING, ...security });
}

/** Runs `use` on a connected admin of `kafka`, disconnecting it afterwards. */
export async function withAdmin<T>(kafka: Kafka, use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.disconnect();
  }
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
  await withAdmin(kafka, (admin) => createTopicsReady(admin, names.map((topic) => ({ topic, numPartitions: partitions }))));
  return {
    names,
    name: (base) => {
      const n = map.get(base);
      if (!n) throw new Error(`topic ${base} was not created by this helper`);
      return n;
    },
    delete: () => withAdmin(kafka, (admin) => admin.deleteTopics({ topics: names })),
  };
}

export interface TopicNamespace {
  /** pass as KAFKA_TOPIC_PREFIX to the services under test */
  prefix: string;
  /** the broker the topics are on, and how the namespace's own clients connect to it */
  target: KafkaTarget;
  /** the real name of a contract topic in this namespace */
  name(topic: string): string;
  delete(): Promise<void>;
}

/**
 * Every contract topic (and its `.dlq`) under a fresh prefix, so a test's services, consumer groups and messages
 * never meet another test's.
 */
export async function createTopicNamespace(topics: readonly string[], partitions = 3, target?: KafkaTarget): Promise<TopicNamespace> {
  const resolved = target ?? (await defaultKafkaTarget());
  const kafka = await testKafka('test-namespace', resolved);
  const prefix = `t${uniqueSuffix()}.`;
  const names = topics.flatMap((t) => [`${prefix}${t}`, `${prefix}${t}.dlq`]);
  await withAdmin(kafka, (admin) =>
    createTopicsReady(
      admin,
      names.map((topic) =>
        topic.endsWith('.dlq')
          ? { topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: String(4 * 1024 * 1024) }] }
          : { topic, numPartitions: partitions },
      ),
    ),
  );
  return {
    prefix,
    target: resolved,
    name: (t) => `${prefix}${t}`,
    delete: () => withAdmin(kafka, (admin) => admin.deleteTopics({ topics: names })),
  };
}
