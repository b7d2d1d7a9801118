import { z } from 'zod';

const LIMIT = 1_000_000_000;

/** `POST /skus/:sku/adjustments`: a stock count correction, e.g. +12 "found in aisle 4" or -1 "damaged". */
export const adjustStockRequest = z.strictObject({
  delta: z
    .int('must be a non-zero integer')
    .refine((delta) => delta !== 0, 'must be a non-zero integer')
    .refine((delta) => Math.abs(delta) <= LIMIT, `must be between -${LIMIT} and ${LIMIT}`),
  reason: z.string('must be a string').trim().min(1, 'must not be empty').max(1000, 'must be at most 1000 characters'),
});

export type AdjustStockRequest = z.infer<typeof adjustStockRequest>;
