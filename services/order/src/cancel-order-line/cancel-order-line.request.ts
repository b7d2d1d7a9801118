import { z } from 'zod';
import { cancelReason } from '../cancel-order/cancel-order.request.js';
import { MAX_QUANTITY } from '../place-order/place-order.request.js';

/** `POST /orders/:orderId/lines/:lineId/cancel` body (optional); a `CancelOrderLine` command is held to the same rules. */
export const cancelOrderLineRequestSchema = z
  .strictObject(
    {
      quantity: z
        .int({ error: 'must be a positive integer' })
        .positive('must be a positive integer')
        .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`)
        .optional(),
      reason: cancelReason,
    },
    { error: 'must be a JSON object' },
  )
  // Cancelling every unit left needs no body at all.
  .optional()
  .transform((body) => body ?? {});

export type CancelOrderLineRequest = z.infer<typeof cancelOrderLineRequestSchema>;
