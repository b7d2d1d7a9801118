import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { CONTRACT_REGISTRY, DLQ_HEADERS } from '@fulfillment/contracts';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload, type MicroserviceOptions } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import type { Admin, Kafka } from 'kafkajs';
import type { ConsumedMessage } from '../consumed-message.js';
import { createKafka } from '../kafka.js';
import { backInStock, decodeAsInventoryEvents } from '../test-support/envelopes.js';
import { FAST_RETRY, testLogger } from '../test-support/harness.js';
import { createTopicsWithDlq, deleteTopics, headerOf, lagOf, produce, readTopic, testKafka, uniqueName, waitFor } from '../test-support/kafka-fixtures.js';
import { kafkaBrokers } from '../test-support/testing-env.js';
import { BatchEventPattern, KafkaBatchTransport } from './kafka-batch.transport.js';

jest.setTimeout(60_000);

let fixtures: Kafka;
let admin: Admin;
const topics: string[] = [];

beforeAll(async () => {
  fixtures = testKafka();
  admin = fixtures.admin();
  await admin.connect();
});

afterAll(async () => {
  await deleteTopics(admin, topics);
  await admin.disconnect();
});

/** An inventory.events record of `type` with `data`, as a producer would write it. */
const record = (type: string, data: unknown) => {
  const key = `SKU-${randomUUID().slice(0, 6)}`;
  const envelope = { specversion: '1.0', id: randomUUID(), type, source: 'inventory', subject: key, time: new Date().toISOString(), data };
  return { key, value: JSON.stringify(envelope) };
};

describe('@BatchEventPattern(topic, { types }): a consumer that reads some types of a topic', () => {
  it('hands over only the wanted types, commits the others unread, and still dead-letters what it cannot tell apart', async () => {
    const topic = uniqueName('nest-wanted');
    topics.push(...(await createTopicsWithDlq(admin, [{ topic }])));
    const wanted = backInStock({ sku: 'SKU-WANTED' });
    const records = [
      record('StockReserved', structuredClone(CONTRACT_REGISTRY.StockReserved.example)),
      { key: wanted.key, value: wanted.value },
      // Broken data of a type nobody here reads is not this consumer's to judge: skipped, not dead-lettered.
      record('BackorderQueued', { quantity: 'many' }),
      // An unknown type, and a wanted type with broken data, are judged in full.
      record('NoSuchEvent', {}),
      record('BackInStock', { sku: 7 }),
    ];
    await produce(fixtures, topic, records);

    const received: ConsumedMessage[] = [];
    @Controller()
    class BackInStockController {
      @BatchEventPattern(topic, { types: ['BackInStock'] })
      async onInventoryEvents(@Payload() messages: ConsumedMessage[]): Promise<void> {
        received.push(...messages);
      }
    }
    @Module({ controllers: [BackInStockController] })
    class TestModule {}
    const groupId = uniqueName('nest-wanted-group');
    const transport = new KafkaBatchTransport({
      kafka: createKafka({ brokers: kafkaBrokers(), clientId: uniqueName('nest') }, testLogger),
      groupId,
      decode: decodeAsInventoryEvents,
      retry: FAST_RETRY,
      logger: testLogger,
      consumerConfig: { sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 },
    });
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(TestModule, { strategy: transport, logger: false });
    await app.listen();
    try {
      await waitFor(async () => (await lagOf(admin, groupId, topic)) === 0n, { what: 'every record committed' });
      expect(received.map((message) => message.envelope.id)).toEqual([wanted.id]);
      const dead = await readTopic(fixtures, `${topic}.dlq`, 2);
      expect(dead.map((message) => headerOf(message, DLQ_HEADERS.reason))).toEqual([
        `unknown type "NoSuchEvent" on topic inventory.events`,
        expect.stringMatching(/sku/),
      ]);
      // and nothing else: the skipped BackorderQueued was not dead-lettered
      expect((await admin.fetchTopicOffsets(`${topic}.dlq`)).map((partition) => partition.high)).toEqual(['2']);
    } finally {
      await app.close();
    }
  });
});
