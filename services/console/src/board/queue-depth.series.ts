/** One point of the queue-depth chart. */
export interface DepthPoint {
  at: string;
  units: number;
  lines: number;
}

interface Sample {
  at: number;
  units: number;
  lines: number;
  bySku: Map<string, { units: number; lines: number }>;
  /** whether SKUs were left out of `bySku` (the sample had more than it keeps) */
  cut: boolean;
}

export interface SeriesLimits {
  /** a new sample is taken only this long after the last one */
  sampleIntervalMs: number;
  /** samples kept; the oldest go first */
  samplesKept: number;
  /** SKUs remembered per sample (the deepest queues); the board totals count every SKU */
  skusPerSample?: number;
}

/**
 * Queue depth over time, as the console saw it: inventory keeps no history of its queues, so the console samples the
 * board whenever it reads it (at most once per interval) and keeps a bounded series in memory. A console restart
 * starts it afresh; a SKU absent from a sample had nothing waiting then.
 */
export class QueueDepthSeries {
  private readonly samples: Sample[] = [];

  constructor(private readonly limits: SeriesLimits) {}

  /** Records the board's queues at `at`; false when the last sample is more recent than the interval. */
  record(at: Date, rows: readonly { sku: string; units: number; queueLines: number }[]): boolean {
    const time = at.getTime();
    const last = this.samples.at(-1);
    if (last !== undefined && time - last.at < this.limits.sampleIntervalMs) return false;
    const kept = [...rows].sort((a, b) => b.units - a.units || a.sku.localeCompare(b.sku)).slice(0, this.limits.skusPerSample ?? 1000);
    this.samples.push({
      at: time,
      units: rows.reduce((n, r) => n + r.units, 0),
      lines: rows.reduce((n, r) => n + r.queueLines, 0),
      bySku: new Map(kept.map((r) => [r.sku, { units: r.units, lines: r.queueLines }])),
      cut: kept.length < rows.length,
    });
    if (this.samples.length > this.limits.samplesKept) this.samples.splice(0, this.samples.length - this.limits.samplesKept);
    return true;
  }

  /** Every queue together, oldest sample first. */
  totals(): DepthPoint[] {
    return this.samples.map((s) => ({ at: new Date(s.at).toISOString(), units: s.units, lines: s.lines }));
  }

  /** One SKU's queue, oldest sample first: 0 where it had nothing waiting, no point where the sample left it out. */
  ofSku(sku: string): DepthPoint[] {
    return this.samples.flatMap((s) => {
      const depth = s.bySku.get(sku);
      if (depth === undefined && s.cut) return [];
      return [{ at: new Date(s.at).toISOString(), units: depth?.units ?? 0, lines: depth?.lines ?? 0 }];
    });
  }
}
