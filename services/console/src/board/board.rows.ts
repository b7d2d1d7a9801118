import type { Board, BoardRow } from '../client/console-api.js';

export type { Board, BoardRow };

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
