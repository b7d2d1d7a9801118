import 'reflect-metadata';
import { describe, expect, it, jest } from '@jest/globals';
import { CONTRACT_REGISTRY, DLQ_HEADERS } from '@fulfillment/contracts';
import { Controller, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Payload, type MicroserviceOptions } from '@nestjs/microservices';
import { randomUUID } from 'node:crypto';
import type { ConsumedMessage } from '../consumed-message.js';
import { backInStock } from '../test-support/envelopes.js';
import { libraryKafka, TEST_CONSUMER_SETTINGS } from '../test-support/harness.js';
import { headerOf, produce, readTopic, uniqueName, useKafkaFixture } from '../test-support/kafka-fixtures.js';
import { BatchEventPattern, KafkaBatchTransport } from './kafka-batch.transport.js';

jest.setTimeout(60_000);

const { fixtures, admin, newTopic, drained } = useKafkaFixture();

/** An inventory.events record of `type` with `data`, as a producer would write it. */
const record = (type: string, data: unknown) => {
  const key = `SKU-${randomUUID().slice(0, 6)}`;
  const envelope = { specversion: '1.0', id: randomUUID(), type, source: 'inventory', subject: key, time: new Date().toISOString(), data };
  return { key, value: JSON.stringify(envelope) };
};

describe('@BatchEventPattern(topic, { types }): a consumer that reads some types of a topic', () => {
  it('hands over only the wanted types, commits the others unread, and still dead-letters what it cannot tell apart', async () => {
    const topic = await newTopic('nest-wanted');
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
    const transport = new KafkaBatchTransport({ kafka: libraryKafka('nest'), groupId, ...TEST_CONSUMER_SETTINGS });
    const app = await NestFactory.createMicroservice<MicroserviceOptions>(TestModule, { strategy: transport, logger: false });
    await app.listen();
    try {
      await drained(groupId, topic);
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
