import { z } from 'zod';

/** Recorded on `OrderCancelled` when the caller gives no reason. */
export const DEFAULT_CANCEL_REASON = 'customer-request';

/** Why a customer cancels an order or a line: optional, recorded on the event. */
export const cancelReason = z
  .string({ error: 'must be a string' })
  .max(1000, 'must have at most 1000 characters')
  .refine((value) => value.trim().length > 0, 'must not be blank')
  .optional();

export const cancelOrderRequestSchema = z
  .strictObject(
    {
      reason: cancelReason,
    },
    { error: 'must be a JSON object' },
  )
  // A cancellation needs no body at all.
  .optional()
  .transform((body) => body ?? {});

export type CancelOrderRequest = z.infer<typeof cancelOrderRequestSchema>;
