// One order service process on its own database and topic namespace, with a producer for what it consumes and a
// reader of everything it publishes or dead-letters. Each test file starts one and disposes of it in afterAll.
import { randomUUID } from 'node:crypto';
import {
  ALL_TOPICS,
  createEnvelope,
  encodeEnvelope,
  TOPICS,
  type AnyEnvelope,
  type MessageData,
  type MessageType,
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

export interface ReceivedRecord {
  topic: string;
  key: string | null;
  value: string;
  headers: Record<string, string>;
}

export interface HttpAnswer<B = unknown> {
  status: number;
  headers: Headers;
  body: B;
}

/** The contract topics this file reads back: what the service publishes and where it dead-letters. */
const WATCHED = [TOPICS.orderEvents, `${TOPICS.orderCommands}.dlq`, `${TOPICS.inventoryEvents}.dlq`];

export class OrderServiceHarness {
  private readonly records: ReceivedRecord[] = [];

  private constructor(
    readonly service: ServiceProcess,
    readonly database: TestDatabase,
    private readonly namespace: TopicNamespace,
    private readonly producer: Producer,
    private readonly reader: Consumer,
  ) {}

  static async start(env: Record<string, string> = {}): Promise<OrderServiceHarness> {
    const { kafkaBrokers } = await testInfra();
    const [database, namespace] = await Promise.all([createTestDatabase('order_svc'), createTopicNamespace(ALL_TOPICS)]);
    const kafka = await testKafka('order-service-test');
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    const reader = kafka.consumer({ groupId: `${namespace.prefix}reader-${randomUUID()}` });
    const service = spawnService('order', {
      PORT: String(await freePortPair()),
      DATABASE_URL: database.url,
      KAFKA_BROKERS: kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: namespace.prefix,
      ...env,
    });
    const harness = new OrderServiceHarness(service, database, namespace, producer, reader);
    await Promise.all([producer.connect(), reader.connect()]);
    await reader.subscribe({ topics: WATCHED.map((topic) => namespace.name(topic)), fromBeginning: true });
    await reader.run({
      eachMessage: async ({ topic, message }) => {
        harness.records.push({
          topic: namespace.prefix && topic.startsWith(namespace.prefix) ? topic.slice(namespace.prefix.length) : topic,
          key: message.key?.toString('utf8') ?? null,
          value: message.value?.toString('utf8') ?? '',
          headers: Object.fromEntries(Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)])),
        });
      },
    });
    await service.waitHealthy(90_000);
    return harness;
  }

  async dispose(): Promise<void> {
    await this.service.stop();
    await Promise.allSettled([this.reader.disconnect(), this.producer.disconnect()]);
    await Promise.allSettled([this.namespace.delete(), this.database.drop()]);
  }

  /** A message as another service would publish it. */
  envelope<T extends MessageType>(type: T, data: MessageData<T>, meta: { id?: string; correlationId?: string; source?: string } = {}): AnyEnvelope {
    return createEnvelope(type, data, {
      source: meta.source ?? 'inventory',
      correlationId: meta.correlationId ?? randomUUID(),
      causationId: null,
      ...(meta.id ? { id: meta.id } : {}),
    }) as AnyEnvelope;
  }

  /** Publishes envelopes on the namespaced topic, keyed by their subject, in the order given. */
  async send(topic: string, ...envelopes: AnyEnvelope[]): Promise<void> {
    await this.producer.send({
      topic: this.namespace.name(topic),
      messages: envelopes.map((envelope) => ({ key: envelope.subject, value: encodeEnvelope(envelope) })),
    });
  }

  async sendRaw(topic: string, key: string, value: string): Promise<void> {
    await this.producer.send({ topic: this.namespace.name(topic), messages: [{ key, value }] });
  }

  /** Everything the reader has seen on a topic so far, in arrival order. */
  received(topic: string): ReceivedRecord[] {
    return this.records.filter((record) => record.topic === topic);
  }

  /** Envelopes published on order.events about one order, in partition (= publication) order. */
  orderEvents(orderId: string): AnyEnvelope[] {
    return this.received(TOPICS.orderEvents)
      .filter((record) => record.key === orderId)
      .map((record) => JSON.parse(record.value) as AnyEnvelope);
  }

  /** Waits for the order's events on order.events to reach `count`, and returns them. */
  waitForOrderEvents(orderId: string, count: number, timeoutMs = 30_000): Promise<AnyEnvelope[]> {
    return withLastSeen(
      () => this.orderEvents(orderId).map((event) => event.type),
      eventually(
        () => {
          const events = this.orderEvents(orderId);
          return events.length >= count ? events : undefined;
        },
        { timeoutMs, what: `${count} order.events for ${orderId}` },
      ),
    );
  }

  waitForDeadLetter(topic: string, match: (record: ReceivedRecord) => boolean, timeoutMs = 30_000): Promise<ReceivedRecord> {
    return eventually(() => this.received(`${topic}.dlq`).find(match), { timeoutMs, what: `a dead letter on ${topic}.dlq` });
  }

  async http<B = unknown>(method: string, path: string, opts: { body?: unknown; rawBody?: string; headers?: Record<string, string> } = {}): Promise<HttpAnswer<B>> {
    const hasBody = opts.body !== undefined || opts.rawBody !== undefined;
    const res = await fetch(`${this.service.url}${path}`, {
      method,
      headers: { ...(hasBody ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      ...(hasBody ? { body: opts.rawBody ?? JSON.stringify(opts.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as B };
  }

  /** Polls GET /orders/:orderId until `accept` holds for the body. */
  waitForOrder<B extends { status: string }>(orderId: string, accept: (order: B) => boolean, timeoutMs = 30_000): Promise<B> {
    let last: unknown;
    return withLastSeen(
      () => last,
      eventually(
        async () => {
          const { status, body } = await this.http<B>('GET', `/orders/${orderId}`);
          last = body;
          return status === 200 && accept(body) ? body : undefined;
        },
        { timeoutMs, what: `order ${orderId} to reach the expected view` },
      ),
    );
  }
}

/** A timeout that says what was there instead, which is what one needs to read a failing test. */
async function withLastSeen<T>(lastSeen: () => unknown, waiting: Promise<T>): Promise<T> {
  try {
    return await waiting;
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen: ${JSON.stringify(lastSeen())}`);
  }
}
