import { z } from 'zod';

// The service's own settings, validated by the platform with the base ones: a bad value stops the service with one
// line naming it (exit 78).

const SWEEP_INTERVAL = 'must be an integer number of milliseconds from 100 to 86400000 (a day)';

export const inventoryConfigShape = {
  /** How often the expiry sweep looks for SKUs whose lines expire or whose preorders are released (SPEC 10). */
  EXPIRY_SWEEP_INTERVAL_MS: z.coerce
    .number({ error: SWEEP_INTERVAL })
    .int(SWEEP_INTERVAL)
    .min(100, SWEEP_INTERVAL)
    .max(86_400_000, SWEEP_INTERVAL)
    .default(60_000),
  /** SKUs named in `backorder_queue_units{sku}` / `backorder_queue_lines{sku}`, the most units first; the rest is `sku="_other"`. */
  METRICS_QUEUE_TOP_SKUS: z.coerce.number().int().min(0).max(1000).default(10),
};

export type InventoryExtraConfig = z.infer<z.ZodObject<typeof inventoryConfigShape>>;
