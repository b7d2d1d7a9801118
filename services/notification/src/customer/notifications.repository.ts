import { Injectable } from '@nestjs/common';
import type { Tx } from '@fulfillment/eventstore';
import type { Notification } from '@fulfillment/notification-domain';

/** How an email notification starts out: sent by the worker, or recorded as skipped when no SMTP server is set. */
export type EmailDeliveryPlan = { readonly status: 'pending' } | { readonly status: 'skipped'; readonly reason: string };

interface DeliveryRow {
  readonly id: string;
  readonly channel: 'email' | 'webhook';
  readonly status: 'pending' | 'skipped';
  readonly error: string | null;
}

/**
 * Notifications and their delivery rows, written in the consumer's transaction. The ids are name-based, so a
 * notification decided again (a redelivery the inbox did not catch) is dropped here rather than stored twice.
 */
@Injectable()
export class NotificationsRepository {
  async record(tx: Tx, notifications: readonly Notification[], email: EmailDeliveryPlan): Promise<void> {
    if (notifications.length === 0) return;
    const deliveries = notifications.flatMap((n): DeliveryRow[] => {
      if (n.channel === 'webhook') return [{ id: n.notificationId, channel: n.channel, status: 'pending', error: null }];
      if (n.channel === 'email') {
        return [{ id: n.notificationId, channel: n.channel, status: email.status, error: email.status === 'skipped' ? email.reason : null }];
      }
      return []; // in-app notifications are delivered by being listed
    });
    // One statement for both tables. Notifications are inserted in decision order, so `seq` keeps the channels of one
    // change, and changes at the same instant, in order.
    await tx.query(
      `WITH stored AS (
         INSERT INTO notifications
           (notification_id, customer_id, order_id, sku, kind, channel, subject, message, source_event_id, occurred_at)
         SELECT n.id, n.customer_id, n.order_id, n.sku, n.kind, n.channel, n.subject, n.message, n.source_event_id, n.occurred_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                     $9::text[], $10::timestamptz[])
              WITH ORDINALITY AS n(id, customer_id, order_id, sku, kind, channel, subject, message, source_event_id, occurred_at, ord)
         ORDER BY n.ord
         ON CONFLICT (notification_id) DO NOTHING
         RETURNING notification_id
       )
       INSERT INTO deliveries (notification_id, channel, status, last_error)
       SELECT d.id, d.channel, d.status, d.error
       FROM unnest($11::text[], $12::text[], $13::text[], $14::text[]) AS d(id, channel, status, error)
       JOIN stored ON stored.notification_id = d.id`,
      [
        notifications.map((n) => n.notificationId),
        notifications.map((n) => n.customerId),
        notifications.map((n) => n.orderId),
        notifications.map((n) => n.sku),
        notifications.map((n) => n.kind),
        notifications.map((n) => n.channel),
        notifications.map((n) => n.subject),
        notifications.map((n) => n.message),
        notifications.map((n) => n.sourceEventId),
        notifications.map((n) => n.occurredAt),
        deliveries.map((d) => d.id),
        deliveries.map((d) => d.channel),
        deliveries.map((d) => d.status),
        deliveries.map((d) => d.error),
      ],
    );
  }
}
