import { notificationChannelSchema, notificationKindSchema } from '@fulfillment/contracts';
import { z } from 'zod';

export const notificationViewSchema = z.object({
  notificationId: z.string(),
  kind: notificationKindSchema,
  orderId: z.string(),
  sku: z.string().nullable().describe('null for a notification about the whole order'),
  channel: notificationChannelSchema,
  message: z.string().describe('what the customer was told'),
  createdAt: z.string().describe('ISO-8601 instant'),
});
