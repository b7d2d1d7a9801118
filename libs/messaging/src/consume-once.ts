import { ContractViolationError, messageIdentity, type AnyEnvelope } from '@fulfillment/contracts';
import { Inbox, type PostgresEventStore, type Tx } from '@fulfillment/eventstore';
import { isDomainError } from '@fulfillment/kernel';
import type { Logger } from 'pino';
import type { ConsumedMessage } from './consumed-message.js';
import { NonRetryableError } from './errors.js';

/** What a consumer of a topic does with its messages; the lib does everything around it (see ConsumeOnce). */
export interface MessageConsumer<W> {
  /**
   * The inbox this consumer claims message identities in (default: the service's). Identities are (source, id), unique
   * across topics, so one inbox per service is enough.
   */
  readonly inbox?: string;
  /** Messages that concern the consumer; the others are acknowledged without a transaction or an inbox row. */
  accepts?(envelope: AnyEnvelope): boolean;
  /** The work the fresh messages (never applied before) ask for, in their order; may read inside the transaction. */
  commands(messages: readonly ConsumedMessage[], tx: Tx): readonly W[] | Promise<readonly W[]>;
  /** Applies the work inside the same transaction (usually a CommandPipeline's `handle`). */
  execute(tx: Tx, work: readonly W[]): Promise<unknown>;
}

export interface ConsumeSummary {
  readonly fresh: number;
  readonly duplicates: number;
  readonly ignored: number;
  readonly commands: number;
  /** Aggregates the work touched, when `execute` answers a pipeline's outcome. */
  readonly aggregates?: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Releases before (source, id) identities claimed the bare envelope id, which was always a UUID: such a message still
 * counts as seen if that id is in the inbox, until pruning forgets it.
 */
const legacyIdentity = (envelope: Pick<AnyEnvelope, 'id'>): string | null => (UUID.test(envelope.id) ? envelope.id : null);

/** A refusal by the domain, or a message the contract will not carry, can never succeed: it is the message's fault. */
export function refusalOf(error: unknown): unknown {
  if (isDomainError(error)) return new NonRetryableError(`${error.code}: ${error.message}`, { cause: error });
  if (error instanceof ContractViolationError) return new NonRetryableError(error.message, { cause: error });
  return error;
}

/**
 * Consume-once: one transaction per batch in which the inbox claims every message's identity, a repeat (of an earlier
 * batch, or twice in this one) is skipped, and the consumer's work for the rest is applied. A domain refusal becomes a
 * NonRetryableError, so the batch consumer isolates the message and dead-letters it with the reason; anything else (a
 * lost connection, a version conflict) is rethrown for the consumer to retry.
 */
export class ConsumeOnce {
  constructor(
    private readonly store: PostgresEventStore,
    /** The inbox of consumers that name none: the service's name. */
    private readonly defaultInbox: string,
    private readonly logger?: Logger,
  ) {}

  async run<W>(messages: readonly ConsumedMessage[], consumer: MessageConsumer<W>): Promise<ConsumeSummary> {
    const relevant = consumer.accepts ? messages.filter((message) => consumer.accepts!(message.envelope)) : [...messages];
    const ignored = messages.length - relevant.length;
    if (relevant.length === 0) return { fresh: 0, duplicates: 0, ignored, commands: 0 };
    const inbox = new Inbox(consumer.inbox ?? this.defaultInbox);
    let summary: ConsumeSummary;
    try {
      summary = await this.store.transaction(async (tx) => {
        const identities = relevant.map((message) => messageIdentity(message.envelope));
        const claimed = await inbox.claim(tx, identities, relevant.map((message) => legacyIdentity(message.envelope)));
        // delete(): a message twice in this batch is applied once.
        const fresh = relevant.filter((_, index) => claimed.delete(identities[index]!));
        const work = fresh.length > 0 ? await consumer.commands(fresh, tx) : [];
        const executed = work.length > 0 ? await consumer.execute(tx, work) : undefined;
        const outcomes = (executed as { outcomes?: unknown } | undefined)?.outcomes;
        return {
          fresh: fresh.length,
          duplicates: relevant.length - fresh.length,
          ignored,
          commands: work.length,
          ...(outcomes instanceof Map ? { aggregates: outcomes.size } : {}),
        };
      });
    } catch (error) {
      throw refusalOf(error);
    }
    const { topic, partition } = messages[0]!;
    this.logger?.debug({ topic, partition, inbox: inbox.consumer, messages: messages.length, ...summary }, 'batch applied');
    return summary;
  }
}

/**
 * Forgets inbox rows older than the retention on a schedule. Safe once a message can no longer be redelivered: keep
 * the retention above the consumed topics' Kafka retention.
 */
export class InboxPruner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly prune: (before: Date) => Promise<number>,
    private readonly options: { retentionDays: number; intervalMs?: number; logger?: Logger; now?: () => Date },
  ) {}

  start(): void {
    const interval = this.options.intervalMs ?? 3_600_000;
    this.timer = setInterval(() => void this.runOnce(), interval);
    this.timer.unref();
    void this.runOnce();
  }

  /** One pruning pass; concurrent calls share it. Failures are logged and retried at the next pass. */
  runOnce(): Promise<void> {
    this.running ??= (async () => {
      const now = this.options.now?.() ?? new Date();
      const before = new Date(now.getTime() - this.options.retentionDays * 86_400_000);
      try {
        const removed = await this.prune(before);
        if (removed > 0) this.options.logger?.info({ removed, before: before.toISOString() }, 'inbox pruned');
      } catch (error) {
        this.options.logger?.warn({ err: (error as Error).message }, 'inbox pruning failed; retried at the next pass');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
