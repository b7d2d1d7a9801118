import type { Kafka } from 'kafkajs';
import pino from 'pino';
import { KafkaBatchConsumer, type KafkaBatchConsumerOptions } from '../kafka-batch-consumer.js';
import { decodeAsInventoryEvents } from './envelopes.js';
import { uniqueName } from './kafka-fixtures.js';

// Silent unless a test run asks for logs (LOG_LEVEL=debug npx jest ...).
export const testLogger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

/** Retries fast enough for tests, with the same shape as production. */
export const FAST_RETRY = { attempts: 3, initialDelayMs: 20, maxDelayMs: 200 };

/** A consumer with test-friendly defaults (fresh group, fast retries, short fetch waits); tracked for cleanup. */
export function testConsumer(
  kafka: Kafka,
  opts: Partial<KafkaBatchConsumerOptions> & Pick<KafkaBatchConsumerOptions, 'topics' | 'handle'>,
  started: KafkaBatchConsumer[],
): KafkaBatchConsumer {
  const consumer = new KafkaBatchConsumer({
    kafka,
    groupId: uniqueName('group'),
    decode: decodeAsInventoryEvents,
    retry: FAST_RETRY,
    logger: testLogger,
    ...opts,
    consumerConfig: { sessionTimeout: 10_000, heartbeatInterval: 500, maxWaitTimeInMs: 100, ...opts.consumerConfig },
  });
  started.push(consumer);
  return consumer;
}
