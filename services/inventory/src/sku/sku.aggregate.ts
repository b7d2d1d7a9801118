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
 * A hot SKU's stream grows by several events per order line, so loads start from a snapshot. 200 keeps a load below a
 * few hundred folded events while writing a snapshot (the whole queue, possibly megabytes) at most once per 200
 * events. Bump `schemaVersion` whenever SkuState's shape or `evolve` changes: old snapshots are then ignored.
 */
export const SKU_SNAPSHOT_EVERY = 200;

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
  snapshot: { every: SKU_SNAPSHOT_EVERY, schemaVersion: 2 },
  // The hot SKUs are loaded by every batch: their states stay in memory, loads read only what other instances appended.
  cache: { maxStreams: SKU_STATES_CACHED },
};
