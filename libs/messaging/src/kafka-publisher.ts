import { Partitioners, type Kafka, type Message, type Producer, type RetryOptions, type TopicMessages } from 'kafkajs';
import type { Logger } from 'pino';
import { describeFailure } from './errors.js';
import type { OutgoingMessage } from './outgoing-message.js';
import { startSendSpans } from './tracing.js';

export interface KafkaPublisherOptions {
  logger?: Logger;
  /**
   * kafkajs retry settings for one publish. The default retries a failing send for about a minute, then rejects, so
   * the caller (the outbox relay) can report the outage and try the same rows again. (kafkajs would otherwise retry
   * an idempotent send forever, and warns that a bound "may invalidate EoS guarantees": a send that timed out but
   * landed is written again on the caller's retry. Consumers de-duplicate on the envelope id, so that is safe.)
   */
  retry?: RetryOptions;
}

const DEFAULT_PUBLISH_RETRY: RetryOptions = { retries: 12, initialRetryTime: 100, maxRetryTime: 10_000 };

// The broker refuses an idempotent producer whose sequence numbers or epoch it no longer agrees with. Nothing that
// producer sends is accepted again (kafkajs does not recover by itself), so it is replaced by one with a new producer
// id. Seen after a broker was SIGKILLed and restarted: the outbox relay then failed the same batch forever.
const PRODUCER_STATE_LOST = new Set(['OUT_OF_ORDER_SEQUENCE_NUMBER', 'UNKNOWN_PRODUCER_ID', 'INVALID_PRODUCER_EPOCH']);

function producerStateLost(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const e = error as { type?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  if (typeof e.type === 'string' && PRODUCER_STATE_LOST.has(e.type)) return true;
  const nested = [e.cause, e.originalError, ...(Array.isArray(e.errors) ? e.errors : [])];
  return nested.some((inner) => producerStateLost(inner, depth + 1));
}

/**
 * Publishes with an idempotent producer (acks from all in-sync replicas, broker-side de-duplication of retried
 * sends) and never creates topics: a missing topic is a deployment error, not something to paper over.
 */
export class KafkaPublisher {
  private producer: Producer;
  /** The producer was replaced and the new one still has to connect (done before its first send). */
  private reconnect = false;
  private readonly createProducer: () => Producer;
  private readonly logger: Logger | undefined;
  // One publish at a time: a later batch must not overtake an earlier one that is being retried, or two events of the
  // same key could land out of order.
  private queue: Promise<unknown> = Promise.resolve();

  constructor(kafka: Kafka, opts: KafkaPublisherOptions = {}) {
    this.logger = opts.logger?.child({ component: 'kafka-publisher' });
    this.createProducer = () =>
      kafka.producer({
        idempotent: true,
        // kafkajs tracks idempotence sequence numbers per request, so more than one request in flight can reorder
        // records of a partition after a retry.
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        // murmur2 on the key, as the Java client does: a key lands on the same partition whoever produces it.
        createPartitioner: Partitioners.DefaultPartitioner,
        retry: opts.retry ?? DEFAULT_PUBLISH_RETRY,
      });
    this.producer = this.createProducer();
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  async disconnect(): Promise<void> {
    await this.queue.catch(() => undefined);
    await this.producer.disconnect();
  }

  /** Sends every message in one request grouped by topic; resolves only once the broker acknowledged all of them. */
  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    const run = this.queue.then(() => this.send(messages));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Publishes records as they are (bytes, multi-valued headers): dead letters keep the original bytes. */
  publishRecords(topicMessages: TopicMessages[]): Promise<void> {
    const run = this.queue.then(() => this.sendBatch(topicMessages));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async send(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    const traced = startSendSpans(messages);
    const byTopic = new Map<string, Message[]>();
    for (const { topic, key, value, headers } of traced.messages) {
      const group = byTopic.get(topic) ?? [];
      group.push(headers === undefined ? { key, value } : { key, value, headers });
      byTopic.set(topic, group);
    }
    try {
      await this.sendBatch([...byTopic].map(([topic, topicMessages]) => ({ topic, messages: topicMessages })));
    } catch (error) {
      traced.end(error);
      throw error;
    }
    traced.end();
  }

  private async sendBatch(topicMessages: TopicMessages[]): Promise<void> {
    if (topicMessages.every((t) => t.messages.length === 0)) return;
    const started = Date.now();
    try {
      if (this.reconnect) {
        await this.producer.connect();
        this.reconnect = false;
      }
      await this.producer.sendBatch({ topicMessages, acks: -1 });
    } catch (error) {
      this.logger?.error(
        { topics: topicMessages.map((t) => t.topic), count: countOf(topicMessages), reason: describeFailure(error) },
        'publish failed',
      );
      if (producerStateLost(error)) await this.replaceProducer();
      throw error;
    }
    this.logger?.debug(
      { topics: topicMessages.map((t) => t.topic), count: countOf(topicMessages), durationMs: Date.now() - started },
      'published',
    );
  }

  /**
   * The failed batch is the caller's to send again (the outbox relay does): through the new producer it may land a
   * second time if the old one's attempt did land, which consumers absorb by de-duplicating on the envelope id.
   */
  private async replaceProducer(): Promise<void> {
    this.logger?.warn({}, 'the broker no longer accepts this producer (sequence or epoch out of step); replacing it with a new producer id');
    const old = this.producer;
    this.producer = this.createProducer();
    this.reconnect = true;
    await old.disconnect().catch(() => undefined);
  }
}

function countOf(topicMessages: TopicMessages[]): number {
  return topicMessages.reduce((sum, t) => sum + t.messages.length, 0);
}
