import { REDRIVE_HEADERS, decodeWanted, type AnyEnvelope, type MessageDecoder, type SelectiveDecodeResult } from '@fulfillment/contracts';
import type { Consumer, ConsumerConfig, EachBatchPayload, Kafka, KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { DEFAULT_RETRY_POLICY, backoffDelay, validateRetryPolicy, type RetryPolicy } from './backoff.js';
import { headersToRecord, headerText, type BatchHandler, type ConsumedMessage } from './consumed-message.js';
import { deadLetterOf } from './dead-letter.js';
import { defaultClassifyError, describeFailure, type ErrorClassifier } from './errors.js';
import { KafkaPublisher } from './kafka-publisher.js';
import { inProcessSpans } from './tracing.js';
import { createConsumerMetrics, type ConsumerMetrics, type DeadLetterReasonClass } from './metrics.js';

export interface KafkaBatchConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  handle: BatchHandler;
  logger?: Logger;
  /** Per-message retries once a batch failed; also the backoff of an infrastructure outage (without the bound). */
  retry?: RetryPolicy;
  /**
   * Most messages handed to the handler at once (default 1000: about what one fetch of a partition brings, 1 MB).
   * Each chunk is one transaction; on a hot partition (one SKU's 10,000 allocations) 1000 instead of 500 took the
   * restock's notifications from 8-11 s to about 6 s on bench:restock.
   */
  maxBatchSize?: number;
  partitionsConsumedConcurrently?: number;
  /** Decodes a record; by default against the published contracts (`decodeWanted`). */
  decode?: MessageDecoder;
  /**
   * Per subscribed topic, the only event types its handler reads: a record of another known type of the topic is
   * committed without being validated or handed over. A topic not named here is read in full.
   */
  wantedTypes?: ReadonlyMap<string, ReadonlySet<string>>;
  classifyError?: ErrorClassifier;
  metrics?: Registry;
  /** A new consumer group starts at the oldest retained record (default) rather than the newest. */
  fromBeginning?: boolean;
  /**
   * kafkajs consumer settings other than the group, e.g. `sessionTimeout`, `heartbeatInterval`; unset ones take
   * `GROUP_RECOVERY_DEFAULTS`, not kafkajs' own defaults.
   */
  consumerConfig?: Omit<ConsumerConfig, 'groupId' | 'allowAutoTopicCreation'>;
}

/**
 * How fast the group notices a dead member and moves its partitions (SPEC 14: consumed again within 10 s). kafkajs'
 * defaults (session 30 s, rebalance 60 s) left a SIGKILLed instance's partitions unread for up to a minute. The
 * session is the broker's smallest by default (`group.min.session.timeout.ms` = 6 s). kafkajs heartbeats only between
 * fetches, so the fetch wait must stay well below the session: an idle consumer waiting kafkajs' default 5 s per fetch
 * would come close to being declared dead, and would notice a rebalance only that late. A rebalance waits at most
 * `rebalanceTimeout` for the live members to rejoin; they do so after the chunk in hand (seconds at most).
 */
export const GROUP_RECOVERY_DEFAULTS = {
  sessionTimeout: 6_000,
  heartbeatInterval: 1_000,
  rebalanceTimeout: 10_000,
  maxWaitTimeInMs: 1_000,
} as const satisfies Partial<ConsumerConfig>;

const DEFAULT_MAX_BATCH_SIZE = 1000;
// Longest sleep between two heartbeat calls while waiting to retry; kafkajs only sends one per heartbeatInterval.
const HEARTBEAT_SLICE_MS = 500;

interface Entry {
  raw: KafkaMessage;
  decoded: { ok: true; message: ConsumedMessage } | { ok: false; reason: string } | { ok: 'skipped' };
}

/** How a chunk ended: fully committed, or left (partly) uncommitted to be fetched again. */
type ChunkOutcome = 'committed' | 'stalled' | 'abandoned';

type MessageOutcome =
  | { kind: 'handled' }
  | { kind: 'dead-letter'; reason: string; attempts: number; reasonClass: DeadLetterReasonClass }
  | { kind: 'infrastructure' }
  | { kind: 'abandoned' };

type State = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped';

/**
 * Consumes topics in batches with at-least-once delivery: a record's offset is committed only after its effect (the
 * handler's transaction, or its dead letter) is durable, so a crash can only repeat work, never skip it. Handlers
 * de-duplicate on the envelope id.
 */
export class KafkaBatchConsumer {
  private readonly opts: KafkaBatchConsumerOptions;
  private readonly retry: RetryPolicy;
  private readonly maxBatchSize: number;
  private readonly decode: MessageDecoder;
  private readonly classify: ErrorClassifier;
  private readonly logger: Logger | undefined;
  private readonly metrics: ConsumerMetrics;
  private readonly dlq: KafkaPublisher;
  private consumer: Consumer | undefined;
  private state: State = 'idle';
  private starting: Promise<void> | undefined;
  private stopping: Promise<void> | undefined;
  private consumerConnected = false;
  private dlqConnected = false;
  private crashed = false;
  // Replacing a consumer kafkajs gave up on (a crash it does not restart from): under way, and wanted again.
  private replacing: Promise<void> | undefined;
  private replacementWanted = false;
  // Consecutive infrastructure failures per partition, for the outage backoff.
  private readonly outageFailures = new Map<string, number>();
  private readonly resumeTimers = new Set<NodeJS.Timeout>();
  private wakeSleepers: () => void = () => undefined;
  private stopSignal: Promise<void> = Promise.resolve();

  constructor(opts: KafkaBatchConsumerOptions) {
    if (opts.topics.length === 0) throw new Error('KafkaBatchConsumer needs at least one topic');
    this.opts = opts;
    this.retry = validateRetryPolicy(opts.retry ?? DEFAULT_RETRY_POLICY);
    this.maxBatchSize = opts.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    if (!Number.isInteger(this.maxBatchSize) || this.maxBatchSize < 1) {
      throw new RangeError(`maxBatchSize must be an integer >= 1, got ${opts.maxBatchSize}`);
    }
    this.decode = opts.decode ?? decodeWanted;
    this.classify = opts.classifyError ?? defaultClassifyError;
    this.logger = opts.logger?.child({ component: 'kafka-batch-consumer', groupId: opts.groupId });
    this.metrics = createConsumerMetrics(opts.metrics, opts.groupId);
    // Give up on a dead letter within seconds: the records stay uncommitted and the partition retries after a pause,
    // which keeps the consumer responsive to stop() and rebalances while the DLQ is unwritable.
    this.dlq = new KafkaPublisher(opts.kafka, {
      retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 2_000 },
      ...(opts.logger ? { logger: opts.logger } : {}),
    });
  }

  /** Connects the consumer and its dead-letter producer, subscribes and starts consuming in the background. */
  start(): Promise<void> {
    if (this.state !== 'idle') return Promise.reject(new Error(`KafkaBatchConsumer cannot start: it is ${this.state}`));
    this.state = 'starting';
    this.starting = this.connectAndRun().catch(async (error: unknown) => {
      this.state = 'stopped';
      await this.consumer?.disconnect().catch(() => undefined);
      await this.dlq.disconnect().catch(() => undefined);
      throw error;
    });
    return this.starting;
  }

  /**
   * Stops consuming: the chunk being handled finishes and is committed, the rest of its batch is left uncommitted
   * (retry waits end at once), then the consumer leaves the group so its partitions move on without waiting for a
   * session timeout.
   */
  stop(): Promise<void> {
    if (this.state === 'idle') this.state = 'stopped';
    if (this.state === 'stopped') return Promise.resolve();
    // A second caller (a SIGTERM during a shutdown already under way) waits for the same stop.
    this.stopping ??= this.shutDown();
    return this.stopping;
  }

  private async shutDown(): Promise<void> {
    await this.starting?.catch(() => undefined);
    if (this.state === 'stopped') return;
    this.state = 'stopping';
    this.wakeSleepers();
    for (const timer of this.resumeTimers) clearTimeout(timer);
    this.resumeTimers.clear();
    if (this.replacing) {
      // A replacement under way may be connecting: disconnecting its consumer ends that, and the loop sees the stop.
      await this.consumer?.disconnect().catch(() => undefined);
      await this.replacing;
    }
    try {
      await this.consumer?.disconnect();
    } finally {
      await this.dlq.disconnect();
      this.state = 'stopped';
      this.logger?.info({ topics: this.opts.topics }, 'consumer stopped');
    }
  }

  /** Connected to the broker and consuming (false before start, after stop, and after a crash kafkajs gave up on). */
  isHealthy(): boolean {
    return this.state === 'running' && this.consumerConnected && this.dlqConnected && !this.crashed;
  }

  private async connectAndRun(): Promise<void> {
    this.stopSignal = new Promise((resolve) => {
      this.wakeSleepers = resolve;
    });
    await this.dlq.connect();
    this.dlqConnected = true;
    await this.runConsumer();
    this.state = 'running';
    this.logger?.info({ topics: this.opts.topics }, 'consumer started');
    // kafkajs reports a refused first join as a crash inside run(), while this is still starting: handled now.
    if (this.replacementWanted) this.requestReplacement();
  }

  /** A new kafkajs consumer of the group, connected, subscribed and running. */
  private async runConsumer(): Promise<void> {
    const { kafka, groupId, topics } = this.opts;
    const consumer = kafka.consumer({ ...GROUP_RECOVERY_DEFAULTS, ...this.opts.consumerConfig, groupId, allowAutoTopicCreation: false });
    this.consumer = consumer;
    const current = () => this.consumer === consumer;
    consumer.on(consumer.events.CONNECT, () => {
      if (current()) this.consumerConnected = true;
    });
    consumer.on(consumer.events.DISCONNECT, () => {
      if (current()) this.consumerConnected = false;
    });
    consumer.on(consumer.events.GROUP_JOIN, () => {
      if (current()) this.crashed = false;
    });
    consumer.on(consumer.events.CRASH, (event) => {
      if (!current()) return;
      // With restart, kafkajs rejoins by itself and GROUP_JOIN clears the flag; without, this consumer is dead and a
      // new one takes its place (kafkajs leaves that to its user: a broker restart can end in such a crash).
      this.crashed = true;
      const { restart, error } = event.payload;
      this.logger?.[restart ? 'warn' : 'error']({ reason: describeFailure(error), restart }, 'consumer crashed');
      if (!restart) this.requestReplacement();
    });
    await consumer.connect();
    await consumer.subscribe({ topics, fromBeginning: this.opts.fromBeginning ?? true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.opts.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.onBatch(payload),
    });
  }

  /** Starts replacing the consumer unless a replacement is under way, which then goes round once more. */
  private requestReplacement(): void {
    if (this.state === 'starting') this.replacementWanted = true;
    if (this.state !== 'running') return;
    this.replacementWanted = true;
    this.replacing ??= this.replaceWhileWanted().finally(() => {
      this.replacing = undefined;
      // A crash reported between the loop's last look and here.
      if (this.replacementWanted) this.requestReplacement();
    });
  }

  /**
   * Replaces a consumer kafkajs will not restart, trying again with the outage backoff until one runs or the consumer
   * is stopped. Nothing is lost meanwhile: offsets are committed only after their effect, so the new member of the
   * group starts where the dead one had committed.
   */
  private async replaceWhileWanted(): Promise<void> {
    for (let attempt = 1; this.replacementWanted && this.state === 'running'; attempt++) {
      // Another round means the last replacement failed or crashed again at once (a refusal that lasts): back off.
      if (attempt > 1) await Promise.race([sleep(backoffDelay(attempt - 1, this.retry)), this.stopSignal]);
      if (this.state !== 'running') return;
      this.replacementWanted = false;
      await this.consumer?.disconnect().catch(() => undefined);
      if (this.state !== 'running') return;
      try {
        await this.runConsumer();
        this.logger?.warn({ attempt }, 'consumer replaced after a crash kafkajs does not restart from');
      } catch (error) {
        this.replacementWanted = true;
        this.logger?.warn({ attempt, reason: describeFailure(error) }, 'consumer could not be replaced yet; retrying');
      }
    }
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, isRunning, isStale, heartbeat } = payload;
    for (let start = 0; start < batch.messages.length; start += this.maxBatchSize) {
      if (!isRunning() || isStale() || this.state === 'stopping') return;
      const end = Math.min(start + this.maxBatchSize, batch.messages.length);
      const chunk = batch.messages.slice(start, end);
      // Past the last record there may be control records the fetch filtered out: commit beyond them too.
      const commitThrough = end === batch.messages.length ? batch.lastOffset() : chunk[chunk.length - 1]!.offset;
      const outcome = await this.processChunk(payload, chunk, commitThrough);
      if (outcome !== 'committed') return;
      await heartbeat();
    }
  }

  private async processChunk(payload: EachBatchPayload, chunk: KafkaMessage[], commitThrough: string): Promise<ChunkOutcome> {
    const { topic, partition } = payload.batch;
    const started = process.hrtime.bigint();
    const entries = chunk.map((raw) => this.decodeEntry(topic, partition, raw));
    const valid = entries.flatMap((e) => (e.decoded.ok === true ? [e.decoded.message] : []));
    const log = this.logger?.child({ topic, partition });
    log?.debug({ firstOffset: chunk[0]!.offset, count: chunk.length, valid: valid.length }, 'handling chunk');

    const failure = valid.length > 0 ? await this.callHandler(payload, valid) : undefined;
    let outcome: ChunkOutcome;
    if (failure === undefined) {
      outcome = await this.finishChunk(payload, entries, commitThrough);
    } else if (this.classify(failure.error) === 'infrastructure') {
      log?.warn({ firstOffset: chunk[0]!.offset, reason: describeFailure(failure.error) }, 'dependency unavailable');
      outcome = this.stallPartition(payload);
    } else {
      log?.warn(
        { firstOffset: chunk[0]!.offset, count: valid.length, reason: describeFailure(failure.error) },
        'batch failed; handling its messages one by one',
      );
      outcome = await this.processOneByOne(payload, entries, commitThrough);
    }
    if (outcome === 'committed') this.outageFailures.delete(`${topic}|${partition}`);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.metrics.batchDuration(topic, seconds);
    log?.debug({ firstOffset: chunk[0]!.offset, count: chunk.length, outcome, durationMs: Math.round(seconds * 1000) }, 'chunk done');
    return outcome;
  }

  /** After the valid messages were handled together: dead-letter the undecodable ones, then commit the chunk. */
  private async finishChunk(payload: EachBatchPayload, entries: Entry[], commitThrough: string): Promise<ChunkOutcome> {
    const invalid = entries.flatMap((e) => (e.decoded.ok === false ? [{ raw: e.raw, reason: e.decoded.reason }] : []));
    if (invalid.length > 0) {
      const sent = await this.deadLetter(
        payload,
        invalid.map(({ raw, reason }) => ({ raw, reason, attempts: 0, reasonClass: 'invalid' as const })),
      );
      // The handled messages come back too; the handler's inbox makes that harmless, losing a record would not be.
      if (!sent) return this.stallPartition(payload);
    }
    await this.commit(payload, commitThrough, entries.length);
    return 'committed';
  }

  /**
   * Isolates the failure: each message is handled on its own so one poison message cannot hold back the good ones
   * around it, and a message that keeps failing is dead-lettered so the partition moves on.
   */
  private async processOneByOne(payload: EachBatchPayload, entries: Entry[], commitThrough: string): Promise<ChunkOutcome> {
    let lastDone: string | undefined;
    let done = 0;
    const leave = async (outcome: 'stalled' | 'abandoned'): Promise<ChunkOutcome> => {
      if (lastDone !== undefined) await this.commit(payload, lastDone, done);
      return outcome === 'stalled' ? this.stallPartition(payload) : 'abandoned';
    };
    for (const entry of entries) {
      if (!this.mayContinue(payload)) return leave('abandoned');
      // A skipped record (a type this consumer does not read) needs nothing but its commit.
      if (entry.decoded.ok === false) {
        const sent = await this.deadLetter(payload, [
          { raw: entry.raw, reason: entry.decoded.reason, attempts: 0, reasonClass: 'invalid' },
        ]);
        if (!sent) return leave('stalled');
      } else if (entry.decoded.ok === true) {
        const outcome = await this.handleWithRetries(payload, entry.decoded.message);
        if (outcome.kind === 'infrastructure') return leave('stalled');
        if (outcome.kind === 'abandoned') return leave('abandoned');
        if (outcome.kind === 'dead-letter') {
          const sent = await this.deadLetter(payload, [{ raw: entry.raw, ...outcome }]);
          if (!sent) return leave('stalled');
        }
      }
      lastDone = entry.raw.offset;
      done++;
    }
    await this.commit(payload, commitThrough, entries.length);
    return 'committed';
  }

  private async handleWithRetries(payload: EachBatchPayload, message: ConsumedMessage): Promise<MessageOutcome> {
    const log = this.logger?.child(logFieldsOf(message));
    for (let attempt = 1; ; attempt++) {
      const failure = await this.callHandler(payload, [message]);
      if (failure === undefined) return { kind: 'handled' };
      const errorClass = this.classify(failure.error);
      const reason = describeFailure(failure.error);
      if (errorClass === 'infrastructure') {
        log?.warn({ attempt, reason }, 'dependency unavailable while handling a message');
        return { kind: 'infrastructure' };
      }
      if (errorClass === 'dead-letter') return { kind: 'dead-letter', reason, attempts: attempt, reasonClass: 'rejected' };
      if (attempt >= this.retry.attempts) {
        return { kind: 'dead-letter', reason, attempts: attempt, reasonClass: 'retries-exhausted' };
      }
      const delayMs = backoffDelay(attempt, this.retry);
      log?.warn({ attempt, delayMs, reason }, 'message failed; retrying');
      this.metrics.retried(message.topic, 'message');
      if (!(await this.sleepAlive(payload, delayMs))) return { kind: 'abandoned' };
    }
  }

  /**
   * Sends dead letters and waits for the broker's acknowledgement; only then may the source offsets be committed.
   * Returns false when the DLQ cannot be written (broker trouble, missing DLQ topic): the caller leaves the records
   * uncommitted so they are fetched again rather than lost.
   */
  private async deadLetter(
    payload: EachBatchPayload,
    failures: { raw: KafkaMessage; reason: string; attempts: number; reasonClass: DeadLetterReasonClass }[],
  ): Promise<boolean> {
    const { topic, partition } = payload.batch;
    const failedAt = new Date();
    const records = failures.map(({ raw, reason, attempts }) =>
      deadLetterOf(
        { topic, partition, offset: raw.offset, key: raw.key, value: raw.value, headers: raw.headers ?? {} },
        { reason, attempts, consumerGroup: this.opts.groupId, failedAt },
      ),
    );
    try {
      await this.dlq.publishRecords([{ topic: records[0]!.topic, messages: records.map((r) => r.message) }]);
    } catch (error) {
      this.logger?.error(
        { topic, partition, offset: failures[0]!.raw.offset, dlqTopic: records[0]!.topic, reason: describeFailure(error) },
        'dead letter not written; the records stay uncommitted',
      );
      return false;
    }
    for (const { raw, reason, attempts, reasonClass } of failures) {
      this.logger?.warn({ topic, partition, offset: raw.offset, reason, attempts, reasonClass }, 'dead-lettered');
      this.metrics.deadLettered(topic, reasonClass);
    }
    return true;
  }

  /**
   * An unreachable database is not the message's fault: dead-lettering would fill the DLQ with good orders for as
   * long as the outage lasts. So nothing is committed; the partition is paused and fetched again from its last
   * committed record after a backoff that grows with each consecutive failure, for as long as it takes.
   */
  private stallPartition(payload: EachBatchPayload): ChunkOutcome {
    const { topic, partition } = payload.batch;
    const key = `${topic}|${partition}`;
    const failures = (this.outageFailures.get(key) ?? 0) + 1;
    this.outageFailures.set(key, failures);
    const delayMs = backoffDelay(failures, this.retry);
    this.metrics.retried(topic, 'infrastructure');
    this.logger?.warn({ topic, partition, failures, delayMs }, 'partition paused until the dependency recovers');
    const resume = payload.pause();
    const timer = setTimeout(() => {
      this.resumeTimers.delete(timer);
      resume();
    }, delayMs);
    this.resumeTimers.add(timer);
    return 'stalled';
  }

  /**
   * Runs the handler while heartbeating in the background, so a long batch does not cost the group membership (kafkajs
   * only heartbeats when asked). Returns the failure instead of throwing, so that Kafka errors of our own (commit,
   * heartbeat) can never be mistaken for a handler failure and trigger retries or dead letters.
   */
  private async callHandler(payload: EachBatchPayload, messages: ConsumedMessage[]): Promise<{ error: unknown } | undefined> {
    // A failed heartbeat (a rebalance) is not the handler's business: the commit that follows reports it.
    const heartbeats = setInterval(() => payload.heartbeat().catch(() => undefined), HEARTBEAT_SLICE_MS);
    try {
      await inProcessSpans(messages, this.opts.groupId, () => this.opts.handle(messages));
      return undefined;
    } catch (error) {
      return { error };
    } finally {
      clearInterval(heartbeats);
    }
  }

  private async commit(payload: EachBatchPayload, offset: string, records: number): Promise<void> {
    const { topic, partition } = payload.batch;
    payload.resolveOffset(offset);
    // The payload's commit goes straight to the group coordinator, unlike consumer.commitOffsets, which kafkajs
    // skips once stop() began: the chunk that finishes during a graceful stop is still committed.
    await payload.commitOffsetsIfNecessary({
      topics: [{ topic, partitions: [{ partition, offset: (BigInt(offset) + 1n).toString() }] }],
    });
    this.metrics.consumed(topic, records);
  }

  private decodeEntry(topic: string, partition: number, raw: KafkaMessage): Entry {
    // A dead letter re-driven for another consumer group: that group's to handle, not this one's.
    const redriveFor = headerText(raw.headers?.[REDRIVE_HEADERS.group]);
    if (redriveFor !== undefined && redriveFor !== this.opts.groupId) return { raw, decoded: { ok: 'skipped' } };
    let result: SelectiveDecodeResult;
    try {
      // Binary-mode CloudEvents carry their attributes in headers; key and receipt time fill unset ones (SPEC 11).
      result = this.decode(topic, raw.value, { headers: raw.headers, key: raw.key, receivedAt: new Date() }, this.opts.wantedTypes?.get(topic));
    } catch (error) {
      // A custom decoder that throws must not crash the consumer over one record: the record is what is broken.
      result = { ok: false, reason: `decoder failed: ${describeFailure(error)}` };
    }
    if (result.ok === 'skipped') return { raw, decoded: { ok: 'skipped' } };
    if (!result.ok) return { raw, decoded: { ok: false, reason: result.reason } };
    return {
      raw,
      decoded: {
        ok: true,
        message: {
          envelope: result.envelope,
          topic,
          partition,
          offset: raw.offset,
          key: raw.key === null ? null : raw.key.toString('utf8'),
          headers: headersToRecord(raw.headers),
        },
      },
    };
  }

  private mayContinue(payload: EachBatchPayload): boolean {
    return payload.isRunning() && !payload.isStale() && this.state !== 'stopping';
  }

  /** Waits while keeping the group membership alive; false when the wait was cut short by stop or a rebalance. */
  private async sleepAlive(payload: EachBatchPayload, ms: number): Promise<boolean> {
    const until = Date.now() + ms;
    while (Date.now() < until) {
      if (!this.mayContinue(payload)) return false;
      const slice = Math.min(HEARTBEAT_SLICE_MS, until - Date.now());
      await Promise.race([sleep(slice), this.stopSignal]);
      await payload.heartbeat();
    }
    return this.mayContinue(payload);
  }
}

function logFieldsOf(message: ConsumedMessage): Record<string, unknown> {
  const envelope: AnyEnvelope = message.envelope;
  return { topic: message.topic, partition: message.partition, offset: message.offset, type: envelope.type, id: envelope.id };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
