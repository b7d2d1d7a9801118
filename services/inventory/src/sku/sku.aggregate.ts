import { storedEvents, type Aggregate } from '@fulfillment/eventstore';
import {
  decide,
  evolve,
  evolveAll,
  initialState,
  skuStreamName,
  type SkuCommand,
  type SkuEvent,
  type SkuState,
} from '@fulfillment/inventory-domain';

/**
 * A hot SKU's stream grows by several events per order line, so loads start from a snapshot: at least 200 events
 * apart, and for a SKU holding more open lines than twice that, at least half its open lines apart (`skuSnapshotSize`).
 * A snapshot holds every open line (megabytes for a queue of thousands), so a fixed 200 made a queue of 10,000 lines
 * cost about 25 lines written per event queued while it grew; sized, a growing queue is snapshotted at doubling
 * versions, about two lines per event. Bump `schemaVersion` whenever SkuState's shape or `evolve` changes: old
 * snapshots are then ignored.
 */
export const SKU_SNAPSHOT_EVERY = 200;

/** What a snapshot of the SKU holds, in entries: its open lines (queued and held) and open purchase orders. */
export const skuSnapshotSize = (state: SkuState): number => state.queue.size + state.reservations.size + state.purchaseOrders.length;

/**
 * SKU states kept in memory by the pipeline (least recently used out). A SKU with thousands of waiting lines holds a
 * few MB; most hold a few KB.
 */
export const SKU_STATES_CACHED = 500;

/**
 * The SKU aggregate in the store: one stream per SKU. Folding event by event with `evolve` copies the queue per
 * event, which turns the replay of a restock that served thousands of lines into seconds; `evolveAll` folds a load
 * or a decision at once.
 */
export const skuAggregate: Aggregate<SkuCommand, SkuEvent, SkuState> = {
  name: 'sku',
  decider: { decide, evolve, initialState },
  streamName: skuStreamName,
  evolveAll,
  events: storedEvents<SkuEvent>({
    types: [
      'SkuConfigured',
      'StockReserved',
      'BackorderQueued',
      'BackorderAllocated',
      'BackorderEtaChanged',
      'BackorderReleased',
      'ReservationReleased',
      'StockUnavailable',
      'ReplenishmentRequested',
      'BackInStock',
      'StockAdjusted',
      'PurchaseOrderRegistered',
      'PurchaseOrderEtaChanged',
      'RestockReceived',
      'StockShipped',
      'ReplenishmentUnplanned',
      'SkuReleased',
    ],
  }),
  // 2: open lines in sorted maps and the SKU policies (release 2); snapshots of version 1 are ignored and rebuilt.
  snapshot: { every: SKU_SNAPSHOT_EVERY, size: skuSnapshotSize, schemaVersion: 2 },
  // The hot SKUs are loaded by every batch: their states stay in memory, loads read only what other instances appended.
  cache: { maxStreams: SKU_STATES_CACHED },
};
