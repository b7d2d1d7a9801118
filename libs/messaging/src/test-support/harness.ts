import type { Kafka } from 'kafkajs';
import pino from 'pino';
import { KafkaBatchConsumer, type KafkaBatchConsumerOptions } from '../kafka-batch-consumer.js';
import { createKafka } from '../kafka.js';
import { decodeAsInventoryEvents } from './envelopes.js';
import { uniqueName } from './kafka-fixtures.js';
import { kafkaBrokers } from './testing-env.js';

// Silent unless a test run asks for logs (LOG_LEVEL=debug npx jest ...).
export const testLogger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

/** Retries fast enough for tests, with the same shape as production. */
export const FAST_RETRY = { attempts: 3, initialDelayMs: 20, maxDelayMs: 200 };

/** The library's own client (createKafka, logging to testLogger), as a service makes it. */
export function libraryKafka(clientIdPrefix: string): Kafka {
  return createKafka({ brokers: kafkaBrokers(), clientId: uniqueName(clientIdPrefix) }, testLogger);
}

/** Test-friendly consumer settings: test topics decode as inventory.events, fast retries, short fetch waits. */
export const TEST_CONSUMER_SETTINGS = {
  decode: decodeAsInventoryEvents,
  retry: FAST_RETRY,
  logger: testLogger,
  consumerConfig: { sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 100 },
} satisfies Partial<KafkaBatchConsumerOptions>;

/** A consumer with test-friendly defaults (fresh group, TEST_CONSUMER_SETTINGS); tracked for cleanup. */
export function testConsumer(
  kafka: Kafka,
  opts: Partial<KafkaBatchConsumerOptions> & Pick<KafkaBatchConsumerOptions, 'topics' | 'handle'>,
  started: KafkaBatchConsumer[],
): KafkaBatchConsumer {
  const consumer = new KafkaBatchConsumer({
    kafka,
    groupId: uniqueName('group'),
    ...TEST_CONSUMER_SETTINGS,
    ...opts,
    consumerConfig: { ...TEST_CONSUMER_SETTINGS.consumerConfig, ...opts.consumerConfig },
  });
  started.push(consumer);
  return consumer;
}
