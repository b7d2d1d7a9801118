import { randomUUID } from 'node:crypto';
import { ALL_TOPICS, decodeMessage, encodeEnvelope, type AnyEnvelope, type Envelope } from '@fulfillment/contracts';
import type { Consumer, Producer } from 'kafkajs';
import type { HttpAnswer, HttpOptions } from './auth.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { freePortPair } from './private-infra.js';
import { createTopicNamespace, testKafka, type KafkaTarget, type TopicNamespace } from './kafka.js';
import { spawnService, type ServiceProcess } from './service-process.js';
import { eventually } from './wait.js';

export type ServiceKey = 'order' | 'inventory' | 'supplier' | 'notification';

/** Reads one topic of the namespace from the beginning and keeps every decoded envelope, in arrival order. */
export class TopicRecorder {
  readonly envelopes: (AnyEnvelope & { key: string | null; partition: number })[] = [];
  readonly undecodable: string[] = [];

  constructor(private readonly consumer: Consumer, readonly topic: string, readonly logicalTopic: string) {}

  static async start(ns: TopicNamespace, logicalTopic: string): Promise<TopicRecorder> {
    const kafka = await testKafka('recorder', ns.target);
    const consumer = kafka.consumer({ groupId: `recorder-${randomUUID()}`, allowAutoTopicCreation: false });
    const recorder = new TopicRecorder(consumer, ns.name(logicalTopic), logicalTopic);
    await consumer.connect();
    await consumer.subscribe({ topic: recorder.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        const decoded = decodeMessage(logicalTopic, message.value);
        if (decoded.ok) recorder.envelopes.push({ ...decoded.envelope, key: message.key?.toString() ?? null, partition });
        else recorder.undecodable.push(decoded.reason);
      },
    });
    return recorder;
  }

  ofType<T extends AnyEnvelope['type']>(type: T): Extract<AnyEnvelope, { type: T }>[] {
    return this.envelopes.filter((e) => e.type === type) as unknown as Extract<AnyEnvelope, { type: T }>[];
  }

  /** waits until `select` over the recorded envelopes returns at least `count` items, and returns them */
  async waitFor<E>(select: (all: AnyEnvelope[]) => E[], count = 1, timeoutMs = 60_000): Promise<E[]> {
    return eventually(
      () => {
        const found = select(this.envelopes);
        return found.length >= count ? found : undefined;
      },
      { timeoutMs, intervalMs: 100, what: `${count} matching message(s) on ${this.topic} (have ${select(this.envelopes).length})` },
    );
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}

/** A notification as the notification service's `GET /customers/:customerId/notifications` answers it. */
export interface NotificationView {
  notificationId: string;
  kind: string;
  orderId: string;
  sku: string | null;
  channel: string;
  message: string;
  createdAt: string;
}

/** The kinds of the notifications of `list` on one channel, in the order they were told. */
export const notificationKinds = (list: readonly NotificationView[], channel = 'in-app'): string[] =>
  list.filter((n) => n.channel === channel).map((n) => n.kind);

/** An HTTP answer of one of the services, its JSON body parsed. */
export interface SystemAnswer<B = unknown> {
  status: number;
  headers: Headers;
  body: B;
}

export interface RunningSystem {
  namespace: TopicNamespace;
  services: Partial<Record<ServiceKey, ServiceProcess>>;
  url(service: ServiceKey): string;
  /** a JSON request to one of the services, with a staff bearer token unless `options.token` says otherwise */
  http<B = unknown>(service: ServiceKey, method: string, path: string, options?: HttpOptions): Promise<HttpAnswer<B>>;
  /** publishes an envelope on a contract topic of this namespace, keyed by its subject */
  publish(topic: string, envelope: Envelope, raw?: string): Promise<void>;
  /** publishes raw bytes (garbage tests) */
  publishRaw(topic: string, key: string | null, value: string | Buffer): Promise<void>;
  record(topic: string): Promise<TopicRecorder>;
  stop(): Promise<void>;
}

/**
 * The services as separate processes on real Kafka and PostgreSQL, as `npm start` runs them, but isolated: a topic
 * namespace and fresh databases of their own. Build first (`npm test` does).
 */
export async function startSystem(
  opts: {
    services?: ServiceKey[];
    env?: Partial<Record<ServiceKey, Record<string, string>>>;
    /** the broker (default: the shared one); each service's own Kafka user, if any, comes through `env` */
    kafka?: KafkaTarget;
    /** topics made beforehand, e.g. to create ACLs on them before the services start (then `kafka` is its target) */
    namespace?: TopicNamespace;
    /** databases to start on (e.g. restored from an earlier release) instead of fresh ones; the caller drops them */
    databases?: Partial<Record<ServiceKey, string>>;
  } = {},
): Promise<RunningSystem> {
  const keys = opts.services ?? ['order', 'inventory', 'supplier', 'notification'];
  const namespace = opts.namespace ?? (await createTopicNamespace(ALL_TOPICS, undefined, opts.kafka));
  const databases: TestDatabase[] = [];
  const services: Partial<Record<ServiceKey, ServiceProcess>> = {};
  const recorders: TopicRecorder[] = [];
  const kafka = await testKafka('system', namespace.target);
  const producer: Producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const stop = async () => {
    await Promise.all(Object.values(services).map((s) => s?.stop()));
    await Promise.all(recorders.map((r) => r.stop().catch(() => undefined)));
    await producer.disconnect().catch(() => undefined);
    await Promise.all(databases.map((d) => d.drop().catch(() => undefined)));
    await namespace.delete().catch(() => undefined);
  };
  try {
    for (const key of keys) {
      let url = opts.databases?.[key];
      if (url === undefined) {
        const db = await createTestDatabase(`e2e_${key}`);
        databases.push(db);
        url = db.url;
      }
      services[key] = spawnService(key, {
        PORT: String(await freePortPair()),
        ...namespace.target.env,
        KAFKA_TOPIC_PREFIX: namespace.prefix,
        DATABASE_URL: url,
        ...(opts.env?.[key] ?? {}),
      });
    }
    await Promise.all(Object.values(services).map((s) => s!.waitHealthy(120_000)));
  } catch (e) {
    const logs = Object.values(services).map((s) => `--- ${s!.name}\n${s!.output().slice(-2000)}`).join('\n');
    await stop();
    throw new Error(`${(e as Error).message}\n${logs}`);
  }
  const running = (service: ServiceKey): ServiceProcess => {
    const s = services[service];
    if (!s) throw new Error(`${service} is not running in this system`);
    return s;
  };
  return {
    namespace,
    services,
    url: (service) => running(service).url,
    http: (service, method, path, options) => running(service).http(method, path, options),
    publish: async (topic, envelope, raw) => {
      await producer.send({ topic: namespace.name(topic), acks: -1, messages: [{ key: envelope.subject, value: raw ?? encodeEnvelope(envelope) }] });
    },
    publishRaw: async (topic, key, value) => {
      await producer.send({ topic: namespace.name(topic), acks: -1, messages: [{ key, value }] });
    },
    record: async (topic) => {
      const r = await TopicRecorder.start(namespace, topic);
      recorders.push(r);
      return r;
    },
    stop,
  };
}
