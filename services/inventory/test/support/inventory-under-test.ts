import { randomUUID } from 'node:crypto';
import {
  ALL_TOPICS,
  createEnvelope,
  decodeMessage,
  DLQ_HEADERS,
  dlqTopicOf,
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
import type { Consumer, Producer } from 'kafkajs';

export interface DeadLetter {
  topic: string;
  value: string;
  reason: string;
}

// Tests read fields of whatever event or response they look at; the contract decoder already checked the shapes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = Record<string, any>;

/** A published envelope with its data loosely typed, so tests can read any event's fields. */
export type PublishedEvent = Omit<AnyEnvelope, 'type' | 'data'> & { type: string; data: Loose };

/**
 * The inventory service as a process (or several in one consumer group) on a database and a topic namespace of its
 * own, with a producer for the topics it consumes and a reader of everything it publishes and dead-letters.
 */
export class InventoryUnderTest {
  readonly published: PublishedEvent[] = [];
  readonly deadLetters: DeadLetter[] = [];

  private constructor(
    readonly instances: ServiceProcess[],
    readonly namespace: TopicNamespace,
    private readonly database: TestDatabase,
    private readonly producer: Producer,
    private readonly reader: Consumer,
  ) {}

  static async start({ instances = 1, env = {} }: { instances?: number; env?: Record<string, string> } = {}): Promise<InventoryUnderTest> {
    const infra = await testInfra();
    const [database, namespace] = await Promise.all([createTestDatabase('inventory'), createTopicNamespace(ALL_TOPICS)]);
    const kafka = await testKafka('inventory-test');
    const processes: ServiceProcess[] = [];
    for (let i = 0; i < instances; i++) {
      processes.push(
        spawnService('inventory', {
          PORT: String(await freePortPair()),
          KAFKA_BROKERS: infra.kafkaBrokers.join(','),
          KAFKA_TOPIC_PREFIX: namespace.prefix,
          DATABASE_URL: database.url,
          ...env,
        }),
      );
    }
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    const reader = kafka.consumer({ groupId: `${namespace.prefix}test-reader-${randomUUID()}`, allowAutoTopicCreation: false });
    const under = new InventoryUnderTest(processes, namespace, database, producer, reader);
    await Promise.all([...processes.map((p) => p.waitHealthy(90_000)), producer.connect(), under.startReading()]);
    return under;
  }

  get url(): string {
    return this.instances[0]!.url;
  }

  /** The service's own database, for tests that look at what it stored or rebuild its read models. */
  get databaseUrl(): string {
    return this.database.url;
  }

  /** Produces envelopes on the namespaced topic of their contract, keyed by subject as the real producers do. */
  async send(topic: string, ...envelopes: AnyEnvelope[]): Promise<void> {
    await this.sendRaw(
      topic,
      envelopes.map((envelope) => ({ key: envelope.subject, value: encodeEnvelope(envelope) })),
    );
  }

  async sendRaw(topic: string, messages: { key: string; value: string }[]): Promise<void> {
    await this.producer.send({ topic: this.namespace.name(topic), messages });
  }

  /** What inventory published about one SKU, in publication order (one SKU is one partition). */
  eventsOf(sku: string, ...types: string[]): PublishedEvent[] {
    return this.published.filter(
      (envelope) => envelope.subject === sku && (types.length === 0 || types.includes(envelope.type)),
    );
  }

  async waitForEvents(sku: string, count: number, ...types: string[]): Promise<PublishedEvent[]> {
    return eventually(
      () => {
        const events = this.eventsOf(sku, ...types);
        return events.length >= count ? events : undefined;
      },
      { timeoutMs: 45_000, what: `${count} ${types.join('/') || 'events'} for ${sku} (have ${this.eventsOf(sku, ...types).length})` },
    );
  }

  async waitForDeadLetter(topic: string, predicate: (letter: DeadLetter) => boolean): Promise<DeadLetter> {
    return eventually(() => this.deadLetters.find((letter) => letter.topic === topic && predicate(letter)), {
      timeoutMs: 45_000,
      what: `a dead letter on ${topic}.dlq`,
    });
  }

  /** Waits until GET /skus/:sku shows this many open purchase orders (supplier.events is not ordered with order.events). */
  async waitForIncoming(sku: string, purchaseOrders: number): Promise<Loose> {
    return eventually(
      async () => {
        const { body } = await this.http('GET', `/skus/${sku}`);
        return body?.incoming?.length === purchaseOrders ? body : undefined;
      },
      { timeoutMs: 45_000, what: `${purchaseOrders} purchase order(s) booked on ${sku}` },
    );
  }

  async http(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    const json = response.headers.get('content-type')?.includes('json') ?? false;
    // A CSV report comes back as its text.
    return { status: response.status, headers: response.headers, body: text ? ((json ? JSON.parse(text) : text) as Loose) : undefined };
  }

  async stop(): Promise<void> {
    await Promise.allSettled(this.instances.map((p) => p.stop()));
    await Promise.allSettled([this.reader.disconnect(), this.producer.disconnect()]);
    await Promise.allSettled([this.namespace.delete(), this.database.drop()]);
  }

  private async startReading(): Promise<void> {
    const inventoryEvents = this.namespace.name(TOPICS.inventoryEvents);
    const dlqs = [TOPICS.orderEvents, TOPICS.supplierEvents].map((topic) => dlqTopicOf(this.namespace.name(topic)));
    await this.reader.connect();
    await this.reader.subscribe({ topics: [inventoryEvents, ...dlqs], fromBeginning: true });
    await this.reader.run({
      eachMessage: async ({ topic, message }) => {
        const value = message.value?.toString('utf8') ?? '';
        if (topic === inventoryEvents) {
          // Everything inventory publishes must pass its own contract, exactly as its consumers decode it.
          const decoded = decodeMessage(TOPICS.inventoryEvents, value);
          if (!decoded.ok) throw new Error(`inventory published a message that breaks the contract: ${decoded.reason}`);
          this.published.push(decoded.envelope as PublishedEvent);
        } else {
          const source = topic.slice(this.namespace.prefix.length, -'.dlq'.length);
          this.deadLetters.push({ topic: source, value, reason: message.headers?.[DLQ_HEADERS.reason]?.toString() ?? '' });
        }
      },
    });
  }
}

/** An envelope as another service would publish it: a fresh id unless given, a correlation id of its own. */
export function envelope<T extends MessageType>(
  type: T,
  data: MessageData<T>,
  meta: { id?: string; source?: string; correlationId?: string } = {},
) {
  return createEnvelope(type, data, {
    source: meta.source ?? 'test',
    correlationId: meta.correlationId ?? `corr-${randomUUID()}`,
    causationId: null,
    ...(meta.id ? { id: meta.id } : {}),
  });
}

export const uniqueSku = (label: string): string => `SKU-${label}-${randomUUID().slice(0, 8)}`;

export const inDays = (days: number): string => {
  const date = new Date(Date.now() + days * 86_400_000);
  date.setUTCHours(0, 0, 0, 0);
  return date.toISOString();
};
