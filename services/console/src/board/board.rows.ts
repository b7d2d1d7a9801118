/** A SKU as inventory's `GET /reports/backorders` reports it (the fields the board shows). */
export interface BackorderReportRow {
  sku: string;
  onHand: number;
  available: number;
  backordered: number;
  queueLines: number;
  oldestQueuedAt: string | null;
  incoming: number;
  demand7d: number;
  coveredByIncoming: number;
  uncovered: number;
  promiseKeptRatio: number | null;
}

export interface BackorderReport {
  asOf: string;
  skus: BackorderReportRow[];
}

/** One row of the backorder board. */
export interface BoardRow {
  sku: string;
  /** lines waiting in the SKU's queue */
  queueLines: number;
  /** units those lines still wait for */
  units: number;
  oldestQueuedAt: string | null;
  /** how long the oldest line has waited at the report's time; null when inventory knows no queue time */
  oldestWaitSeconds: number | null;
  /** units of open purchase orders */
  incoming: number;
  /** waiting units open purchase orders cover */
  covered: number;
  /** waiting units nothing covers yet: they need a purchase order */
  uncovered: number;
  /** covered / units, 0..1 */
  coverage: number;
  onHand: number;
  demand7d: number;
  promiseKeptRatio: number | null;
}

export interface Board {
  asOf: string;
  rows: BoardRow[];
  totals: { skus: number; queueLines: number; units: number; uncovered: number };
}

/**
 * The board from inventory's report: one row per SKU with units waiting, in the report's order (the longest wait
 * first), with the oldest wait as an age and the coverage as a share.
 */
export function boardOf(report: BackorderReport): Board {
  const asOf = Date.parse(report.asOf);
  const rows = report.skus.map((r): BoardRow => {
    const queuedAt = r.oldestQueuedAt === null ? NaN : Date.parse(r.oldestQueuedAt);
    return {
      sku: r.sku,
      queueLines: r.queueLines,
      units: r.backordered,
      oldestQueuedAt: r.oldestQueuedAt,
      oldestWaitSeconds: Number.isNaN(queuedAt) || Number.isNaN(asOf) ? null : Math.max(0, Math.floor((asOf - queuedAt) / 1000)),
      incoming: r.incoming,
      covered: r.coveredByIncoming,
      uncovered: r.uncovered,
      coverage: r.backordered > 0 ? Math.min(1, r.coveredByIncoming / r.backordered) : 1,
      onHand: r.onHand,
      demand7d: r.demand7d,
      promiseKeptRatio: r.promiseKeptRatio,
    };
  });
  const sum = (pick: (row: BoardRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  return {
    asOf: report.asOf,
    rows,
    totals: { skus: rows.length, queueLines: sum((r) => r.queueLines), units: sum((r) => r.units), uncovered: sum((r) => r.uncovered) },
  };
}
