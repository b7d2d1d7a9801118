import { z } from 'zod';
import { MAX_LINES, MAX_QUANTITY } from '../place-order/place-order.request.js';

/** A missing field reads "is required"; a present one gets the rule it broke. */
const unlessMissing = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message),
});

const text = (max: number) =>
  z
    .string(unlessMissing('must be a string'))
    .max(max, `must have at most ${max} characters`)
    .refine((value) => value.trim().length > 0, 'must not be blank');

const shipmentLine = z.strictObject(
  {
    lineId: text(200),
    quantity: z
      .int(unlessMissing('must be a positive integer'))
      .positive('must be a positive integer')
      .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`),
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
