// One service's Kafka client publishes, another's consumes through a real broker and commits its offset; the broker
// is then restarted under both clients, and the same still holds.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { TOPICS, createEnvelope, encodeEnvelope } from '@fulfillment/contracts';
import { KafkaBatchConsumer, KafkaPublisher, createKafka, type ConsumedMessage } from '@fulfillment/messaging';
import { createTopicsReady, eventually, startPrivateKafka, type PrivateKafka } from '@fulfillment/testing';
import { logLevel, Kafka } from 'kafkajs';
import pino from 'pino';

// The clients' reconnect errors while the broker is down are expected: keep them out of the test output.
const quiet = pino({ level: 'silent' });

describe('a message between two services through the broker', () => {
  let broker: PrivateKafka;
  let publisher: KafkaPublisher;
  let consumer: KafkaBatchConsumer;
  const received: ConsumedMessage[] = [];
  const topic = TOPICS.orderEvents;
  const groupId = 'inventory-service';

  const placed = () =>
    createEnvelope(
      'OrderPlaced',
      { orderId: randomUUID(), customerId: 'c-1', lines: [{ lineId: 'l-1', sku: 'SKU-1', quantity: 1 }], placedAt: new Date().toISOString() },
      { source: 'order', correlationId: randomUUID() },
    );
  const publish = async () => {
    const env = placed();
    await publisher.publish([{ topic, key: env.subject, value: encodeEnvelope(env) }]);
    return env;
  };
  const committed = async () => {
    const admin = new Kafka({ clientId: 'check', brokers: broker.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const [t] = await admin.fetchOffsets({ groupId, topics: [topic] });
      return t.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
    } finally {
      await admin.disconnect();
    }
  };

  beforeAll(async () => {
    broker = await startPrivateKafka();
    const admin = new Kafka({ clientId: 'setup', brokers: broker.brokers, logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await createTopicsReady(admin, [{ topic, numPartitions: 3 }, { topic: `${topic}.dlq` }]);
    await admin.disconnect();
    publisher = new KafkaPublisher(createKafka({ brokers: broker.brokers, clientId: 'order-service' }, quiet));
    await publisher.connect();
    consumer = new KafkaBatchConsumer({
      kafka: createKafka({ brokers: broker.brokers, clientId: 'inventory-service' }, quiet),
      groupId,
      topics: [topic],
      handle: async (batch) => void received.push(...batch),
    });
    await consumer.start();
  }, 120_000);

  afterAll(async () => {
    await consumer?.stop();
    await publisher?.disconnect();
    await broker?.dispose();
  }, 60_000);

  it('is consumed with its envelope intact and its offset committed', async () => {
    const sent = await publish();
    const got = await eventually(() => received.find((m) => m.envelope.id === sent.id), { what: 'the message consumed' });
    expect(got.envelope).toEqual(sent);
    expect(got.key).toBe(sent.subject);
    await eventually(async () => ((await committed()) === 1 ? true : undefined), { what: 'offset 1 committed' });
  }, 60_000);

  it('still flows, and commits, after the broker restarts under both clients', async () => {
    await broker.stop();
    await broker.start();
    const sent = await eventually(() => publish(), { timeoutMs: 60_000, intervalMs: 1000, what: 'a publish after the restart' });
    await eventually(() => received.find((m) => m.envelope.id === sent.id), { timeoutMs: 90_000, what: 'the message after the restart' });
    // At least once: a rebalance around the restart may hand a message over twice; the commit still reaches offset 2.
    await eventually(async () => ((await committed()) === 2 ? true : undefined), { timeoutMs: 60_000, what: 'offset 2 committed' });
  }, 180_000);
});
