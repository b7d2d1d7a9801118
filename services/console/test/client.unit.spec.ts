// The browser code's pure parts (no DOM): the chart's geometry and the formatting of waits and times.
import { describe, expect, it } from '@jest/globals';
import { chartLayout } from '../src/client/chart.js';
import { age, percent, when } from '../src/client/format.js';

const box = { width: 200, height: 120, padding: { left: 20, right: 20, top: 10, bottom: 10 } };

describe('chartLayout', () => {
  it('places samples by their time, not their index, with the highest value at the top', () => {
    const layout = chartLayout(
      [
        { at: '2026-12-01T10:00:00.000Z', value: 0 },
        { at: '2026-12-01T10:00:10.000Z', value: 4 },
        { at: '2026-12-01T10:00:40.000Z', value: 2 },
      ],
      box,
    );
    expect(layout.yMax).toBe(4);
    expect(layout.dots.map((d) => [d.x, d.y])).toEqual([
      [20, 110],
      [60, 10],
      [180, 60],
    ]);
    expect(layout.line).toBe('20,110 60,10 180,60');
    expect([layout.from, layout.to]).toEqual(['2026-12-01T10:00:00.000Z', '2026-12-01T10:00:40.000Z']);
  });

  it('puts a single sample in the middle and never divides by a zero maximum', () => {
    const layout = chartLayout([{ at: '2026-12-01T10:00:00.000Z', value: 0 }], box);
    expect(layout).toMatchObject({ yMax: 1, line: '100,110' });
    expect(chartLayout([], box)).toMatchObject({ line: '', dots: [], from: null, to: null });
  });
});

describe('format', () => {
  it('says a wait as people do', () => {
    expect([age(0), age(59), age(60), age(3600), age(3 * 3600 + 5 * 60), age(2 * 86400 + 4 * 3600), age(86400), age(null)]).toEqual([
      '0 s',
      '59 s',
      '1 min',
      '1 h',
      '3 h 5 min',
      '2 d 4 h',
      '1 d',
      '—',
    ]);
  });

  it('shows instants in UTC to the minute and shares as percentages', () => {
    expect(when('2026-12-01T10:05:59.000Z')).toBe('2026-12-01 10:05 UTC');
    expect(when(null)).toBe('—');
    expect(percent(0.666)).toBe('67 %');
    expect(percent(null)).toBe('—');
  });
});
