import { randomUUID } from 'node:crypto';
import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { PostgresEventStore, Tx } from '@fulfillment/eventstore';
import type { Logger } from 'pino';
import type { Counter } from 'prom-client';
import { skuSweeps } from '../sku/sku-sweeps.repository.js';
import type { SkuPipeline, SkuWork } from '../sku/sku.pipeline.js';

/**
 * One advisory lock per database for the sweep (class "INSW", key 0): instances that tick at the same moment do not
 * both sweep. The lock is transaction-scoped (no session to lose with a pooled connection); a pass that finds it taken
 * skips, and the instance that holds it sweeps what is due.
 */
const SWEEP_LOCK = { classId: 0x494e_5357, key: 0 } as const;

export interface SweepPassResult {
  /** Another instance was sweeping: this pass did nothing. */
  readonly skipped: boolean;
  /** SKUs swept (sent `SweepBackorders` and committed). */
  readonly visited: number;
  /** Of those, SKUs where the sweep decided something (an expiry, a release). */
  readonly changed: number;
  /** SKUs that could not be swept (logged; retried at the next pass). */
  readonly failed: number;
}

export interface ExpirySweepOptions {
  readonly intervalMs: number;
  readonly logger: Logger;
  /** SKUs per transaction (default 100): the stream locks of a batch are held until it commits. */
  readonly batchSize?: number;
  readonly swept?: Counter<'outcome'>;
  readonly now?: () => Date;
}

/**
 * The clock of SPEC 10: every `intervalMs`, `SweepBackorders {now}` goes through the SKU pipeline to each SKU whose
 * `nextSweepAt` has come (the `sku_sweeps` index), so expiries and preorder releases happen in the service, decided by
 * the pure decider with the time in the command. A repeat is harmless: the stream lock orders sweeps with everything
 * else, and a sweep with nothing due decides nothing.
 */
export class ExpirySweep implements OnApplicationBootstrap, OnModuleDestroy {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepPassResult> | undefined;
  private readonly batchSize: number;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly skus: SkuPipeline,
    private readonly options: ExpirySweepOptions,
  ) {
    this.batchSize = options.batchSize ?? 100;
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs);
    this.timer.unref();
    void this.runOnce();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass at the clock's time; concurrent calls share it. Failures are logged and retried at the next pass. */
  runOnce(): Promise<SweepPassResult> {
    this.running ??= this.pass(this.options.now?.() ?? new Date())
      .catch((error: unknown): SweepPassResult => {
        this.options.logger.error({ err: error }, 'expiry sweep failed; retried at the next pass');
        return { skipped: false, visited: 0, changed: 0, failed: 0 };
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async pass(clock: Date): Promise<SweepPassResult> {
    const now = clock.toISOString();
    const correlationId = `expiry-sweep-${randomUUID()}`;
    // Every SKU this pass has tried, swept or not, so that none is tried twice in one pass.
    const tried: string[] = [];
    let visited = 0;
    let changed = 0;
    let failed = 0;
    const result = (skipped: boolean): SweepPassResult => this.finish({ skipped, visited, changed, failed });
    for (;;) {
      let batch: BatchResult | null;
      try {
        batch = await this.sweepDue(now, correlationId, tried);
      } catch (error) {
        // One unreadable SKU must not hold back the others: the batch is retried SKU by SKU to isolate it.
        const skus = await this.store.transaction((tx) => skuSweeps.due(tx, now, this.batchSize, tried));
        batch = { skus, changed: 0 };
        for (const sku of skus) {
          try {
            const one = await this.sweepDue(now, correlationId, tried, [sku]);
            if (one === null) return result(false);
            visited += 1;
            changed += one.changed;
          } catch (skuError) {
            failed++;
            this.options.swept?.inc({ outcome: 'failed' });
            this.options.logger.error({ err: skuError, sku, batchError: (error as Error).message }, 'expiry sweep of a SKU failed');
          }
          if (!tried.includes(sku)) tried.push(sku);
        }
        if (skus.length < this.batchSize) return result(false);
        continue;
      }
      if (batch === null) return result(tried.length === 0);
      visited += batch.skus.length;
      changed += batch.changed;
      if (batch.skus.length < this.batchSize) return result(false);
    }
  }

  /**
   * Sweeps the next due SKUs (or exactly `only`) in one transaction under the sweep lock; null when another instance
   * holds it. The SKUs join `tried` once committed.
   */
  private async sweepDue(now: string, correlationId: string, tried: string[], only?: readonly string[]): Promise<BatchResult | null> {
    const result = await this.store.transaction(async (tx: Tx) => {
      const { rows } = await tx.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock($1, $2) AS locked', [
        SWEEP_LOCK.classId,
        SWEEP_LOCK.key,
      ]);
      if (!rows[0]?.locked) return null;
      const skus = only ?? (await skuSweeps.due(tx, now, this.batchSize, tried));
      if (skus.length === 0) return { skus, changed: 0 };
      const work: SkuWork[] = skus.map((sku) => ({
        id: sku,
        command: { type: 'SweepBackorders', data: { now } },
        cause: { correlationId, causationId: null },
      }));
      const { outcomes } = await this.skus.handle(tx, work);
      const unchanged = [...outcomes.values()].filter((outcome) => outcome.decisions.length === 0);
      // The pipeline re-indexed the SKUs it changed; one the sweep left alone (nothing was due after all) gets its
      // entry recomputed here, so it is not visited again before its time.
      await skuSweeps.save(tx, unchanged);
      return { skus, changed: outcomes.size - unchanged.length };
    });
    if (result) {
      tried.push(...result.skus);
      this.options.swept?.inc({ outcome: 'changed' }, result.changed);
      this.options.swept?.inc({ outcome: 'unchanged' }, result.skus.length - result.changed);
    }
    return result;
  }

  private finish(result: SweepPassResult): SweepPassResult {
    if (result.visited > 0 || result.failed > 0) this.options.logger.info({ ...result }, 'expiry sweep');
    return result;
  }
}

interface BatchResult {
  skus: readonly string[];
  changed: number;
}
