import { SHIPPING_POLICIES } from '@fulfillment/contracts';
import { z } from 'zod';

export const MAX_LINES = 100;
export const MAX_QUANTITY = 1_000_000;

/** A missing field reads "is required"; a present one gets the rule it broke. Never quotes the input (emails). */
export const unlessMissing = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : message),
});

export const text = (max: number) =>
  z
    .string(unlessMissing('must be a string'))
    .max(max, `must have at most ${max} characters`)
    .refine((value) => value.trim().length > 0, 'must not be blank');

/** Units of a line, in an order or a shipment. */
export const lineQuantity = z
  .int(unlessMissing('must be a positive integer'))
  .positive('must be a positive integer')
  .max(MAX_QUANTITY, `must be at most ${MAX_QUANTITY}`);

const line = z.strictObject(
  {
    sku: text(100),
    quantity: lineQuantity,
  },
  unlessMissing('must be an object {sku, quantity}'),
);

/**
 * `POST /orders` body; the same rules apply to a `PlaceOrder` command from Kafka. `shipping` defaults to `as-available`
 * (the order domain's default).
 */
export const placeOrderRequestSchema = z.strictObject(
  {
    customerId: text(200),
    email: z.email(unlessMissing('must be an email address')).max(254, 'must have at most 254 characters').optional(),
    lines: z
      .array(line, unlessMissing('must be an array of {sku, quantity}'))
      .min(1, 'must have at least one line')
      .max(MAX_LINES, `must have at most ${MAX_LINES} lines`),
    shipping: z.enum(SHIPPING_POLICIES, { error: `must be one of ${SHIPPING_POLICIES.join(', ')}` }).optional(),
  },
  unlessMissing('must be a JSON object'),
);

export type PlaceOrderRequest = z.infer<typeof placeOrderRequestSchema>;
