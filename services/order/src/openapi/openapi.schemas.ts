import { orderLineViewSchema, orderStatusSchema } from '@fulfillment/contracts';
import { z } from 'zod';

export const orderViewSchema = z.object({
  orderId: z.string(),
  customerId: z.string(),
  status: orderStatusSchema,
  lines: z.array(orderLineViewSchema),
});

export const acceptedOrderSchema = z.object({ orderId: z.string(), status: orderStatusSchema });

export const historyEntrySchema = z.object({
  version: z.int().describe('1-based position in the order history'),
  id: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  correlationId: z.string().nullable(),
  causationId: z.string().nullable().describe('the message that caused the event; null for an HTTP request'),
  data: z.record(z.string(), z.unknown()),
});
