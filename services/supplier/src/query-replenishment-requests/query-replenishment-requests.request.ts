import { z } from 'zod';
import { skuField } from '../purchase-order/request-fields.js';

const STATUSES = ['open', 'answered'] as const;
const LIMIT = 'must be an integer from 1 to 500';

export const listReplenishmentRequestsQuery = z.object({
  status: z.enum(STATUSES, { error: `must be one of ${STATUSES.join(', ')}` }).optional(),
  sku: skuField.optional(),
  limit: z.coerce.number({ error: LIMIT }).int(LIMIT).min(1, LIMIT).max(500, LIMIT).default(100),
});

export type ListReplenishmentRequestsQuery = z.output<typeof listReplenishmentRequestsQuery>;
