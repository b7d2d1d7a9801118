import { randomUUID } from 'node:crypto';
import { encodeEnvelope } from '@fulfillment/contracts';
import { isConcurrencyError, type OutboxMessage, type PostgresEventStore, type Tx } from '@fulfillment/eventstore';
import { decide, evolveAll, type SkuCommand, type SkuState } from '@fulfillment/inventory-domain';
import type { Logger } from 'pino';
import { toInventoryEnvelope, type Cause } from './inventory-events.mapper.js';
import type { RecordedSkuEvent, SkuRepository } from './sku.repository.js';

/** One command for one SKU, with what caused it (for the published envelopes' correlation and causation). */
export interface SkuWork {
  readonly sku: string;
  readonly command: SkuCommand;
  readonly cause: Cause;
}

export interface SkuOutcome {
  readonly sku: string;
  /** The state after every command for this SKU, and the stream version it reflects. */
  readonly state: SkuState;
  readonly version: number;
  readonly events: readonly RecordedSkuEvent[];
}

/**
 * Decides a list of SKU commands inside the caller's transaction: each SKU is loaded once (locked), its commands are
 * decided in the given order on the evolving state, and its events plus their outbox messages are appended in one
 * statement. A refusal (InventoryDomainError) throws and the caller's transaction rolls everything back.
 */
export class SkuCommandsHandler {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly skus: SkuRepository,
    /** The real inventory.events topic of this deployment. */
    private readonly inventoryTopic: string,
    private readonly logger?: Logger,
  ) {}

  /**
   * `execute` in a transaction of its own, for HTTP commands. The stream lock makes a version conflict unlikely (only
   * a writer that skips the lock can cause one), so one retry on a fresh state settles it; a second conflict throws.
   */
  async executeAlone(work: readonly SkuWork[]): Promise<Map<string, SkuOutcome>> {
    try {
      return await this.store.transaction((tx) => this.execute(tx, work));
    } catch (error) {
      if (!isConcurrencyError(error)) throw error;
      return this.store.transaction((tx) => this.execute(tx, work));
    }
  }

  async execute(tx: Tx, work: readonly SkuWork[]): Promise<Map<string, SkuOutcome>> {
    const bySku = new Map<string, SkuWork[]>();
    for (const item of work) {
      const list = bySku.get(item.sku);
      if (list) list.push(item);
      else bySku.set(item.sku, [item]);
    }
    const outcomes = new Map<string, SkuOutcome>();
    // Locks are taken in one global order, so two instances handling batches that share SKUs cannot deadlock.
    for (const sku of [...bySku.keys()].sort()) {
      outcomes.set(sku, await this.decideFor(tx, sku, bySku.get(sku)!));
    }
    return outcomes;
  }

  private async decideFor(tx: Tx, sku: string, work: readonly SkuWork[]): Promise<SkuOutcome> {
    const started = performance.now();
    const loaded = await this.skus.load(sku, { tx, forUpdate: true });
    const loadedAt = performance.now();
    let state = loaded.state;
    const recorded: RecordedSkuEvent[] = [];
    const outbox: OutboxMessage[] = [];
    for (const { command, cause } of work) {
      const events = decide(command, state);
      for (const event of events) {
        const entry = { id: randomUUID(), event };
        recorded.push(entry);
        const envelope = toInventoryEnvelope(sku, entry, cause);
        if (envelope) outbox.push({ topic: this.inventoryTopic, key: envelope.subject, value: encodeEnvelope(envelope) });
      }
      state = evolveAll(state, events);
    }
    const decidedAt = performance.now();
    if (recorded.length > 0) await this.skus.append(tx, loaded, recorded, outbox);
    // Where a slow batch spends its time: the lock and load, the decisions and envelopes, or the append.
    this.logger?.debug(
      {
        sku,
        commands: work.length,
        events: recorded.length,
        published: outbox.length,
        loadMs: Math.round(loadedAt - started),
        decideMs: Math.round(decidedAt - loadedAt),
        appendMs: Math.round(performance.now() - decidedAt),
      },
      'sku decided',
    );
    return { sku, state, version: loaded.version + recorded.length, events: recorded };
  }
}
