import { api } from '../api.js';
import { depthChart } from '../depth-chart.js';
import { h, link, table } from '../dom.js';
import { age, percent, when } from '../format.js';
import type { BoardAnswer } from '../console-api.js';
import type { PageContext } from '../page.js';

type Board = BoardAnswer;

const REFRESH_MS = 10_000;

/** The backorder board: every SKU with waiting lines, the longest wait first. */
export async function boardPage(_params: string[], page: PageContext): Promise<Node> {
  const board = await api<Board>('GET', '/api/board');
  page.every(REFRESH_MS);
  const rows = board.rows.map((r) =>
    h(
      'tr',
      { 'data-sku': r.sku, class: r.uncovered > 0 ? 'uncovered' : null },
      h('td', {}, link(`/skus/${encodeURIComponent(r.sku)}`, r.sku)),
      h('td', { class: 'num', 'data-col': 'lines' }, r.queueLines),
      h('td', { class: 'num', 'data-col': 'units' }, r.units),
      h('td', { 'data-col': 'oldest' }, age(r.oldestWaitSeconds), h('small', {}, ` since ${when(r.oldestQueuedAt)}`)),
      h('td', { class: 'num', 'data-col': 'incoming' }, r.incoming),
      h('td', { class: 'num', 'data-col': 'covered' }, r.covered, h('small', {}, ` (${percent(r.coverage)})`)),
      h('td', { class: 'num', 'data-col': 'uncovered' }, r.uncovered),
      h('td', { class: 'num' }, r.onHand),
      h('td', { class: 'num' }, r.demand7d),
      h('td', { class: 'num' }, percent(r.promiseKeptRatio)),
    ),
  );
  const { totals } = board;
  return h(
    'section',
    { id: 'board' },
    h('h2', {}, 'Backorder board'),
    h(
      'p',
      { class: 'summary', id: 'board-totals' },
      `${totals.skus} SKU(s) with waiting lines: ${totals.queueLines} line(s), ${totals.units} unit(s) waiting, ${totals.uncovered} not covered by purchase orders. `,
      h('small', {}, `As of ${when(board.asOf)}; refreshes every ${REFRESH_MS / 1000} s.`),
    ),
    table(
      'board-table',
      ['SKU', 'Lines waiting', 'Units waiting', 'Oldest wait', 'Incoming (open POs)', 'Covered by POs', 'Uncovered', 'On hand', 'Demand 7 d', 'Promises kept'],
      rows,
      'No SKU has waiting lines.',
    ),
    depthChart('board-chart', 'Units waiting, all SKUs', board.history),
  );
}
