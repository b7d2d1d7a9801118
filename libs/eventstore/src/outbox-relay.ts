import type { Notification, Pool, PoolClient } from 'pg';
import { pino } from 'pino';
import { LockClass } from './locks.js';
import { DEFAULT_NOTIFY_CHANNEL } from './schema.js';
import type { Queryable } from './tx.js';
import type { EventStoreLogger, OutboxRecord } from './types.js';

export interface OutboxRelayOptions {
  /** Most rows per publish call (default 500). */
  batchSize?: number;
  /**
   * Most bytes (keys, values and headers) per publish call, default 768 KiB; a row larger than this goes alone. A
   * broker refuses a record batch for one partition above its `message.max.bytes` (1 MiB by default), and a batch
   * whose rows all share a key lands on one partition, so this bound keeps a large `batchSize` publishable.
   */
  maxBatchBytes?: number;
  logger?: EventStoreLogger;
  /** NOTIFY channel the event store announces new outbox rows on (default `es_outbox`). */
  channel?: string;
  /** Fallback poll, in case a notification is missed, and standby's leadership retry interval (default 1000 ms). */
  pollIntervalMs?: number;
  /** Upper bound of the exponential back-off after a failure (default 10 s). */
  maxBackoffMs?: number;
}

/** Resolves once the messages are durably accepted by the broker; rejects to have them retried. */
export type Publish = (batch: OutboxRecord[]) => Promise<void>;

class PublishFailed extends Error {
  constructor(cause: unknown) {
    super(`publish failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

interface OutboxRow {
  position: string | bigint;
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string> | null;
}

const OUTBOX_FETCH_SQL = `SELECT position, topic, key, value, headers,
    octet_length(key) + octet_length(value) + octet_length(headers::text) AS bytes
  FROM es_outbox ORDER BY position LIMIT $1`;

/** Rows waiting in the outbox (committed, not yet published): the `outbox_backlog_messages` gauge. */
export async function outboxBacklog(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ waiting: string }>('SELECT count(*) AS waiting FROM es_outbox');
  return Number(rows[0]?.waiting ?? 0);
}

export const backoffMs = (failures: number, maxMs: number): number =>
  Math.min(maxMs, 100 * 2 ** Math.min(Math.max(failures - 1, 0), 16));

/**
 * Publishes the outbox in position order, at least once. Rows are deleted only after `publish` resolved, so a crash
 * at any point leads to republishing, never to loss; consumers de-duplicate with an Inbox.
 *
 * Of all relays on one database only the holder of a session advisory lock publishes, so replicas cannot reorder a
 * key. The lock, LISTEN, reads and deletes share one dedicated connection: a leader whose connection died can no
 * longer delete rows, and the lock passes to a standby within one poll interval.
 */
export class OutboxRelay {
  private readonly batchSize: number;
  private readonly maxBatchBytes: number;
  private readonly logger: EventStoreLogger;
  private readonly channel: string;
  private readonly pollIntervalMs: number;
  private readonly maxBackoffMs: number;

  private loop: Promise<void> | null = null;
  private stopping = false;
  private client: PoolClient | null = null;
  private connectionBroken = false;
  private leader = false;
  private wakeRequested = false;
  private sleeper: { resolve: () => void; wakeable: boolean } | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly publish: Publish,
    options: OutboxRelayOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.maxBatchBytes = options.maxBatchBytes ?? 768 * 1024;
    this.logger = options.logger ?? pino({ name: 'outbox-relay' });
    this.channel = options.channel ?? DEFAULT_NOTIFY_CHANNEL;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 10_000;
    if (!Number.isSafeInteger(this.batchSize) || this.batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, got ${this.batchSize}`);
    }
    if (!Number.isSafeInteger(this.maxBatchBytes) || this.maxBatchBytes < 1) {
      throw new RangeError(`maxBatchBytes must be a positive integer, got ${this.maxBatchBytes}`);
    }
  }

  /** True while this instance holds the relay lock of its database. */
  get isLeader(): boolean {
    return this.leader;
  }

  /** Starts relaying; resolves after the first attempt to take the lead (see `isLeader`). */
  async start(): Promise<void> {
    if (this.loop) return;
    this.stopping = false;
    let firstAttempt!: () => void;
    const attempted = new Promise<void>((resolve) => (firstAttempt = resolve));
    this.loop = this.run(firstAttempt);
    await attempted;
  }

  /** Lets a publish in flight finish (and its rows be deleted), then gives up the lead and the connection. */
  async stop(): Promise<void> {
    if (!this.loop) return;
    this.stopping = true;
    this.sleeper?.resolve();
    await this.loop;
    this.loop = null;
  }

  /** Resolves once every outbox row committed before the call has been published (by whichever relay leads). */
  async drain(opts: { timeoutMs?: number } = {}): Promise<void> {
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    const { rows } = await this.pool.query<{ last: string | null }>('SELECT max(position) AS last FROM es_outbox');
    const last = rows[0]?.last;
    if (last == null) return;
    for (;;) {
      this.wake();
      const pending = await this.pool.query('SELECT 1 FROM es_outbox WHERE position <= $1 LIMIT 1', [last]);
      if (pending.rowCount === 0) return;
      if (Date.now() >= deadline) {
        throw new Error(`Outbox not drained within ${timeoutMs} ms (rows up to position ${last} pending)`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private async run(onFirstAttempt: () => void): Promise<void> {
    let failures = 0;
    try {
      while (!this.stopping) {
        try {
          const client = await this.connection();
          if (!this.leader) {
            this.leader = await this.tryToLead(client);
            onFirstAttempt();
            if (!this.leader) {
              await this.sleep(this.pollIntervalMs, false);
              continue;
            }
          }
          onFirstAttempt();
          const { full } = await this.relayBatch(client);
          failures = 0;
          if (!full) await this.sleep(this.pollIntervalMs, true);
        } catch (error) {
          onFirstAttempt();
          failures++;
          const delay = backoffMs(failures, this.maxBackoffMs);
          if (error instanceof PublishFailed) {
            this.logger.error({ err: error.cause, failures, retryInMs: delay }, 'outbox publish failed; will retry');
          } else {
            this.logger.error({ err: error, failures, retryInMs: delay }, 'outbox relay database error; reconnecting');
            this.dropConnection(error);
          }
          await this.sleep(delay, false);
        }
      }
    } finally {
      this.dropConnection();
    }
  }

  private async connection(): Promise<PoolClient> {
    if (this.client && this.connectionBroken) this.dropConnection(new Error('connection lost'));
    if (this.client) return this.client;
    const client = await this.pool.connect();
    this.connectionBroken = false;
    // Without a listener an error on a checked-out client would crash the process.
    client.on('error', (error) => {
      // A connection already given up may still report its end; only the current one matters.
      if (this.client !== client) return;
      this.logger.warn({ err: error }, 'outbox relay connection lost');
      this.connectionBroken = true;
      this.leader = false;
      this.sleeper?.resolve();
    });
    client.on('notification', (message: Notification) => {
      if (message.channel === this.channel) this.wake();
    });
    this.client = client;
    return client;
  }

  private dropConnection(reason?: unknown): void {
    const client = this.client;
    this.client = null;
    this.connectionBroken = false;
    if (this.leader) this.logger.info({}, 'outbox relay gave up the lead');
    this.leader = false;
    // Destroyed, never returned to the pool: closing the session releases the advisory lock and the LISTEN.
    client?.release(reason instanceof Error ? reason : true);
  }

  private async tryToLead(client: PoolClient): Promise<boolean> {
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock($1, 0) AS locked',
      [LockClass.outboxRelay],
    );
    if (!rows[0]?.locked) return false;
    await client.query(`LISTEN ${client.escapeIdentifier(this.channel)}`);
    this.logger.info({ channel: this.channel }, 'outbox relay took the lead');
    return true;
  }

  /** Publishes the next rows; `full` when a bound (rows or bytes) cut the batch, so more may be waiting. */
  private async relayBatch(client: PoolClient): Promise<{ count: number; full: boolean }> {
    // Cleared before reading: a notification that arrives from here on makes the next sleep return at once.
    this.wakeRequested = false;
    const { rows } = await client.query<OutboxRow & { bytes: string | number }>({
      name: 'fulfillment_es_outbox_fetch',
      text: OUTBOX_FETCH_SQL,
      values: [this.batchSize],
    });
    if (rows.length === 0) return { count: 0, full: false };
    // The first row always goes, however large: it cannot be split, and holding it back would stop the outbox.
    let bytes = 0;
    let take = 0;
    while (take < rows.length && (take === 0 || bytes + Number(rows[take]!.bytes) <= this.maxBatchBytes)) {
      bytes += Number(rows[take]!.bytes);
      take++;
    }
    const batch: OutboxRecord[] = rows.slice(0, take).map((row) => ({
      position: BigInt(row.position),
      topic: row.topic,
      key: row.key,
      value: row.value,
      headers: row.headers ?? {},
    }));
    try {
      await this.publish(batch);
    } catch (error) {
      throw new PublishFailed(error);
    }
    // Exact positions, not a range: a row with a lower position may commit later and must not be lost.
    await client.query({
      name: 'fulfillment_es_outbox_delete',
      text: 'DELETE FROM es_outbox WHERE position = ANY($1::bigint[])',
      values: [batch.map((record) => String(record.position))],
    });
    this.logger.debug(
      {
        count: batch.length,
        bytes,
        firstPosition: String(batch[0]!.position),
        lastPosition: String(batch.at(-1)!.position),
      },
      'outbox batch published',
    );
    return { count: batch.length, full: take < rows.length || rows.length === this.batchSize };
  }

  private wake(): void {
    this.wakeRequested = true;
    if (this.sleeper?.wakeable) this.sleeper.resolve();
  }

  /** Waits `ms`, or less when stopped, or (if `wakeable`) when a notification or drain asks for work. */
  private sleep(ms: number, wakeable: boolean): Promise<void> {
    if (this.stopping || this.connectionBroken || (wakeable && this.wakeRequested)) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        if (this.sleeper === sleeper) this.sleeper = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      const sleeper = { resolve: done, wakeable };
      this.sleeper = sleeper;
    });
  }
}
