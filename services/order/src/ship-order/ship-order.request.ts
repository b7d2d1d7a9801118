import { z } from 'zod';
import { lineQuantity, MAX_LINES, text, unlessMissing } from '../place-order/place-order.request.js';

const shipmentLine = z.strictObject(
  {
    lineId: text(200),
    quantity: lineQuantity,
  },
  unlessMissing('must be an object {lineId, quantity}'),
);

/**
 * `POST /orders/:orderId/shipments` body; a `ShipOrder` command from Kafka (which must name its shipmentId) is held
 * to the same rules. Without `shipmentId` the service makes one up; `carrier` and `trackingId` are what the shipper
 * tells the customer.
 */
export const shipOrderRequestSchema = z.strictObject(
  {
    shipmentId: text(200).optional(),
    lines: z
      .array(shipmentLine, unlessMissing('must be an array of {lineId, quantity}'))
      .min(1, 'must have at least one line')
      .max(MAX_LINES, `must have at most ${MAX_LINES} lines`)
      .refine((lines) => new Set(lines.map((line) => line.lineId)).size === lines.length, 'must name each line once'),
    carrier: text(200).optional(),
    trackingId: text(200).optional(),
  },
  unlessMissing('must be a JSON object'),
);

export type ShipOrderRequest = z.infer<typeof shipOrderRequestSchema>;
