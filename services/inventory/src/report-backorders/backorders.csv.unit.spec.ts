import { describe, expect, it } from '@jest/globals';
import type { BackorderReportRow } from '../planning/planning.queries.js';
import { backordersCsv } from './backorders.csv.js';

const row = (sku: string, promiseKeptRatio: number | null = 0.5): BackorderReportRow => ({
  sku,
  onHand: 2,
  reserved: 2,
  available: 0,
  backordered: 5,
  queueLines: 2,
  oldestQueuedAt: '2026-12-01T10:00:00.000Z',
  incoming: 3,
  demand7d: 4,
  demand30d: 9,
  coveredByIncoming: 3,
  uncovered: 2,
  promiseKeptRatio,
});

describe('the backorder report as CSV', () => {
  it('has a header row naming the JSON fields, then one row per SKU, CRLF-terminated', () => {
    expect(backordersCsv([row('SKU-1'), row('SKU-2', null)])).toBe(
      'sku,onHand,reserved,available,backordered,queueLines,oldestQueuedAt,incoming,demand7d,demand30d,coveredByIncoming,uncovered,promiseKeptRatio\r\n' +
        'SKU-1,2,2,0,5,2,2026-12-01T10:00:00.000Z,3,4,9,3,2,0.5\r\n' +
        'SKU-2,2,2,0,5,2,2026-12-01T10:00:00.000Z,3,4,9,3,2,\r\n',
    );
  });

  it('is only the header row when nothing waits', () => {
    expect(backordersCsv([]).split('\r\n')).toHaveLength(2);
  });

  it('quotes SKUs with commas, quotes or line breaks, and defuses ones a spreadsheet would run as a formula', () => {
    const cells = (sku: string) => backordersCsv([row(sku)]).split('\r\n')[1]!.split(',2,2,0,')[0];
    expect(cells('A,B')).toBe('"A,B"');
    expect(cells('say "hi"')).toBe('"say ""hi"""');
    expect(cells('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(cells('-SKU')).toBe("'-SKU");
    expect(cells('@cmd')).toBe("'@cmd");
  });
});
