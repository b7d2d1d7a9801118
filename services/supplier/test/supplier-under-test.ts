// The supplier service as a process on its own database and topic namespace, with what the tests need around it:
// HTTP, a producer onto its input topics and a reader of everything it publishes and dead-letters.
import { randomUUID } from 'node:crypto';
import {
  ALL_TOPICS,
  createEnvelope,
  dlqTopicOf,
  DLQ_HEADERS,
  encodeEnvelope,
  TOPICS,
  type Envelope,
  type MessageData,
  type MessageType,
  type Topic,
} from '@fulfillment/contracts';
import {
  createTestDatabase,
  createTopicNamespace,
  eventually,
  freePortPair,
  spawnService,
  testInfra,
  testKafka,
  type ServiceProcess,
  type TestDatabase,
  type TopicNamespace,
} from '@fulfillment/testing';
import { Partitioners, type Consumer, type Producer } from 'kafkajs';
import pg from 'pg';

export interface Received {
  topic: Topic | `${Topic}.dlq`;
  key: string;
  value: string;
  headers: Record<string, string>;
  /** the parsed value, or undefined when it is not JSON */
  envelope: (Envelope & { data: Record<string, unknown> }) | undefined;
}

export interface HttpResult<B = unknown> {
  status: number;
  body: B;
  headers: Headers;
}

const READ_TOPICS = [TOPICS.supplierEvents, dlqTopicOf(TOPICS.supplierCommands), dlqTopicOf(TOPICS.inventoryEvents)];

export class SupplierUnderTest {
  readonly received: Received[] = [];

  private constructor(
    readonly service: ServiceProcess,
    readonly database: TestDatabase,
    readonly namespace: TopicNamespace,
    private readonly producer: Producer,
    private readonly consumer: Consumer,
  ) {}

  static async start(): Promise<SupplierUnderTest> {
    const { kafkaBrokers } = await testInfra();
    const [database, namespace, port] = await Promise.all([
      createTestDatabase('test_supplier'),
      createTopicNamespace(ALL_TOPICS),
      freePortPair(),
    ]);
    const service = spawnService('supplier', {
      PORT: String(port),
      DATABASE_URL: database.url,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: namespace.prefix,
    });
    const kafka = await testKafka('supplier-tests');
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    const consumer = kafka.consumer({ groupId: `${namespace.prefix}supplier-tests`, maxWaitTimeInMs: 100 });
    const sut = new SupplierUnderTest(service, database, namespace, producer, consumer);
    await Promise.all([producer.connect(), consumer.connect(), service.waitHealthy(60_000)]);
    await consumer.subscribe({ topics: READ_TOPICS.map((t) => namespace.name(t)), fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, message }) => {
        const value = message.value?.toString('utf8') ?? '';
        let envelope: Received['envelope'];
        try {
          envelope = JSON.parse(value) as Received['envelope'];
        } catch {
          envelope = undefined;
        }
        sut.received.push({
          topic: topic.slice(namespace.prefix.length) as Received['topic'],
          key: message.key?.toString('utf8') ?? '',
          value,
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([k, v]) => [k, String(v)])),
          envelope,
        });
      },
    });
    return sut;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([this.consumer.disconnect(), this.producer.disconnect()]);
    await this.service.stop();
    await Promise.allSettled([this.namespace.delete(), this.database.drop()]);
  }

  async http<B = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<HttpResult<B>> {
    const res = await fetch(`${this.service.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as B, headers: res.headers };
  }

  /** Sends envelopes (or raw values) to a contract topic of this namespace, keyed by subject. */
  async send(topic: Topic, ...messages: (Envelope | { key: string; value: string })[]): Promise<void> {
    await this.producer.send({
      topic: this.namespace.name(topic),
      messages: messages.map((m) =>
        'specversion' in m ? { key: m.subject, value: encodeEnvelope(m) } : { key: m.key, value: m.value },
      ),
    });
  }

  /** What was published on supplier.events. */
  published(): Received[] {
    return this.received.filter((r) => r.topic === TOPICS.supplierEvents);
  }

  deadLetters(topic: Topic): Received[] {
    return this.received.filter((r) => r.topic === dlqTopicOf(topic));
  }

  /** The first received message `match` accepts, once it has arrived. */
  waitFor(match: (r: Received) => boolean, what: string, timeoutMs = 30_000): Promise<Received> {
    return eventually(() => this.received.find(match), { timeoutMs, intervalMs: 50, what });
  }

  /** Queries the service's own database (to look at its event streams). */
  async query<R extends pg.QueryResultRow>(sql: string, values: unknown[] = []): Promise<R[]> {
    const client = new pg.Client({ connectionString: this.database.url });
    await client.connect();
    try {
      return (await client.query<R>(sql, values)).rows;
    } finally {
      await client.end();
    }
  }
}

/** An envelope as another service or a client would send it. */
export function envelope<T extends MessageType>(type: T, data: MessageData<T>, source = 'supplier-tests'): Envelope {
  return createEnvelope(type, data, { source, correlationId: `corr-${randomUUID()}`, causationId: null });
}

export const dlqReason = (r: Received): string => r.headers[DLQ_HEADERS.reason] ?? '';

export const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString();

/** The UTC calendar date (YYYY-MM-DD) `days` from now, to write instants in several notations. */
export const utcDate = (days: number): string => inDays(days).slice(0, 10);
