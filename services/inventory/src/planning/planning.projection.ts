import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import {
  ProjectionRunner,
  type PostgresEventStore,
  type Projection,
  type ProjectionProgress,
  type StoredEvent,
  type Tx,
} from '@fulfillment/eventstore';
import { skuStreamName, type SkuEvent } from '@fulfillment/inventory-domain';
import type { Logger } from 'pino';
import { skuAggregate } from '../sku/sku.aggregate.js';

/** The projection's name: its checkpoint key, and the `:name` of the admin rebuild route. */
export const PLANNING_PROJECTION = 'planning';

/** Demand and fills older than the longest window (30 days) no longer count; a day of margin. */
export const PLANNING_RETENTION_DAYS = 31;

const DAY_MS = 86_400_000;

/** `rows` as one array per column, in the order named: the parameters `unnest($1, $2, ...)` reads back as rows. */
const columnsOf = <Row, Column extends keyof Row>(rows: readonly Row[], ...columns: readonly Column[]): Row[Column][][] =>
  columns.map((column) => rows.map((row) => row[column]));
const SKU_STREAM_PREFIX = skuStreamName('');

interface Counters {
  onHand: number;
  reserved: number;
  backordered: number;
  queueLines: number;
  incoming: number;
}

interface QueueLineRow {
  sku: string;
  orderId: string;
  lineId: string;
  waiting: number;
  queuedAt: string;
  firstPromisedAt: string | null;
}

interface LineKey {
  sku: string;
  orderId: string;
  lineId: string;
}

const keyOf = ({ sku, orderId, lineId }: LineKey): string => JSON.stringify([sku, orderId, lineId]);
const poKeyOf = (sku: string, purchaseOrderId: string): string => JSON.stringify([sku, purchaseOrderId]);

/**
 * The planning read models (GET /skus, GET /reports/backorders), fed by the SKU events of the store's global log:
 * per SKU the counters (on hand, reserved, backordered, queue lines, incoming), the waiting lines with the date first
 * promised to each, the open purchase orders, the units each line ordered at its first answer (demand) and the lines
 * filled from the queue (promise kept or not). The same code applies the live log and a rebuild, page by page in the
 * runner's transaction: a page is read in a few statements and written in a few, whatever its size.
 */
export class PlanningReadModel implements Projection {
  readonly name = PLANNING_PROJECTION;

  async handle(stored: StoredEvent[], tx: Tx): Promise<void> {
    const page: { sku: string; event: SkuEvent }[] = [];
    for (const event of stored) {
      if (!event.streamId.startsWith(SKU_STREAM_PREFIX)) continue;
      page.push({ sku: event.streamId.slice(SKU_STREAM_PREFIX.length), event: skuAggregate.events.decode(event) });
    }
    if (page.length === 0) return;

    const lines = await this.loadLines(tx, page);
    const purchaseOrders = await this.loadPurchaseOrders(tx, page);
    const counters = new Map<string, Counters>();
    const demand = new Map<string, LineKey & { quantity: number; answeredAt: string }>();
    const fills = new Map<string, LineKey & { filledAt: string; promisedAt: string | null }>();
    const countersOf = (sku: string): Counters => {
      let found = counters.get(sku);
      if (!found) counters.set(sku, (found = { onHand: 0, reserved: 0, backordered: 0, queueLines: 0, incoming: 0 }));
      return found;
    };
    const ordered = (key: LineKey, quantity: number, at: string) => {
      const current = demand.get(keyOf(key));
      if (current) current.quantity += quantity;
      else demand.set(keyOf(key), { ...key, quantity, answeredAt: at });
    };
    /** Takes units off a waiting line; the line leaves once nothing waits for it. A line never seen changes nothing. */
    const leaving = (key: LineKey, quantity: number, filledAt: string | null) => {
      const row = lines.get(keyOf(key));
      if (!row) return;
      row.waiting -= quantity;
      if (row.waiting > 0) return;
      lines.set(keyOf(key), null);
      countersOf(key.sku).queueLines -= 1;
      if (filledAt !== null) fills.set(keyOf(key), { ...key, filledAt, promisedAt: row.firstPromisedAt });
    };

    for (const { sku, event } of page) {
      const c = countersOf(sku);
      switch (event.type) {
        case 'StockReserved': {
          const { orderId, lineId, quantity, at } = event.data;
          c.reserved += quantity;
          ordered({ sku, orderId, lineId }, quantity, at);
          break;
        }
        case 'BackorderQueued': {
          const { orderId, lineId, quantity, expectedAt, at } = event.data;
          const key = { sku, orderId, lineId };
          const row = lines.get(keyOf(key));
          c.backordered += quantity;
          if (row) row.waiting += quantity;
          else {
            lines.set(keyOf(key), { ...key, waiting: quantity, queuedAt: at, firstPromisedAt: expectedAt });
            c.queueLines += 1;
          }
          ordered(key, quantity, at);
          break;
        }
        case 'StockUnavailable': {
          const { orderId, lineId, quantity, at } = event.data;
          ordered({ sku, orderId, lineId }, quantity, at);
          break;
        }
        case 'BackorderAllocated': {
          const { orderId, lineId, quantity, remaining, at } = event.data;
          c.reserved += quantity;
          c.backordered -= quantity;
          leaving({ sku, orderId, lineId }, quantity, remaining === 0 ? at : null);
          break;
        }
        case 'BackorderReleased': {
          const { orderId, lineId, quantity } = event.data;
          c.backordered -= quantity;
          leaving({ sku, orderId, lineId }, quantity, null);
          break;
        }
        case 'ReservationReleased':
          c.reserved -= event.data.quantity;
          break;
        case 'StockShipped':
          c.onHand -= event.data.quantity;
          c.reserved -= event.data.quantity;
          break;
        case 'StockAdjusted':
          c.onHand += event.data.delta;
          break;
        case 'PurchaseOrderRegistered': {
          const key = poKeyOf(sku, event.data.purchaseOrderId);
          c.incoming += event.data.quantity - (purchaseOrders.get(key) ?? 0);
          purchaseOrders.set(key, event.data.quantity);
          break;
        }
        case 'RestockReceived': {
          const { purchaseOrderId, quantity, remainingOnOrder } = event.data;
          c.onHand += quantity;
          // As the SKU folds it: a receipt against an open purchase order sets what stays open on it (0 closes it).
          if (purchaseOrderId === null || remainingOnOrder === null) break;
          const key = poKeyOf(sku, purchaseOrderId);
          const open = purchaseOrders.get(key);
          if (open === undefined || open === null) break;
          c.incoming += remainingOnOrder - open;
          purchaseOrders.set(key, remainingOnOrder > 0 ? remainingOnOrder : null);
          break;
        }
        case 'SkuConfigured':
        case 'BackorderEtaChanged':
        case 'ReplenishmentRequested':
        case 'ReplenishmentUnplanned':
        case 'BackInStock':
        case 'PurchaseOrderEtaChanged':
        case 'SkuReleased':
          break;
        default:
          ignoreUnknown(event);
      }
    }
    await this.write(tx, counters, lines, purchaseOrders, demand, fills);
  }

  private async loadLines(tx: Tx, page: readonly { sku: string; event: SkuEvent }[]): Promise<Map<string, QueueLineRow | null>> {
    const keys = new Map<string, LineKey>();
    for (const { sku, event } of page) {
      if (event.type === 'BackorderQueued' || event.type === 'BackorderAllocated' || event.type === 'BackorderReleased') {
        const key = { sku, orderId: event.data.orderId, lineId: event.data.lineId };
        keys.set(keyOf(key), key);
      }
    }
    const lines = new Map<string, QueueLineRow | null>();
    if (keys.size === 0) return lines;
    const wanted = [...keys.values()];
    const { rows } = await tx.query<{ sku: string; order_id: string; line_id: string; waiting: string; queued_at: Date; first_promised_at: Date | null }>({
      name: 'planning_lines_load',
      text: `SELECT l.sku, l.order_id, l.line_id, l.waiting, l.queued_at, l.first_promised_at
             FROM unnest($1::text[], $2::text[], $3::text[]) AS k (sku, order_id, line_id)
             JOIN planning_queue_lines l USING (sku, order_id, line_id)`,
      values: columnsOf(wanted, 'sku', 'orderId', 'lineId'),
    });
    for (const row of rows) {
      const line: QueueLineRow = {
        sku: row.sku,
        orderId: row.order_id,
        lineId: row.line_id,
        waiting: Number(row.waiting),
        queuedAt: row.queued_at.toISOString(),
        firstPromisedAt: row.first_promised_at?.toISOString() ?? null,
      };
      lines.set(keyOf(line), line);
    }
    return lines;
  }

  private async loadPurchaseOrders(tx: Tx, page: readonly { sku: string; event: SkuEvent }[]): Promise<Map<string, number | null>> {
    const keys = new Map<string, { sku: string; purchaseOrderId: string }>();
    for (const { sku, event } of page) {
      const purchaseOrderId =
        event.type === 'PurchaseOrderRegistered' || event.type === 'RestockReceived' ? event.data.purchaseOrderId : null;
      if (purchaseOrderId !== null) keys.set(poKeyOf(sku, purchaseOrderId), { sku, purchaseOrderId });
    }
    const open = new Map<string, number | null>();
    if (keys.size === 0) return open;
    const wanted = [...keys.values()];
    const { rows } = await tx.query<{ sku: string; purchase_order_id: string; open_quantity: string }>({
      name: 'planning_purchase_orders_load',
      text: `SELECT p.sku, p.purchase_order_id, p.open_quantity
             FROM unnest($1::text[], $2::text[]) AS k (sku, purchase_order_id)
             JOIN planning_purchase_orders p USING (sku, purchase_order_id)`,
      values: columnsOf(wanted, 'sku', 'purchaseOrderId'),
    });
    for (const row of rows) open.set(poKeyOf(row.sku, row.purchase_order_id), Number(row.open_quantity));
    return open;
  }

  private async write(
    tx: Tx,
    counters: ReadonlyMap<string, Counters>,
    lines: ReadonlyMap<string, QueueLineRow | null>,
    purchaseOrders: ReadonlyMap<string, number | null>,
    demand: ReadonlyMap<string, LineKey & { quantity: number; answeredAt: string }>,
    fills: ReadonlyMap<string, LineKey & { filledAt: string; promisedAt: string | null }>,
  ): Promise<void> {
    const skus = [...counters.keys()];
    const deltas = [...counters.values()];
    await tx.query({
      name: 'planning_skus_add',
      text: `INSERT INTO planning_skus (sku, on_hand, reserved, backordered, queue_lines, incoming)
             SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[], $5::int[], $6::bigint[])
             ON CONFLICT (sku) DO UPDATE SET
               on_hand = planning_skus.on_hand + EXCLUDED.on_hand,
               reserved = planning_skus.reserved + EXCLUDED.reserved,
               backordered = planning_skus.backordered + EXCLUDED.backordered,
               queue_lines = planning_skus.queue_lines + EXCLUDED.queue_lines,
               incoming = planning_skus.incoming + EXCLUDED.incoming`,
      values: [skus, ...columnsOf(deltas, 'onHand', 'reserved', 'backordered', 'queueLines', 'incoming')],
    });

    const gone = [...lines.entries()].filter(([, row]) => row === null).map(([key]) => JSON.parse(key) as [string, string, string]);
    if (gone.length > 0) {
      await tx.query({
        name: 'planning_lines_delete',
        text: `DELETE FROM planning_queue_lines l USING unnest($1::text[], $2::text[], $3::text[]) AS k (sku, order_id, line_id)
               WHERE l.sku = k.sku AND l.order_id = k.order_id AND l.line_id = k.line_id`,
        values: columnsOf(gone, 0, 1, 2),
      });
    }
    const kept = [...lines.values()].filter((row): row is QueueLineRow => row !== null);
    if (kept.length > 0) {
      await tx.query({
        name: 'planning_lines_upsert',
        text: `INSERT INTO planning_queue_lines (sku, order_id, line_id, waiting, queued_at, first_promised_at)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[], $6::timestamptz[])
               ON CONFLICT (sku, order_id, line_id) DO UPDATE SET waiting = EXCLUDED.waiting`,
        values: columnsOf(kept, 'sku', 'orderId', 'lineId', 'waiting', 'queuedAt', 'firstPromisedAt'),
      });
    }

    if (purchaseOrders.size > 0) {
      const entries = [...purchaseOrders.entries()].map(([key, open]) => [...(JSON.parse(key) as [string, string]), open] as const);
      await tx.query({
        name: 'planning_purchase_orders_save',
        text: `WITH given AS (SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[]) AS g (sku, purchase_order_id, open_quantity)),
                    closed AS (DELETE FROM planning_purchase_orders p USING given g
                               WHERE p.sku = g.sku AND p.purchase_order_id = g.purchase_order_id AND g.open_quantity IS NULL)
               INSERT INTO planning_purchase_orders (sku, purchase_order_id, open_quantity)
               SELECT * FROM given WHERE open_quantity IS NOT NULL
               ON CONFLICT (sku, purchase_order_id) DO UPDATE SET open_quantity = EXCLUDED.open_quantity`,
        values: columnsOf(entries, 0, 1, 2),
      });
    }

    if (demand.size > 0) {
      const rows = [...demand.values()];
      // A line's answer can straddle two pages: the quantities add up, the earlier time stays.
      await tx.query({
        name: 'planning_demand_add',
        text: `INSERT INTO planning_demand (sku, order_id, line_id, quantity, answered_at)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::timestamptz[])
               ON CONFLICT (sku, order_id, line_id) DO UPDATE SET
                 quantity = planning_demand.quantity + EXCLUDED.quantity,
                 answered_at = LEAST(planning_demand.answered_at, EXCLUDED.answered_at)`,
        values: columnsOf(rows, 'sku', 'orderId', 'lineId', 'quantity', 'answeredAt'),
      });
    }

    if (fills.size > 0) {
      const rows = [...fills.values()];
      await tx.query({
        name: 'planning_fills_save',
        text: `INSERT INTO planning_fills (sku, order_id, line_id, filled_at, promised_at)
               SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[])
               ON CONFLICT (sku, order_id, line_id) DO UPDATE SET filled_at = EXCLUDED.filled_at, promised_at = EXCLUDED.promised_at`,
        values: columnsOf(rows, 'sku', 'orderId', 'lineId', 'filledAt', 'promisedAt'),
      });
    }
  }
}

// A SKU event type newer than this code changes none of the figures it knows; the decode step already refused types
// the aggregate does not know.
const ignoreUnknown = (_event: never): void => undefined;

/** Empties every planning table (in the rebuild's transaction, with the checkpoint's rewind). */
export async function resetPlanning(tx: Tx): Promise<void> {
  // DELETE rather than TRUNCATE: readers keep reading (the old rows) until the rebuild's first transaction commits.
  for (const table of ['planning_fills', 'planning_demand', 'planning_purchase_orders', 'planning_queue_lines', 'planning_skus']) {
    await tx.query(`DELETE FROM ${table}`);
  }
}

export interface PlanningProjectionOptions {
  readonly logger: Logger;
  /** How often a caught-up runner looks for new events (default 500 ms). */
  readonly pollIntervalMs?: number;
  /** Events per transaction (default 500). */
  readonly pageSize?: number;
  /** How often demand and fills older than the windows are pruned (default hourly). */
  readonly pruneIntervalMs?: number;
}

/**
 * The planning read models kept up to date by a `ProjectionRunner` loop on the global log, not in the SKU pipeline's
 * transaction: the reads are for planning, a fraction of a second behind the writes, and a rebuild runs exactly the
 * code that built them live (each page once, under the checkpoint's row lock, even with the live loop running on
 * every instance). The SKU pipeline's hot path pays nothing for them.
 */
export class PlanningProjection implements OnApplicationBootstrap, OnModuleDestroy {
  readonly name = PLANNING_PROJECTION;
  private readonly runner: ProjectionRunner;
  private pruneTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly options: PlanningProjectionOptions,
  ) {
    this.runner = new ProjectionRunner(store, new PlanningReadModel(), {
      logger: options.logger,
      pollIntervalMs: options.pollIntervalMs ?? 500,
      pageSize: options.pageSize ?? 500,
    });
  }

  onApplicationBootstrap(): void {
    this.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.stop();
  }

  /** Keeps the read models up to date in the background (every instance may: pages are taken one at a time). */
  start(): void {
    this.runner.start();
    this.pruneTimer ??= setInterval(() => {
      this.prune().catch((error: unknown) => this.options.logger.warn({ err: error }, 'planning prune failed; retried at the next pass'));
    }, this.options.pruneIntervalMs ?? 3_600_000);
    this.pruneTimer.unref();
  }

  async stop(): Promise<void> {
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    this.pruneTimer = undefined;
    await this.runner.stop();
  }

  /**
   * Empties the planning read models and replays every SKU event into them, reporting progress after each page
   * (`processed` of `total` events). The live loop may keep running meanwhile. What `POST /admin/projections/planning/
   * rebuild` calls.
   */
  rebuild(onProgress?: (progress: ProjectionProgress) => void): Promise<ProjectionProgress> {
    return this.runner.rebuild(resetPlanning, onProgress);
  }

  /** Applies every event not applied yet, and returns when caught up (tests, or a rebuild's caller waiting for it). */
  catchUp(onProgress?: (progress: ProjectionProgress) => void): Promise<ProjectionProgress> {
    return this.runner.catchUp(onProgress);
  }

  /** Forgets demand and fills older than the longest window: they no longer change any figure. */
  async prune(now = new Date()): Promise<number> {
    const before = new Date(now.getTime() - PLANNING_RETENTION_DAYS * DAY_MS).toISOString();
    return this.store.transaction(async (tx) => {
      const demand = await tx.query('DELETE FROM planning_demand WHERE answered_at < $1', [before]);
      const fills = await tx.query('DELETE FROM planning_fills WHERE filled_at < $1', [before]);
      return (demand.rowCount ?? 0) + (fills.rowCount ?? 0);
    });
  }
}
