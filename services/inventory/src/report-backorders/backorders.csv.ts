import type { BackorderReportRow } from '../planning/planning.queries.js';

export const BACKORDER_REPORT_COLUMNS = [
  'sku',
  'onHand',
  'reserved',
  'available',
  'backordered',
  'queueLines',
  'oldestQueuedAt',
  'incoming',
  'demand7d',
  'demand30d',
  'coveredByIncoming',
  'uncovered',
  'promiseKeptRatio',
] as const satisfies readonly (keyof BackorderReportRow)[];

/**
 * RFC 4180 CSV: CRLF line ends, fields with a comma, quote or line break quoted. A SKU comes from order lines and may
 * start with a character spreadsheets read as a formula (`=`, `+`, `-`, `@`): such a cell is prefixed with `'` so
 * opening the report never runs anything. null is an empty cell.
 */
export function backordersCsv(rows: readonly BackorderReportRow[]): string {
  const lines = [BACKORDER_REPORT_COLUMNS.join(',')];
  for (const row of rows) lines.push(BACKORDER_REPORT_COLUMNS.map((column) => cell(row[column], column === 'sku')).join(','));
  return `${lines.join('\r\n')}\r\n`;
}

function cell(value: string | number | null, text: boolean): string {
  if (value === null) return '';
  let out = String(value);
  if (text && /^[=+\-@\t\r]/.test(out)) out = `'${out}`;
  return /[",\r\n]/.test(out) ? `"${out.replace(/"/g, '""')}"` : out;
}
