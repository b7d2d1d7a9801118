import type { Queryable } from '@fulfillment/eventstore';
import type { SkuCursor, SkuSort } from './planning.cursor.js';

const DAY_MS = 86_400_000;

/** A SKU as `GET /skus` lists it. */
export interface SkuPlanningRow {
  sku: string;
  onHand: number;
  reserved: number;
  available: number;
  backordered: number;
  queueLines: number;
  oldestQueuedAt: string | null;
  incoming: number;
  demand7d: number;
  demand30d: number;
}

/** A SKU with something queued, as `GET /reports/backorders` shows it. */
export interface BackorderReportRow extends SkuPlanningRow {
  coveredByIncoming: number;
  uncovered: number;
  promiseKeptRatio: number | null;
}

export interface SkuListing {
  readonly backordered: boolean | null;
  readonly sort: SkuSort;
  readonly limit: number;
  readonly asOf: string;
  readonly after: SkuCursor | null;
}

interface Row {
  sku: string;
  on_hand: string;
  reserved: string;
  backordered: string;
  queue_lines: number;
  incoming: string;
  demand7d: string;
  demand30d: string;
  oldest_queued_at: Date | null;
  promised?: string;
  kept?: string;
}

// The figures of every SKU at `asOf` ($1): demand = units ordered by lines first answered in the window (7 days: $2,
// 30 days: $3), fills of the last 30 days. A SKU's oldest waiting line is looked up for the rows returned only.
const FIGURES = `
  demand AS (
    SELECT sku,
           SUM(quantity) FILTER (WHERE answered_at > $2::timestamptz) AS demand7d,
           SUM(quantity) AS demand30d
    FROM planning_demand
    WHERE answered_at > $3::timestamptz AND answered_at <= $1::timestamptz
    GROUP BY sku),
  figures AS (
    SELECT s.sku, s.on_hand, s.reserved, s.backordered, s.queue_lines, s.incoming,
           COALESCE(d.demand7d, 0) AS demand7d, COALESCE(d.demand30d, 0) AS demand30d
    FROM planning_skus s LEFT JOIN demand d ON d.sku = s.sku)`;

// Of the lines filled in the window (after `since`, up to `end`: parameter references): those promised a date, and
// those filled on or before that day (UTC calendar days). Per SKU for the report, over all SKUs for the metric.
const promisesKept = (end: string, since: string) => `
  count(*) FILTER (WHERE promised_at IS NOT NULL) AS promised,
  count(*) FILTER (WHERE (filled_at AT TIME ZONE 'UTC')::date <= (promised_at AT TIME ZONE 'UTC')::date) AS kept
  FROM planning_fills
  WHERE filled_at > ${since}::timestamptz AND filled_at <= ${end}::timestamptz`;

const keptRatio = (promised: number, kept: number): number | null => (promised === 0 ? null : kept / promised);

/** What waits in the backorder queues, for `/metrics`: the SKUs with the most units waiting, and the rest together. */
export interface QueueTotals {
  /** the `top` SKUs by units waiting (ties by SKU), most first */
  readonly skus: readonly { readonly sku: string; readonly units: number; readonly lines: number }[];
  /** every other SKU with something waiting, summed */
  readonly others: { readonly units: number; readonly lines: number };
}

const OLDEST = `(SELECT min(q.queued_at) FROM planning_queue_lines q WHERE q.sku = f.sku) AS oldest_queued_at`;

// `c` is the cursor: the last row's SKU and its 30- and 7-day demand.
const ORDER: Record<SkuSort, { by: string; after: string }> = {
  sku: { by: 'f.sku', after: 'f.sku > c.sku' },
  demand: {
    by: 'f.demand30d DESC, f.demand7d DESC, f.sku',
    after: '(f.demand30d < c.d30 OR (f.demand30d = c.d30 AND (f.demand7d < c.d7 OR (f.demand7d = c.d7 AND f.sku > c.sku))))',
  },
};

const windows = (asOf: string) => {
  const end = Date.parse(asOf);
  return [asOf, new Date(end - 7 * DAY_MS).toISOString(), new Date(end - 30 * DAY_MS).toISOString()];
};

const toRow = (row: Row): SkuPlanningRow => {
  const onHand = Number(row.on_hand);
  const reserved = Number(row.reserved);
  return {
    sku: row.sku,
    onHand,
    reserved,
    available: Math.max(0, onHand - reserved),
    backordered: Number(row.backordered),
    queueLines: row.queue_lines,
    oldestQueuedAt: row.oldest_queued_at?.toISOString() ?? null,
    incoming: Number(row.incoming),
    demand7d: Number(row.demand7d),
    demand30d: Number(row.demand30d),
  };
};

/** The planning reads, from the tables the `planning` projection keeps. */
export class PlanningQueries {
  constructor(private readonly db: Queryable) {}

  /** One page of the listing, and whether there is more (one row beyond the page is read to know). */
  async listSkus(listing: SkuListing): Promise<{ rows: SkuPlanningRow[]; more: boolean }> {
    const order = ORDER[listing.sort];
    const { after } = listing;
    const { rows } = await this.db.query<Row>({
      name: `planning_list_skus_${listing.sort}`,
      text: `WITH ${FIGURES},
               c AS (SELECT $5::text AS sku, $6::bigint AS d30, $7::bigint AS d7)
             SELECT f.*, ${OLDEST}
             FROM figures f, c
             WHERE ($4::boolean IS NULL OR (f.backordered > 0) = $4)
               AND (c.sku IS NULL OR ${order.after})
             ORDER BY ${order.by}
             LIMIT $8::int`,
      values: [...windows(listing.asOf), listing.backordered, after?.sku ?? null, after?.demand30d ?? 0, after?.demand7d ?? 0, listing.limit + 1],
    });
    return { rows: rows.slice(0, listing.limit).map(toRow), more: rows.length > listing.limit };
  }

  /**
   * Every SKU with something queued, the longest wait first: the listing's figures plus coverage by open purchase
   * orders and the share of promises kept. `coveredByIncoming` is the part of the queue open purchase orders cover;
   * `uncovered` what neither they nor stock held for a release cover (what still needs a purchase order). Of the lines
   * filled in the 30 days before `asOf`, `promiseKeptRatio` is the share filled on or before the date first promised
   * to them, by UTC calendar day: a customer is promised a day (lead-time dates are the start of one), and a preorder
   * promised for its release is filled by the first sweep after it, the same day. Lines queued without a date do not
   * count; null when none was filled.
   */
  async backorderReport(asOf: string): Promise<BackorderReportRow[]> {
    const { rows } = await this.db.query<Row>({
      name: 'planning_backorder_report',
      text: `WITH ${FIGURES},
               fills AS (SELECT sku, ${promisesKept('$1', '$3')} GROUP BY sku)
             SELECT f.*, ${OLDEST}, COALESCE(x.promised, 0) AS promised, COALESCE(x.kept, 0) AS kept
             FROM figures f LEFT JOIN fills x ON x.sku = f.sku
             WHERE f.backordered > 0
             ORDER BY oldest_queued_at NULLS LAST, f.sku`,
      values: windows(asOf),
    });
    return rows.map((row) => {
      const figures = toRow(row);
      const promised = Number(row.promised);
      return {
        ...figures,
        coveredByIncoming: Math.min(figures.backordered, figures.incoming),
        uncovered: Math.max(0, figures.backordered - figures.available - figures.incoming),
        promiseKeptRatio: keptRatio(promised, Number(row.kept)),
      };
    });
  }

  /** The report's `promiseKeptRatio` over every SKU: of the lines filled in the 30 days before `asOf`, the share kept. */
  async promiseKeptRatio(asOf: string): Promise<number | null> {
    const [end, , monthAgo] = windows(asOf);
    const { rows } = await this.db.query<{ promised: string; kept: string }>({
      name: 'planning_promise_kept',
      text: `SELECT ${promisesKept('$1', '$2')}`,
      values: [end, monthAgo],
    });
    return keptRatio(Number(rows[0]?.promised ?? 0), Number(rows[0]?.kept ?? 0));
  }

  /** Units and lines waiting: the `top` SKUs by units, and all others summed (bounded for a metric's label set). */
  async queueTotals(top: number): Promise<QueueTotals> {
    const { rows } = await this.db.query<{ sku: string | null; units: string; lines: string }>({
      name: 'planning_queue_totals',
      text: `WITH waiting AS (
               SELECT sku, backordered AS units, queue_lines AS lines,
                      row_number() OVER (ORDER BY backordered DESC, queue_lines DESC, sku) AS rank
               FROM planning_skus WHERE backordered > 0 OR queue_lines > 0)
             SELECT CASE WHEN rank <= $1::int THEN sku END AS sku, sum(units) AS units, sum(lines) AS lines, min(rank) AS rank
             FROM waiting GROUP BY 1 ORDER BY min(rank)`,
      values: [top],
    });
    const skus = rows.filter((row) => row.sku !== null).map((row) => ({ sku: row.sku!, units: Number(row.units), lines: Number(row.lines) }));
    const rest = rows.find((row) => row.sku === null);
    return { skus, others: { units: Number(rest?.units ?? 0), lines: Number(rest?.lines ?? 0) } };
  }

  /** Seconds the oldest line still waiting has waited at `asOf`; 0 when nothing waits. */
  async oldestWaitSeconds(asOf: string): Promise<number> {
    const { rows } = await this.db.query<{ oldest: Date | null }>({
      name: 'planning_oldest_wait',
      text: 'SELECT min(queued_at) AS oldest FROM planning_queue_lines',
    });
    const oldest = rows[0]?.oldest;
    return oldest ? Math.max(0, (Date.parse(asOf) - oldest.getTime()) / 1000) : 0;
  }
}
