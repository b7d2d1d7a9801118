// SPEC 12 "Kafka" against a real broker of the test's own: a SASL_SSL listener (keytool certificates, SCRAM users made
// at format time) with the StandardAuthorizer, and the ACLs derived from libs/contracts created by the super user.
// Each service connects exactly as it would at start: its settings go through loadConfig, its client through
// createKafka, its records through the messaging lib's publisher and consumer.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ALL_TOPICS, TOPICS, createEnvelope, encodeEnvelope } from '@fulfillment/contracts';
import { KafkaBatchConsumer, KafkaPublisher, createKafka, type ConsumedMessage } from '@fulfillment/messaging';
import {
  aclsInForce,
  createServiceAcls,
  createTopicNamespace,
  eventually,
  startPrivateKafka,
  testKafka,
  type KafkaSaslMechanism,
  type PrivateKafka,
  type TopicNamespace,
} from '@fulfillment/testing';
import pino from 'pino';
import { loadConfig, type ServiceName } from './config.js';
import { TopicNames } from './topics.js';

// Every service verifies tokens (SPEC 12); these tests are about other settings.
const TEST_AUTH = { AUTH_JWT_SECRET: 'a-test-secret-of-at-least-32-characters' };

const quiet = pino({ level: 'silent' });
const SERVICES: ServiceName[] = ['order', 'inventory', 'supplier', 'notification'];

/** The kafkajs error types along an error's chain (kafkajs wraps the broker's refusal in retry errors). */
function errorTypes(error: unknown): string[] {
  const types: string[] = [];
  for (let e = error as { type?: string; cause?: unknown; originalError?: unknown } | undefined; e; ) {
    if (typeof e.type === 'string') types.push(e.type);
    e = (e.originalError ?? e.cause) as typeof e | undefined;
  }
  return types;
}

describe('Kafka over SASL_SSL with ACLs from the contracts', () => {
  let broker: PrivateKafka;
  let namespace: TopicNamespace;
  const publishers: KafkaPublisher[] = [];
  const consumers: KafkaBatchConsumer[] = [];

  /** The service's Kafka client built from its settings, as runService builds it. */
  const kafkaOf = (service: ServiceName, mechanism?: KafkaSaslMechanism, password?: string) => {
    const env = { ...broker.target(service, mechanism).env, KAFKA_TOPIC_PREFIX: namespace.prefix };
    const config = loadConfig(service, { ...TEST_AUTH, ...env, ...(password === undefined ? {} : { KAFKA_SASL_PASSWORD: password }) });
    return { kafka: createKafka(config.kafka, quiet), config };
  };
  const publisherOf = async (service: ServiceName, mechanism?: KafkaSaslMechanism) => {
    const publisher = new KafkaPublisher(kafkaOf(service, mechanism).kafka, { retry: { retries: 1, initialRetryTime: 100 } });
    publishers.push(publisher);
    await publisher.connect();
    return publisher;
  };
  const orderPlaced = () => {
    const envelope = createEnvelope(
      'OrderPlaced',
      { orderId: randomUUID(), customerId: 'c-1', lines: [{ lineId: 'l-1', sku: 'SKU-1', quantity: 1 }], placedAt: new Date().toISOString() },
      { source: 'order', correlationId: randomUUID() },
    );
    return { key: envelope.subject, value: encodeEnvelope(envelope), id: envelope.id };
  };

  beforeAll(async () => {
    broker = await startPrivateKafka({ secure: { users: SERVICES } });
    namespace = await createTopicNamespace(ALL_TOPICS, 1, broker.target());
    const admin = (await testKafka('acl-admin', broker.target())).admin();
    await admin.connect();
    try {
      await createServiceAcls(admin, namespace.prefix);
    } finally {
      await admin.disconnect();
    }
    await aclsInForce(SERVICES.map((service) => broker.target(service)));
  }, 180_000);

  afterAll(async () => {
    await Promise.all(consumers.map((consumer) => consumer.stop()));
    await Promise.all(publishers.map((publisher) => publisher.disconnect().catch(() => undefined)));
    await broker?.dispose();
  }, 60_000);

  it("refuses the order service's user writing inventory.events (TOPIC_AUTHORIZATION_FAILED), and lets it write order.events", async () => {
    const publisher = await publisherOf('order');
    const refused = await publisher
      .publish([{ topic: namespace.name(TOPICS.inventoryEvents), ...orderPlaced() }])
      .then(() => undefined, (error: unknown) => error);
    expect(errorTypes(refused)).toContain('TOPIC_AUTHORIZATION_FAILED');

    await expect(publisher.publish([{ topic: namespace.name(TOPICS.orderEvents), ...orderPlaced() }])).resolves.toBeUndefined();
  }, 60_000);

  it('lets the inventory service read order.events in its own group, over each SASL mechanism', async () => {
    const sent: string[] = [];
    for (const mechanism of ['scram-sha-512', 'scram-sha-256', 'plain'] as const) {
      const message = orderPlaced();
      await (await publisherOf('order', mechanism)).publish([{ topic: namespace.name(TOPICS.orderEvents), ...message }]);
      sent.push(message.id);
    }
    const received: ConsumedMessage[] = [];
    const { kafka, config } = kafkaOf('inventory');
    const consumer = new KafkaBatchConsumer({
      kafka,
      groupId: config.kafka.groupId,
      topics: [namespace.name(TOPICS.orderEvents)],
      decode: new TopicNames(namespace.prefix).decode,
      handle: async (batch) => void received.push(...batch),
      logger: quiet,
    });
    consumers.push(consumer);
    await consumer.start();
    await eventually(() => (sent.every((id) => received.some((m) => m.envelope.id === id)) ? true : undefined), {
      timeoutMs: 30_000,
      what: 'the three OrderPlaced read by inventory',
    });
  }, 90_000);

  it("refuses a group that is not the service's own, and a topic it does not consume", async () => {
    const { kafka, config } = kafkaOf('inventory');
    const admin = kafka.admin();
    await admin.connect();
    try {
      const topics = [namespace.name(TOPICS.orderEvents)];
      await expect(admin.fetchOffsets({ groupId: config.kafka.groupId, topics })).resolves.toHaveLength(1);
      // The broker answers FindCoordinator for a group the principal may not describe with GROUP_AUTHORIZATION_FAILED;
      // kafkajs reports that as a coordinator it cannot find.
      const otherGroup = await admin.fetchOffsets({ groupId: `${namespace.prefix}order-service`, topics }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect((otherGroup as Error).name).toBe('KafkaJSGroupCoordinatorNotFound');
      const offsets = await admin.fetchTopicOffsets(namespace.name(TOPICS.orderCommands)).then(() => undefined, (error: unknown) => error);
      expect(errorTypes(offsets)).toContain('TOPIC_AUTHORIZATION_FAILED');
    } finally {
      await admin.disconnect();
    }
  }, 60_000);

  it('refuses a wrong password at authentication', async () => {
    const { kafka } = kafkaOf('order', 'scram-sha-512', 'not-the-password');
    const admin = kafka.admin();
    const refused = await admin.connect().then(() => undefined, (error: unknown) => error);
    await admin.disconnect().catch(() => undefined);
    expect((refused as Error).message).toMatch(/authentication failed/i);
  }, 60_000);
});
