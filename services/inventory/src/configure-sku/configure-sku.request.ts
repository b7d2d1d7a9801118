import { z } from 'zod';
import { skuParamSchema } from '../sku/sku.param.js';

const count = (max: number) =>
  z.int('must be an integer').min(0, 'must be an integer >= 0').max(max, `must be at most ${max}`);

/** `PUT /skus/:sku`: the whole configuration; a field left out takes its default (docs/domain-rules.md). */
export const configureSkuRequest = z.strictObject({
  backorderable: z.boolean('must be true or false').optional(),
  // Beyond ten years a promised date says nothing; the bound also keeps date arithmetic finite.
  leadTimeDays: count(3650).nullable().optional(),
  reorderPoint: count(1_000_000_000).optional(),
  safetyStock: count(1_000_000_000).optional(),
  substitutes: z.array(skuParamSchema).max(50, 'at most 50 substitutes').optional(),
});

export type ConfigureSkuRequest = z.infer<typeof configureSkuRequest>;
