import { z } from 'zod';
import { skuParamSchema } from '../sku/sku.param.js';

const count = (max: number) =>
  z.int('must be an integer').min(0, 'must be an integer >= 0').max(max, `must be at most ${max}`);

// Beyond ten years a promised date says nothing; the bound also keeps date arithmetic finite.
const TEN_YEARS_DAYS = 3650;
const DAY_MS = 86_400_000;

/**
 * `releaseAt`: an instant with its zone (a bare date would leave the hour of the release to the server's zone). Past
 * instants are accepted (the SKU is released at the next sweep); more than ten years ahead is a typo.
 */
const releaseAt = z
  .iso.datetime({ offset: true, error: 'must be an ISO-8601 date-time with a time zone, or null' })
  .transform((value) => new Date(value).toISOString())
  .refine((instant) => Date.parse(instant) - Date.now() <= TEN_YEARS_DAYS * DAY_MS, `must be within ${TEN_YEARS_DAYS} days from now`)
  .meta({ description: 'ISO-8601 date-time with a time zone, e.g. 2026-12-24T09:00:00Z', example: '2026-12-24T09:00:00Z' });

/** `PUT /skus/:sku`: the whole configuration; a field left out takes its default (docs/domain-rules.md). */
export const configureSkuRequest = z.strictObject({
  backorderable: z.boolean('must be true or false').optional(),
  leadTimeDays: count(TEN_YEARS_DAYS).nullable().optional(),
  reorderPoint: count(1_000_000_000).optional(),
  safetyStock: count(1_000_000_000).optional(),
  substitutes: z.array(skuParamSchema).max(50, 'at most 50 substitutes').optional(),
  maxBackorder: count(1_000_000_000)
    .nullable()
    .optional()
    .describe('units that may wait in the queue at once; the part of a line beyond it is unavailable. null: no cap'),
  maxWaitDays: count(TEN_YEARS_DAYS)
    .nullable()
    .optional()
    .describe('a line whose promised date would be more than this many days after the order (or unknown) is not queued. null: any known date'),
  autoCancelAfterDays: count(TEN_YEARS_DAYS)
    .nullable()
    .optional()
    .describe('a line still waiting this many days after it was queued is released (reason expired) by the expiry sweep; 0 expires it at the next sweep. null: never'),
  releaseAt: releaseAt
    .nullable()
    .optional()
    .describe('preorder SKU: until the first sweep at or after this instant every unit ordered is queued (preorder: true), even with stock on hand. null: no preorder'),
});

export type ConfigureSkuRequest = z.infer<typeof configureSkuRequest>;
