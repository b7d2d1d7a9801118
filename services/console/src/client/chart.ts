// The geometry of the queue-depth chart; the page draws it as inline SVG. No DOM here, so it is unit-tested under Node.

export interface ChartPoint {
  at: string;
  value: number;
}

export interface ChartBox {
  width: number;
  height: number;
  /** room for the axis labels */
  padding: { left: number; right: number; top: number; bottom: number };
}

export interface ChartLayout {
  /** the `points` attribute of the line */
  line: string;
  dots: { x: number; y: number; label: string }[];
  /** the value at the top of the y axis: the highest value, at least 1 */
  yMax: number;
  /** the times at either end of the x axis */
  from: string | null;
  to: string | null;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Points placed by their time (not their index: samples are taken when the board is read, not at a fixed rate) and
 * value; one point sits in the middle.
 */
export function chartLayout(points: readonly ChartPoint[], box: ChartBox): ChartLayout {
  const { width, height, padding } = box;
  const innerWidth = width - padding.left - padding.right;
  const innerHeight = height - padding.top - padding.bottom;
  const yMax = Math.max(1, ...points.map((p) => p.value));
  const times = points.map((p) => Date.parse(p.at));
  const first = Math.min(...times);
  const span = Math.max(...times) - first;
  const dots = points.map((p, i) => {
    const x = padding.left + (span > 0 ? ((times[i]! - first) / span) * innerWidth : innerWidth / 2);
    const y = padding.top + innerHeight - (p.value / yMax) * innerHeight;
    return { x: round(x), y: round(y), label: `${p.value} at ${p.at}` };
  });
  return {
    line: dots.map((d) => `${d.x},${d.y}`).join(' '),
    dots,
    yMax,
    from: points[0]?.at ?? null,
    to: points.at(-1)?.at ?? null,
  };
}
