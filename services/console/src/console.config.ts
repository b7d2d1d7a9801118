import { httpAppConfigSchema, httpBaseUrl, parseSettings, type HttpAppConfig } from '@fulfillment/platform';
import { z } from 'zod';

/** The four services the console reads, in the order the pages list them. */
export const UPSTREAMS = ['order', 'inventory', 'supplier', 'notification'] as const;
export type Upstream = (typeof UPSTREAMS)[number];

export const CONSOLE_PORT = 3000;
const UPSTREAM_PORTS: Record<Upstream, number> = { order: 3001, inventory: 3002, supplier: 3003, notification: 3004 };

const positiveInt = (fallback: number, max: number) => z.coerce.number().int().min(1).max(max).default(fallback);

const consoleSchema = httpAppConfigSchema.extend({
  ORDER_URL: httpBaseUrl.default(`http://127.0.0.1:${UPSTREAM_PORTS.order}`),
  INVENTORY_URL: httpBaseUrl.default(`http://127.0.0.1:${UPSTREAM_PORTS.inventory}`),
  SUPPLIER_URL: httpBaseUrl.default(`http://127.0.0.1:${UPSTREAM_PORTS.supplier}`),
  NOTIFICATION_URL: httpBaseUrl.default(`http://127.0.0.1:${UPSTREAM_PORTS.notification}`),
  /** How long the console waits for a service before it tells the operator that service does not answer. */
  UPSTREAM_TIMEOUT_MS: positiveInt(10_000, 120_000),
  /** The board is sampled for the queue-depth chart at most this often (each read of the board through the console). */
  BOARD_SAMPLE_INTERVAL_MS: positiveInt(5_000, 3_600_000),
  /** Samples kept in memory for the chart; the oldest go first. */
  BOARD_SAMPLES_KEPT: positiveInt(720, 100_000),
});

export interface ConsoleConfig extends HttpAppConfig {
  upstreams: Record<Upstream, string>;
  upstreamTimeoutMs: number;
  board: { sampleIntervalMs: number; samplesKept: number };
}

/** Reads and validates the console's settings; a bad one is a ConfigError naming it (the console exits 78). */
export function loadConsoleConfig(env: NodeJS.ProcessEnv = process.env): ConsoleConfig {
  const c = parseSettings('console', consoleSchema, env);
  return {
    port: c.PORT ?? CONSOLE_PORT,
    logLevel: c.LOG_LEVEL,
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    upstreams: { order: c.ORDER_URL, inventory: c.INVENTORY_URL, supplier: c.SUPPLIER_URL, notification: c.NOTIFICATION_URL },
    upstreamTimeoutMs: c.UPSTREAM_TIMEOUT_MS,
    board: { sampleIntervalMs: c.BOARD_SAMPLE_INTERVAL_MS, samplesKept: c.BOARD_SAMPLES_KEPT },
  };
}
