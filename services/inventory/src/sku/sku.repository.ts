import { evolveAll, initialState, skuStreamName, type SkuEvent, type SkuState } from '@fulfillment/inventory-domain';
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

/**
 * What a load folds: the snapshot (or initial) state plus the events read after it, as a list that grows in O(1).
 * Folding event by event with `evolve` copies the queue per event, which turns the replay of a restock that served
 * thousands of lines into seconds; `evolveAll` applies them together once the load has read them.
 */
interface Replay {
  readonly base: SkuState;
  readonly last: { readonly event: SkuEvent; readonly previous: Replay['last'] } | null;
}

const replayed = new WeakMap<Replay, SkuState>();

function stateOf(replay: Replay): SkuState {
  let state = replayed.get(replay);
  if (state === undefined) {
    const events: SkuEvent[] = [];
    for (let link = replay.last; link !== null; link = link.previous) events.push(link.event);
    state = evolveAll(replay.base, events.reverse());
    replayed.set(replay, state);
  }
  return state;
}

const skuFold: Fold<Replay> = {
  initialState: () => ({ base: initialState(), last: null }),
  // The stored type and data are exactly what the decider emitted (see append), so the cast only restores the type.
  evolve: (replay, stored) => ({
    base: replay.base,
    last: { event: { type: stored.type, data: stored.data } as SkuEvent, previous: replay.last },
  }),
  snapshot: {
    every: SKU_SNAPSHOT_EVERY,
    schemaVersion: 1,
    toSnapshot: stateOf,
    fromSnapshot: (stored) => ({ base: stored as SkuState, last: null }),
  },
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
    return { sku, state: stateOf(state), version };
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
