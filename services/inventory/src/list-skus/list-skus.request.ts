import { z } from 'zod';
import { strictQuery } from '../planning/strict-query.js';

const LIMIT = 'must be an integer from 1 to 500';

/** `GET /skus` query; an unknown parameter is refused by name rather than ignored (a misspelt filter would list all). */
export const listSkusQuery = strictQuery({
  backordered: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((value) => value === 'true')
    .optional()
    .describe('true: only SKUs with units waiting; false: only SKUs without'),
  sort: z
    .enum(['sku', 'demand'], { error: 'must be sku or demand' })
    .default('sku')
    .describe('sku (default, byte order) or demand (units ordered in 30 days, then 7 days, most first)'),
  limit: z.coerce.number({ error: LIMIT }).int(LIMIT).min(1, LIMIT).max(500, LIMIT).default(100).describe('rows per page, 1-500 (default 100)'),
  cursor: z.string().min(1, 'must not be empty').max(2000, 'is not a cursor this listing issued').optional().describe('nextCursor of the page before'),
});

export type ListSkusQuery = z.output<typeof listSkusQuery>;
