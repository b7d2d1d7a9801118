import { randomUUID } from 'node:crypto';
import {
  ALL_DLQ_TOPICS,
  ALL_TOPICS,
  createEnvelope,
  decodeMessage,
  DLQ_HEADERS,
  encodeEnvelope,
  type AnyEnvelope,
  type MessageData,
  type MessageType,
} from '@fulfillment/contracts';
import { Partitioners, type Consumer, type Producer } from 'kafkajs';
import pg from 'pg';
import { sessionPool } from '@fulfillment/eventstore';
import type { HttpAnswer, HttpOptions } from './auth.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { testInfra } from './infra.js';
import { createTopicNamespace, testKafka, type TopicNamespace } from './kafka.js';
import { freePortPair } from './private-infra.js';
import { spawnService, troublesIn, type ServiceProcess } from './service-process.js';
import type { ServiceKey } from './system.js';
import { eventually } from './wait.js';

/** A record read back from a topic of the namespace (contract topic name, not the prefixed one). */
export interface ReceivedRecord {
  topic: string;
  partition: number;
  key: string | null;
  value: string;
  headers: Record<string, string>;
  /** the envelope when the value decodes against the topic's contract (a dead letter: its source topic's) */
  envelope: AnyEnvelope | undefined;
}

export interface ServiceUnderTestOptions {
  /** instances in one consumer group, on one database (default 1) */
  instances?: number;
  env?: Record<string, string>;
  /** how long to wait for each instance's /health (default 90 s) */
  healthTimeoutMs?: number;
}

/**
 * One service as processes on a database and a topic namespace of their own, with a producer for what it consumes and
 * a reader of every topic and dead-letter topic of the namespace: the harness every service's tests share.
 */
export class ServiceUnderTest {
  private readonly records: ReceivedRecord[] = [];
  private pool: pg.Pool | undefined;

  protected constructor(
    readonly name: ServiceKey,
    readonly instances: ServiceProcess[],
    readonly database: TestDatabase,
    readonly namespace: TopicNamespace,
    private readonly producer: Producer,
    private readonly reader: Consumer,
  ) {}

  static async startService(name: ServiceKey, options: ServiceUnderTestOptions = {}): Promise<ServiceUnderTest> {
    const parts = await ServiceUnderTest.startParts(name, options);
    const sut = new ServiceUnderTest(name, ...parts);
    await sut.ready(options);
    return sut;
  }

  /** For subclasses: the pieces a ServiceUnderTest is made of, before `ready`. */
  protected static async startParts(
    name: ServiceKey,
    options: ServiceUnderTestOptions,
  ): Promise<[ServiceProcess[], TestDatabase, TopicNamespace, Producer, Consumer]> {
    const { kafkaBrokers } = await testInfra();
    const [database, namespace] = await Promise.all([createTestDatabase(`${name}_svc`), createTopicNamespace(ALL_TOPICS)]);
    const instances: ServiceProcess[] = [];
    for (let i = 0; i < (options.instances ?? 1); i++) {
      instances.push(
        spawnService(name, {
          PORT: String(await freePortPair()),
          DATABASE_URL: database.url,
          KAFKA_BROKERS: kafkaBrokers.join(','),
          KAFKA_TOPIC_PREFIX: namespace.prefix,
          ...options.env,
        }),
      );
    }
    const kafka = await testKafka(`${name}-service-test`);
    const producer = kafka.producer({ allowAutoTopicCreation: false, createPartitioner: Partitioners.DefaultPartitioner });
    const reader = kafka.consumer({ groupId: `${namespace.prefix}reader-${randomUUID()}`, allowAutoTopicCreation: false, maxWaitTimeInMs: 100 });
    return [instances, database, namespace, producer, reader];
  }

  protected async ready(options: ServiceUnderTestOptions): Promise<void> {
    await Promise.all([this.producer.connect(), this.reader.connect()]);
    await this.reader.subscribe({ topics: [...ALL_TOPICS, ...ALL_DLQ_TOPICS].map((topic) => this.namespace.name(topic)), fromBeginning: true });
    await this.reader.run({
      eachMessage: async ({ topic, partition, message }) => {
        const logical = topic.slice(this.namespace.prefix.length);
        const value = message.value?.toString('utf8') ?? '';
        // A dead letter keeps the original bytes: decoded against its source topic when they decode at all.
        const decoded = decodeMessage(logical.endsWith('.dlq') ? logical.slice(0, -'.dlq'.length) : logical, value);
        this.records.push({
          topic: logical,
          partition,
          key: message.key?.toString('utf8') ?? null,
          value,
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, header]) => [name, String(header)])),
          envelope: decoded.ok ? decoded.envelope : undefined,
        });
      },
    });
    await Promise.all(this.instances.map((instance) => instance.waitHealthy(options.healthTimeoutMs ?? 90_000)));
  }

  /** The first instance. */
  get service(): ServiceProcess {
    return this.instances[0]!;
  }

  get url(): string {
    return this.service.url;
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.instances.map((instance) => instance.stop()));
    await Promise.allSettled([this.reader.disconnect(), this.producer.disconnect(), this.pool?.end()]);
    await Promise.allSettled([this.namespace.delete(), this.database.drop()]);
  }

  /** A message as another service or a client would publish it. */
  envelope<T extends MessageType>(
    type: T,
    data: MessageData<T>,
    meta: { id?: string; correlationId?: string; source?: string; time?: string } = {},
  ): AnyEnvelope {
    return createEnvelope(type, data, {
      source: meta.source ?? 'test',
      correlationId: meta.correlationId ?? randomUUID(),
      causationId: null,
      ...(meta.id ? { id: meta.id } : {}),
      ...(meta.time ? { time: meta.time } : {}),
    }) as AnyEnvelope;
  }

  /** Publishes envelopes on the namespaced contract topic, keyed by their subject, in the order given. */
  async send(topic: string, ...envelopes: AnyEnvelope[]): Promise<void> {
    await this.sendRaw(topic, envelopes.map((envelope) => ({ key: envelope.subject, value: encodeEnvelope(envelope) })));
  }

  async sendRaw(topic: string, messages: { key: string | null; value: string | Buffer; headers?: Record<string, string> }[]): Promise<void> {
    await this.producer.send({ topic: this.namespace.name(topic), acks: -1, messages });
  }

  /** Everything read on a contract topic (or `<topic>.dlq`) so far, in arrival order. */
  received(topic: string): ReceivedRecord[] {
    return this.records.filter((record) => record.topic === topic);
  }

  /** The envelopes read on a contract topic, optionally of some types. */
  envelopes(topic: string, ...types: string[]): AnyEnvelope[] {
    return this.received(topic).flatMap(({ envelope }) => (envelope && (types.length === 0 || types.includes(envelope.type)) ? [envelope] : []));
  }

  /**
   * The warnings and errors the instances logged (pino level 40 and up), the last `max` of them: what a timed-out wait
   * reports, so that a failure in CI says what the service was doing instead of only what the test did not see.
   */
  troubles(max = 50): string[] {
    const lines = this.instances.flatMap((instance, index) =>
      troublesIn(instance.output(), Number.MAX_SAFE_INTEGER).map((line) => (this.instances.length > 1 ? `[${index}] ${line}` : line)),
    );
    return lines.slice(-max);
  }

  /** `wait`, failing with the service's troubles appended to the message. */
  async diagnosed<T>(wait: Promise<T>): Promise<T> {
    try {
      return await wait;
    } catch (error) {
      const troubles = this.troubles();
      if (error instanceof Error && troubles.length > 0) error.message += `\n${this.name} logged meanwhile:\n${troubles.join('\n')}`;
      throw error;
    }
  }

  /** Waits until `select` over a topic's records yields `count` of them, and returns them. */
  waitFor(topic: string, select: (record: ReceivedRecord) => boolean, count = 1, timeoutMs = 45_000): Promise<ReceivedRecord[]> {
    return this.diagnosed(eventually(
      () => {
        const found = this.received(topic).filter(select);
        return found.length >= count ? found : undefined;
      },
      { timeoutMs, intervalMs: 50, what: `${count} matching record(s) on ${topic} (have ${this.received(topic).filter(select).length})` },
    ));
  }

  deadLetters(topic: string): ReceivedRecord[] {
    return this.received(`${topic}.dlq`);
  }

  async waitForDeadLetter(topic: string, select: (record: ReceivedRecord) => boolean, timeoutMs = 45_000): Promise<ReceivedRecord> {
    const [found] = await this.waitFor(`${topic}.dlq`, select, 1, timeoutMs);
    return found!;
  }

  /** A JSON request to the first instance, with a staff bearer token unless `options.token` says otherwise. */
  http<B = unknown>(method: string, path: string, options: HttpOptions = {}): Promise<HttpAnswer<B>> {
    return this.service.http<B>(method, path, options);
  }

  /**
   * Waits until the service's consumer group has committed everything produced so far on `topics` (contract names):
   * nothing in flight, so a test can check that something did NOT happen.
   */
  async waitUntilConsumed(topics: readonly string[], timeoutMs = 30_000): Promise<void> {
    const admin = (await testKafka(`${this.name}-lag`)).admin();
    await admin.connect();
    try {
      const real = topics.map((topic) => this.namespace.name(topic));
      await eventually(
        async () => {
          const committed = await admin.fetchOffsets({ groupId: `${this.namespace.prefix}${this.name}-service`, topics: real });
          for (const topic of real) {
            const done = committed.find((c) => c.topic === topic)?.partitions ?? [];
            for (const end of await admin.fetchTopicOffsets(topic)) {
              if (end.high === '0') continue;
              if (done.find((p) => p.partition === end.partition)?.offset !== end.high) return undefined;
            }
          }
          return true;
        },
        { timeoutMs, intervalMs: 200, what: `${this.name} to consume everything produced on ${topics.join(', ')}` },
      );
    } finally {
      await admin.disconnect();
    }
  }

  /** Reads the service's own database (its streams, inbox, read models). */
  async query<R extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    if (!this.pool) {
      // A session the server closes (a restart, a terminated backend) must not crash the test process.
      this.pool = sessionPool({ connectionString: this.database.url, max: 2 });
    }
    return (await this.pool.query<R>(sql, values)).rows;
  }
}

/** The reason header of a dead letter. */
export const deadLetterReason = (record: ReceivedRecord): string => record.headers[DLQ_HEADERS.reason] ?? '';
