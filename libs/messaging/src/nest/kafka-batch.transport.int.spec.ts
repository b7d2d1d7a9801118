import 'reflect-metadata';
import { afterAll, describe, expect, it, jest } from '@jest/globals';
import { DLQ_HEADERS } from '@fulfillment/contracts';
import { Controller, Module, UseFilters, type INestMicroservice, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ctx, EventPattern, Payload } from '@nestjs/microservices';
import type { ConsumedMessage } from '../consumed-message.js';
import { NonRetryableError } from '../errors.js';
import { backInStock } from '../test-support/envelopes.js';
import { FAST_RETRY, libraryKafka, TEST_CONSUMER_SETTINGS } from '../test-support/harness.js';
import { committedOffsets, headerOf, produce, readTopic, uniqueName, useKafkaFixture, waitFor } from '../test-support/kafka-fixtures.js';
import { BatchEventPattern, KafkaBatchContext, KafkaBatchErrorFilter, KafkaBatchTransport } from './kafka-batch.transport.js';

jest.setTimeout(60_000);

const apps: INestMicroservice[] = [];
// Declared first, so that it runs first: the apps stop before the fixture deletes their topics.
afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
});
const { fixtures, admin, newTopic: newTopicNamed, drained } = useKafkaFixture();

const newTopic = () => newTopicNamed('nest-test');

function transportFor(topic: string, groupId: string): KafkaBatchTransport {
  return new KafkaBatchTransport({ kafka: libraryKafka('nest'), groupId, topics: [topic], ...TEST_CONSUMER_SETTINGS });
}

async function startApp(controller: Type, transport: KafkaBatchTransport): Promise<INestMicroservice> {
  @Module({ controllers: [controller] })
  class TestModule {}
  const app = await NestFactory.createMicroservice(TestModule, { strategy: transport, logger: false });
  apps.push(app);
  await app.listen();
  return app;
}

describe('KafkaBatchTransport', () => {
  it('delivers a batch to an @EventPattern controller method, with its context, and commits it', async () => {
    const topic = await newTopic();
    const envelopes = Array.from({ length: 5 }, (_, i) => backInStock({ sku: 'SKU-NEST', available: i + 1 }));
    await produce(fixtures, topic, envelopes.map(({ key, value }) => ({ key, value })));

    const batches: { messages: ConsumedMessage[]; topic: string; partition: number }[] = [];
    @Controller()
    class StockController {
      @EventPattern<string>(topic)
      async onStock(@Payload() messages: ConsumedMessage[], @Ctx() ctx: KafkaBatchContext): Promise<void> {
        batches.push({ messages, topic: ctx.getTopic(), partition: ctx.getPartition() });
      }
    }
    const groupId = uniqueName('nest-group');
    const transport = transportFor(topic, groupId);
    const app = await startApp(StockController, transport);
    expect(transport.isHealthy()).toBe(true);

    await waitFor(() => batches.flatMap((b) => b.messages).length === 5, { what: '5 messages' });
    expect(batches[0]).toMatchObject({ topic, partition: 0 });
    expect(batches.flatMap((b) => b.messages.map((m) => m.envelope.id))).toEqual(envelopes.map((e) => e.id));
    await drained(groupId, topic);
    expect(await committedOffsets(admin, groupId, topic)).toEqual(new Map([[0, 5n]]));

    await app.close();
    expect(transport.isHealthy()).toBe(false);
  });

  it("keeps the handler's error class through Nest with KafkaBatchErrorFilter: a NonRetryableError is dead-lettered at once", async () => {
    const topic = await newTopic();
    const refused = backInStock({ sku: 'SKU-REFUSED' });
    await produce(fixtures, topic, [{ key: refused.key, value: refused.value }]);

    let calls = 0;
    @Controller()
    @UseFilters(new KafkaBatchErrorFilter())
    class RefusingController {
      @EventPattern<string>(topic)
      async onStock(): Promise<void> {
        calls++;
        throw new NonRetryableError('SKU-REFUSED is discontinued');
      }
    }
    const groupId = uniqueName('nest-group');
    await startApp(RefusingController, transportFor(topic, groupId));
    await drained(groupId, topic);

    // One batch call, one individual call: no retries.
    expect(calls).toBe(2);
    const [dead] = await readTopic(fixtures, `${topic}.dlq`, 1);
    expect(headerOf(dead!, DLQ_HEADERS.reason)).toBe('NonRetryableError: SKU-REFUSED is discontinued');
    expect(headerOf(dead!, DLQ_HEADERS.attempts)).toBe('1');
  });

  it('BatchEventPattern applies the filter by itself; without any filter the error is opaque and only retried', async () => {
    const [withHelper, withoutFilter] = [await newTopic(), await newTopic()];
    for (const topic of [withHelper, withoutFilter]) {
      const e = backInStock({ sku: 'SKU-X' });
      await produce(fixtures, topic, [{ key: e.key, value: e.value }]);
    }
    @Controller()
    class HelperController {
      @BatchEventPattern(withHelper)
      async onStock(): Promise<void> {
        throw new NonRetryableError('refused');
      }
    }
    @Controller()
    class PlainController {
      @EventPattern<string>(withoutFilter)
      async onStock(): Promise<void> {
        throw new NonRetryableError('refused');
      }
    }
    const [g1, g2] = [uniqueName('nest-group'), uniqueName('nest-group')];
    await startApp(HelperController, transportFor(withHelper, g1));
    await startApp(PlainController, transportFor(withoutFilter, g2));
    await drained(g1, withHelper);
    await drained(g2, withoutFilter);

    const [viaHelper] = await readTopic(fixtures, `${withHelper}.dlq`, 1);
    expect(headerOf(viaHelper!, DLQ_HEADERS.attempts)).toBe('1');
    const [opaque] = await readTopic(fixtures, `${withoutFilter}.dlq`, 1);
    expect(headerOf(opaque!, DLQ_HEADERS.attempts)).toBe(String(FAST_RETRY.attempts));
    expect(headerOf(opaque!, DLQ_HEADERS.reason)).toBe('Error: batch handler failed (Internal server error)');
  });

  it('refuses to start when a subscribed topic has no handler', async () => {
    const topic = await newTopic();
    @Controller()
    class UnrelatedController {
      @EventPattern<string>('some.other.topic')
      async onOther(): Promise<void> {}
    }
    @Module({ controllers: [UnrelatedController] })
    class UnrelatedModule {}
    const app = await NestFactory.createMicroservice(UnrelatedModule, { strategy: transportFor(topic, uniqueName('g')), logger: false });
    await expect(app.listen()).rejects.toThrow(new RegExp(`no @EventPattern handler for topic\\(s\\) ${topic}`));
    await app.close();
  });
});
