import { Gauge, type Registry } from 'prom-client';
import type { Logger } from 'pino';

/** One value of a gauge and its labels (none for a gauge without labels). */
export interface GaugeSample<L extends string> {
  readonly labels?: Partial<Record<L, string | number>>;
  readonly value: number;
}

export interface ScrapeGaugeOptions<L extends string> {
  name: string;
  help: string;
  labelNames?: readonly L[];
  /** The gauge's values now; a label set not among them disappears from the gauge. */
  read: () => Promise<readonly GaugeSample<L>[]>;
  logger: Logger;
}

/**
 * A gauge computed at scrape time (prom-client's `collect`). A failed read (the database down) keeps the values of
 * the last good scrape and is logged, so /metrics still answers with everything else.
 */
export function scrapeGauge<L extends string>(registry: Registry, options: ScrapeGaugeOptions<L>): Gauge<L> {
  const { name, read, logger } = options;
  return new Gauge<L>({
    name,
    help: options.help,
    labelNames: options.labelNames ?? [],
    registers: [registry],
    async collect() {
      let samples: readonly GaugeSample<L>[];
      try {
        samples = await read();
      } catch (error) {
        logger.warn({ err: error, metric: name }, 'metric not refreshed; its last values are kept');
        return;
      }
      this.reset();
      for (const { labels, value } of samples) this.set(labels ?? {}, value);
    },
  });
}

/**
 * `fn` shared by the calls of one scrape (and any within `ttlMs` of it): several gauges fed by one query run it once.
 */
export function sharedPerScrape<T>(fn: () => Promise<T>, ttlMs = 1000): () => Promise<T> {
  let last: { at: number; result: Promise<T> } | undefined;
  return () => {
    const now = Date.now();
    if (last === undefined || now - last.at > ttlMs) {
      const result = fn();
      const entry = { at: now, result };
      last = entry;
      // A failed read is not kept: the next scrape tries again.
      result.catch(() => {
        if (last === entry) last = undefined;
      });
    }
    return last.result;
  };
}
