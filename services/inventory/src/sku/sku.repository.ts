import { evolve, initialState, skuStreamName, type SkuEvent, type SkuState } from '@fulfillment/inventory-domain';
import type { Fold, OutboxMessage, PostgresEventStore, Tx } from '@fulfillment/eventstore';

/** A domain event with the id it is stored under; the id is also the published envelope's id. */
export interface RecordedSkuEvent {
  readonly id: string;
  readonly event: SkuEvent;
}

export interface LoadedSku {
  readonly sku: string;
  readonly state: SkuState;
  /** Stream version the state reflects; 0 for a SKU that has no event yet. */
  readonly version: number;
}

/**
 * A hot SKU's stream grows by several events per order line forever, so loads start from a snapshot. 200 keeps a load
 * below a few hundred folded events while writing a snapshot (the whole queue, possibly megabytes) at most once per
 * 200 events. Bump `schemaVersion` whenever SkuState's shape or `evolve` changes: old snapshots are then ignored.
 */
export const SKU_SNAPSHOT_EVERY = 200;

const skuFold: Fold<SkuState> = {
  initialState,
  // The stored type and data are exactly what the decider emitted (see append), so the cast only restores the type.
  evolve: (state, stored) => evolve(state, { type: stored.type, data: stored.data } as SkuEvent),
  snapshot: { every: SKU_SNAPSHOT_EVERY, schemaVersion: 1 },
};

/** The SKU aggregate on the event store: one stream per SKU. */
export class SkuRepository {
  constructor(private readonly store: PostgresEventStore) {}

  /**
   * `forUpdate` holds the SKU's stream lock until `tx` ends, so decisions about one SKU are taken one after the other
   * even across service instances; FIFO order is then the commit order.
   */
  async load(sku: string, opts: { tx?: Tx; forUpdate?: boolean } = {}): Promise<LoadedSku> {
    const { state, version } = await this.store.load(skuStreamName(sku), skuFold, opts);
    return { sku, state, version };
  }

  /** Appends the events and their outbox messages in one statement; ConcurrencyError when the stream moved on. */
  async append(tx: Tx, loaded: LoadedSku, events: readonly RecordedSkuEvent[], outbox: OutboxMessage[]): Promise<void> {
    await this.store.append(
      skuStreamName(loaded.sku),
      loaded.version,
      events.map(({ id, event }) => ({ id, type: event.type, data: event.data })),
      { tx, outbox },
    );
  }
}
