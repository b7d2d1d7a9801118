import { z } from 'zod';
import { skuField } from '../purchase-order/request-fields.js';

const STATUSES = ['open', 'received', 'closed'] as const;

export const listPurchaseOrdersQuery = z.object({
  sku: skuField.optional(),
  status: z.enum(STATUSES, { error: `must be one of ${STATUSES.join(', ')}` }).optional(),
  limit: z.coerce
    .number({ error: 'must be an integer from 1 to 500' })
    .int('must be an integer from 1 to 500')
    .min(1, 'must be an integer from 1 to 500')
    .max(500, 'must be an integer from 1 to 500')
    .default(100),
});

export type ListPurchaseOrdersQuery = z.output<typeof listPurchaseOrdersQuery>;
