import { scrapeGauge, sharedPerScrape } from '@fulfillment/platform';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { PlanningQueries } from './planning.queries.js';

/** The label of every SKU beyond the top ones, summed: the label set stays bounded however many SKUs wait. */
export const OTHER_SKUS = '_other';

/**
 * The backorder gauges of SPEC 13, read from the planning read models at scrape time (one query each; units and lines
 * share theirs): `backorder_queue_units{sku}` and `backorder_queue_lines{sku}` for the `topSkus` SKUs with the most
 * units waiting plus `sku="_other"` for all the others (so `sum()` is the total), `backorder_oldest_wait_seconds`,
 * and `promise_kept_ratio` (the backorder report's, over every SKU; NaN while no promised line was filled in 30 days).
 */
export function registerBackorderMetrics(registry: Registry, planning: PlanningQueries, topSkus: number, logger: Logger): void {
  const queue = sharedPerScrape(() => planning.queueTotals(topSkus));
  for (const [name, help, field] of [
    ['backorder_queue_units', 'Units waiting in backorder queues, for the SKUs with the most units and the rest as sku="_other"', 'units'],
    ['backorder_queue_lines', 'Order lines waiting in backorder queues, for the SKUs with the most units and the rest as sku="_other"', 'lines'],
  ] as const) {
    scrapeGauge(registry, {
      name,
      help,
      labelNames: ['sku'],
      logger,
      read: async () => {
        const { skus, others } = await queue();
        return [...skus.map((sku) => ({ labels: { sku: sku.sku }, value: sku[field] })), { labels: { sku: OTHER_SKUS }, value: others[field] }];
      },
    });
  }
  scrapeGauge(registry, {
    name: 'backorder_oldest_wait_seconds',
    help: 'How long the oldest order line still waiting in a backorder queue has waited (0 when none waits)',
    logger,
    read: async () => [{ value: await planning.oldestWaitSeconds(new Date().toISOString()) }],
  });
  scrapeGauge(registry, {
    name: 'promise_kept_ratio',
    help: 'Of the backordered lines filled in the last 30 days that were promised a date, the share filled by that date (NaN: none)',
    logger,
    read: async () => [{ value: (await planning.promiseKeptRatio(new Date().toISOString())) ?? Number.NaN }],
  });
}
