// SPEC 11 through the real consumer: a record in binary content mode (what the CloudEvents SDK's Kafka binding
// writes) and a minimal structured one reach the handler decoded, their unset attributes filled from the record's
// key and the time of receipt.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { DLQ_HEADERS } from '@fulfillment/contracts';
import { CloudEvent, Kafka as CloudEventsKafka } from 'cloudevents';
import type { ConsumedMessage } from './consumed-message.js';
import type { KafkaBatchConsumer } from './kafka-batch-consumer.js';
import { libraryKafka, testConsumer } from './test-support/harness.js';
import { headerOf, produce, readTopic, useKafkaFixture, waitFor } from './test-support/kafka-fixtures.js';

jest.setTimeout(60_000);

const { fixtures, newTopic } = useKafkaFixture();
const kafka = libraryKafka('messaging-ce-int');
const consumers: KafkaBatchConsumer[] = [];

afterEach(async () => {
  await Promise.all(consumers.splice(0).map((c) => c.stop()));
});

describe('KafkaBatchConsumer with CloudEvents as other clients send them', () => {
  it('decodes binary mode from the headers and fills subject and time from the record', async () => {
    const topic = await newTopic('msg-ce-test');

    const event = new CloudEvent({ type: 'BackInStock', source: 'warehouse-app', data: { sku: 'SKU-CE', available: 3 } });
    const binary = CloudEventsKafka.binary(event);
    // kafkajs refuses undefined header values; SDK users turn every value into text, unset ones into "undefined".
    const headers = Object.fromEntries(Object.entries(binary.headers).map(([name, value]) => [name, String(value)]));
    const minimal = { specversion: '1.0', id: 'warehouse-17', source: 'warehouse-app', type: 'BackInStock', data: { sku: 'SKU-CE', available: 4 } };
    const sentAfter = Date.now();
    await produce(fixtures, topic, [
      { key: 'SKU-CE', value: JSON.stringify(binary.value), headers },
      { key: 'SKU-CE', value: JSON.stringify(minimal) },
      // Binary mode whose data is not JSON: dead-lettered with the reason, the partition moves on.
      { key: 'SKU-CE', value: 'three', headers: { ...headers, 'content-type': 'text/plain', ce_id: 'not-json' } },
    ]);

    const received: ConsumedMessage[] = [];
    const consumer = testConsumer(kafka, { topics: [topic], handle: async (messages) => void received.push(...messages) }, consumers);
    await consumer.start();
    await waitFor(() => received.length === 2, { what: 'the binary and the minimal record' });

    const [fromBinary, fromMinimal] = received.map((m) => m.envelope);
    expect(fromBinary).toMatchObject({
      id: event.id,
      source: 'warehouse-app',
      type: 'BackInStock',
      subject: 'SKU-CE',
      time: event.time,
      correlationid: event.id,
      dataversion: 1,
      data: { sku: 'SKU-CE', available: 3 },
    });
    expect(Object.keys(fromBinary!)).not.toContain('datacontentencoding');
    expect(fromMinimal).toMatchObject({ id: 'warehouse-17', subject: 'SKU-CE', correlationid: 'warehouse-17', causationid: null });
    expect(Date.parse(fromMinimal!.time)).toBeGreaterThanOrEqual(sentAfter);

    const [dead] = await readTopic(fixtures, `${topic}.dlq`, 1);
    expect(dead!.value!.toString()).toBe('three');
    expect(headerOf(dead!, DLQ_HEADERS.reason)).toBe(
      'binary mode: content-type "text/plain" is not JSON; data must be JSON (application/json)',
    );
  });
});
