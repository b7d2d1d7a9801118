import { z } from 'zod';

/** Recorded on `OrderCancelled` when the caller gives no reason. */
export const DEFAULT_CANCEL_REASON = 'customer-request';

export const cancelOrderRequestSchema = z
  .strictObject(
    {
      reason: z
        .string({ error: 'must be a string' })
        .max(1000, 'must have at most 1000 characters')
        .refine((value) => value.trim().length > 0, 'must not be blank')
        .optional(),
    },
    { error: 'must be a JSON object' },
  )
  // A cancellation needs no body at all.
  .optional()
  .transform((body) => body ?? {});

export type CancelOrderRequest = z.infer<typeof cancelOrderRequestSchema>;
