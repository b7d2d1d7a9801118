import { chartLayout, type ChartPoint } from './chart.js';
import { h, svg } from './dom.js';
import { exactly, when } from './format.js';

import type { History } from './console-api.js';

export type { History };

const interval = (ms: number) => (ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

const BOX = { width: 640, height: 170, padding: { left: 44, right: 16, top: 12, bottom: 28 } };

/** Units waiting over time, as a line with a dot per sample (hover shows the value), and how it was sampled. */
export function depthChart(id: string, title: string, history: History): HTMLElement {
  const points: ChartPoint[] = history.points.map((p) => ({ at: p.at, value: p.units }));
  const how = h(
    'p',
    { class: 'note' },
    `Sampled by this console each time the board is read through it (at most every ${interval(history.sampleIntervalMs)}; ` +
      `the board page re-reads every 10 s while open). The last ${history.samplesKept} samples are kept in the console's memory: ` +
      'a console restart starts the chart afresh. Inventory keeps no queue history itself.',
  );
  if (points.length === 0) return h('figure', { id, class: 'chart' }, h('figcaption', {}, title), h('p', { class: 'empty' }, 'No samples yet.'), how);
  const layout = chartLayout(points, BOX);
  // Samples within the hour are told apart by their seconds.
  const spanMs = Date.parse(layout.to!) - Date.parse(layout.from!);
  const stamp = spanMs < 3_600_000 ? exactly : when;
  const { width, height, padding } = BOX;
  const bottom = height - padding.bottom;
  const chart = svg(
    'svg',
    { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': `${title}: ${points.length} samples, latest ${points.at(-1)!.value} units` },
    svg('line', { x1: padding.left, y1: bottom, x2: width - padding.right, y2: bottom, class: 'axis' }),
    svg('line', { x1: padding.left, y1: padding.top, x2: padding.left, y2: bottom, class: 'axis' }),
    svg('text', { x: padding.left - 6, y: padding.top + 4, 'text-anchor': 'end', class: 'tick' }, String(layout.yMax)),
    svg('text', { x: padding.left - 6, y: bottom, 'text-anchor': 'end', class: 'tick' }, '0'),
    svg('text', { x: padding.left, y: height - 8, class: 'tick' }, stamp(layout.from!)),
    svg('text', { x: width - padding.right, y: height - 8, 'text-anchor': 'end', class: 'tick' }, stamp(layout.to!)),
    svg('polyline', { points: layout.line, class: 'series' }),
    ...layout.dots.map((d) => svg('circle', { cx: d.x, cy: d.y, r: 3, class: 'dot' }, svg('title', {}, `${d.label} units waiting`))),
  );
  return h('figure', { id, class: 'chart', 'data-samples': points.length }, h('figcaption', {}, title), chart, how);
}
