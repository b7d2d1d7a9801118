import { describe, expect, it } from '@jest/globals';
import { boardOf, type BackorderReportRow } from './board.rows.js';
import { QueueDepthSeries } from './queue-depth.series.js';

const row = (sku: string, over: Partial<BackorderReportRow> = {}): BackorderReportRow => ({
  sku,
  onHand: 0,
  available: 0,
  backordered: 5,
  queueLines: 2,
  oldestQueuedAt: '2026-12-01T10:00:00.000Z',
  incoming: 3,
  demand7d: 5,
  coveredByIncoming: 3,
  uncovered: 2,
  promiseKeptRatio: null,
  ...over,
});

describe('boardOf', () => {
  it("makes a row per SKU of inventory's report, in its order, with the oldest wait as an age and the coverage as a share", () => {
    const board = boardOf({
      asOf: '2026-12-01T12:30:00.000Z',
      skus: [row('SKU-A'), row('SKU-B', { backordered: 4, queueLines: 1, incoming: 10, coveredByIncoming: 4, uncovered: 0, oldestQueuedAt: '2026-12-01T12:29:15.000Z' })],
    });
    expect(board.rows.map((r) => [r.sku, r.queueLines, r.units, r.oldestWaitSeconds, r.covered, r.uncovered, r.coverage])).toEqual([
      ['SKU-A', 2, 5, 9000, 3, 2, 0.6],
      ['SKU-B', 1, 4, 45, 4, 0, 1],
    ]);
    expect(board.totals).toEqual({ skus: 2, queueLines: 3, units: 9, uncovered: 2 });
  });

  it('shows no age for a queue without a known time, and an empty board as such', () => {
    expect(boardOf({ asOf: '2026-12-01T12:30:00.000Z', skus: [row('SKU-A', { oldestQueuedAt: null })] }).rows[0]!.oldestWaitSeconds).toBeNull();
    expect(boardOf({ asOf: '2026-12-01T12:30:00.000Z', skus: [] })).toEqual({ asOf: '2026-12-01T12:30:00.000Z', rows: [], totals: { skus: 0, queueLines: 0, units: 0, uncovered: 0 } });
  });
});

describe('QueueDepthSeries', () => {
  const at = (seconds: number) => new Date(Date.UTC(2026, 11, 1, 10, 0, seconds));
  const depth = (sku: string, units: number, queueLines = 1) => ({ sku, units, queueLines });

  it('takes a sample at most once per interval, and keeps the last ones only', () => {
    const series = new QueueDepthSeries({ sampleIntervalMs: 5_000, samplesKept: 3 });
    expect(series.record(at(0), [depth('A', 2)])).toBe(true);
    expect(series.record(at(4), [depth('A', 9)])).toBe(false);
    expect(series.record(at(5), [depth('A', 3), depth('B', 4, 2)])).toBe(true);
    expect(series.record(at(10), [depth('B', 1)])).toBe(true);
    expect(series.record(at(15), [])).toBe(true);
    expect(series.totals()).toEqual([
      { at: at(5).toISOString(), units: 7, lines: 3 },
      { at: at(10).toISOString(), units: 1, lines: 1 },
      { at: at(15).toISOString(), units: 0, lines: 0 },
    ]);
    // A SKU absent from a sample had nothing waiting then.
    expect(series.ofSku('A').map((p) => p.units)).toEqual([3, 0, 0]);
  });

  it('leaves a point out for a SKU a cut sample did not keep, rather than showing it as 0', () => {
    const series = new QueueDepthSeries({ sampleIntervalMs: 1, samplesKept: 10, skusPerSample: 1 });
    series.record(at(0), [depth('A', 1), depth('B', 5)]);
    series.record(at(1), [depth('A', 7), depth('B', 5)]);
    expect(series.totals().map((p) => p.units)).toEqual([6, 12]);
    expect(series.ofSku('B').map((p) => p.units)).toEqual([5]);
    expect(series.ofSku('A').map((p) => p.units)).toEqual([7]);
  });
});
