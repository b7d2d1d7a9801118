import { NOTIFICATION_KINDS } from '@fulfillment/kernel';
import { z } from 'zod';
import { identifier, sku } from './fields.js';
import { defineMessage } from './message.js';
import { TOPICS } from './topics.js';
import { EXAMPLE_ORDER_ID } from './examples.js';

export { NOTIFICATION_KINDS };
export const notificationKindSchema = z.enum(NOTIFICATION_KINDS);
export type NotificationKind = z.infer<typeof notificationKindSchema>;

export const NOTIFICATION_CHANNELS = ['email', 'webhook', 'in-app'] as const;
export const notificationChannelSchema = z.enum(NOTIFICATION_CHANNELS);
export type NotificationChannel = z.infer<typeof notificationChannelSchema>;

export const CustomerNotified = defineMessage({
  type: 'CustomerNotified',
  kind: 'event',
  topic: TOPICS.notificationEvents,
  description:
    'A customer was notified on one channel. `orderId` is null for a notification about no order, `sku` is null ' +
    'for one about a whole order (order-confirmed, order-cancelled, shipped).',
  schema: z.object({
    notificationId: identifier,
    customerId: identifier,
    orderId: identifier.nullable(),
    sku: sku.nullable(),
    kind: notificationKindSchema,
    channel: notificationChannelSchema,
    message: z.string().min(1).max(4000),
  }),
  key: (data) => data.customerId,
  example: {
    notificationId: '9b1f4c3e-2a7d-4d8e-8f60-31c5a9e2b7d4',
    customerId: 'cust-4821',
    orderId: EXAMPLE_ORDER_ID,
    sku: 'SKU-MUG-350-BLUE',
    kind: 'backordered',
    channel: 'email',
    message: '2 x SKU-MUG-350-BLUE are on backorder; we expect them on 4 December 2026.',
  },
});

export const notificationEventContracts = [CustomerNotified] as const;
