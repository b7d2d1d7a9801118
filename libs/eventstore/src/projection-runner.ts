import { pino } from 'pino';
import type { PostgresEventStore } from './postgres-event-store.js';
import type { Tx } from './tx.js';
import type { EventStoreLogger, GlobalCheckpoint, StoredEvent } from './types.js';

export interface Projection {
  /** Checkpoint key: unique per projection in a database. */
  readonly name: string;
  /** Applies a page of events in global order; runs in the same transaction that advances the checkpoint. */
  handle(events: StoredEvent[], tx: Tx): Promise<void>;
}

export interface ProjectionProgress {
  /** Events handled so far by this call. */
  processed: number;
  /** Events in the store when the rebuild started (grows if more arrive while it runs). */
  total: number;
  checkpoint: GlobalCheckpoint | null;
}

export interface ProjectionRunnerOptions {
  /** Events per page, i.e. per transaction (default 500). */
  pageSize?: number;
  /** How often a running runner looks for new events once caught up (default 500 ms). */
  pollIntervalMs?: number;
  logger?: EventStoreLogger;
}

interface CheckpointRow {
  transaction_id: string | null;
  global_position: string | bigint | null;
}

type LockMode = 'wait' | 'skip';

/**
 * Feeds the global log to a projection, one transaction per page: the handler's writes and the new checkpoint
 * commit together, so every event is applied exactly once. The checkpoint row is locked for the page, which also
 * keeps several instances of the same projection from working at the same time.
 */
export class ProjectionRunner {
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;
  private readonly logger: EventStoreLogger;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private wakeUp: (() => void) | null = null;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly projection: Projection,
    options: ProjectionRunnerOptions = {},
  ) {
    this.pageSize = options.pageSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.logger = options.logger ?? pino({ name: 'projection-runner' });
    if (!Number.isSafeInteger(this.pageSize) || this.pageSize < 1) {
      throw new RangeError(`pageSize must be a positive integer, got ${this.pageSize}`);
    }
  }

  /** The last event this projection has applied, or null if none. */
  async checkpoint(): Promise<GlobalCheckpoint | null> {
    return this.store.transaction(async (tx) => {
      const { rows } = await tx.query<CheckpointRow>(
        'SELECT transaction_id::text AS transaction_id, global_position FROM es_projection_checkpoints WHERE name = $1',
        [this.projection.name],
      );
      return toCheckpoint(rows[0]);
    });
  }

  /**
   * Handles one page after the checkpoint. Returns how many events it handled: 0 when caught up, or when another
   * instance holds the projection and `lock` is 'skip'. A handler error rolls the page back and is rethrown.
   */
  async processNextPage(lock: LockMode = 'wait'): Promise<{ handled: number; checkpoint: GlobalCheckpoint | null }> {
    return this.store.transaction(async (tx) => {
      await tx.query('INSERT INTO es_projection_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [
        this.projection.name,
      ]);
      const { rows } = await tx.query<CheckpointRow>(
        `SELECT transaction_id::text AS transaction_id, global_position FROM es_projection_checkpoints
         WHERE name = $1 FOR UPDATE ${lock === 'skip' ? 'SKIP LOCKED' : ''}`,
        [this.projection.name],
      );
      if (rows.length === 0) return { handled: 0, checkpoint: null };
      const after = toCheckpoint(rows[0]);
      const { events, checkpoint } = await this.store.readAll({ after, limit: this.pageSize, tx });
      if (events.length === 0) return { handled: 0, checkpoint: after };
      await this.projection.handle(events, tx);
      await tx.query(
        `UPDATE es_projection_checkpoints SET transaction_id = $2::xid8, global_position = $3, updated_at = now()
         WHERE name = $1`,
        [this.projection.name, String(checkpoint!.transactionId), String(checkpoint!.globalPosition)],
      );
      return { handled: events.length, checkpoint };
    });
  }

  /** Handles pages until the projection has caught up with the store, reporting progress after each page. */
  catchUp(onProgress?: (progress: ProjectionProgress) => void): Promise<ProjectionProgress> {
    return this.replay(0, onProgress);
  }

  private async replay(total: number, onProgress?: (progress: ProjectionProgress) => void): Promise<ProjectionProgress> {
    const progress: ProjectionProgress = { processed: 0, total, checkpoint: null };
    for (;;) {
      const page = await this.processNextPage('wait');
      progress.checkpoint = page.checkpoint;
      if (page.handled === 0) {
        // Caught up: every event in the store when this began is applied, also the pages another runner of the same
        // projection (the live loop of another instance) handled meanwhile, which this call did not count.
        progress.processed = Math.max(progress.processed, progress.total);
        return progress;
      }
      progress.processed += page.handled;
      progress.total = Math.max(progress.total, progress.processed);
      onProgress?.({ ...progress });
    }
  }

  /**
   * Empties the read model with `reset` and replays the whole store into it, reporting progress after each page.
   * The reset and the checkpoint rewind commit together, so a crash mid-rebuild resumes where it stopped.
   */
  async rebuild(
    reset: (tx: Tx) => Promise<void>,
    onProgress?: (progress: ProjectionProgress) => void,
  ): Promise<ProjectionProgress> {
    const total = await this.store.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO es_projection_checkpoints (name) VALUES ($1)
         ON CONFLICT (name) DO UPDATE SET transaction_id = NULL, global_position = NULL, updated_at = now()`,
        [this.projection.name],
      );
      await reset(tx);
      const { rows } = await tx.query<{ total: string }>(
        'SELECT count(*) AS total FROM es_events WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())',
      );
      return Number(rows[0]!.total);
    });
    this.logger.info({ projection: this.projection.name, total }, 'projection rebuild started');
    const progress = await this.replay(total, onProgress);
    this.logger.info({ projection: this.projection.name, processed: progress.processed }, 'projection rebuilt');
    return progress;
  }

  /** Keeps the projection up to date in the background until `stop`. */
  start(): void {
    if (this.loop) return;
    this.stopping = false;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    if (!this.loop) return;
    this.stopping = true;
    this.wakeUp?.();
    await this.loop;
    this.loop = null;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (!this.stopping) {
      let delay = this.pollIntervalMs;
      try {
        const page = await this.processNextPage('skip');
        failures = 0;
        if (page.handled > 0) continue;
      } catch (error) {
        failures++;
        delay = Math.min(30_000, this.pollIntervalMs * 2 ** Math.min(failures, 6));
        // The page is rolled back; the same events are retried, since skipping one would corrupt the read model.
        this.logger.error({ err: error, projection: this.projection.name, failures, retryInMs: delay }, 'projection page failed');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }
}

function toCheckpoint(row: CheckpointRow | undefined): GlobalCheckpoint | null {
  if (!row || row.transaction_id == null || row.global_position == null) return null;
  return { transactionId: BigInt(row.transaction_id), globalPosition: BigInt(row.global_position) };
}
