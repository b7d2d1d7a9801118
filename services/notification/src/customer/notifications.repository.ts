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
    // change, and changes at the same instant, in order. The rows as JSON documents (json_to_recordset), not one array per column: node-postgres builds an array parameter
    // by escaping every element, which for thousands of message bodies cost more than the statement.
    await tx.query(
      `WITH stored AS (
         INSERT INTO notifications
           (notification_id, customer_id, order_id, sku, kind, channel, subject, message, source_event_id, occurred_at)
         SELECT n.id, n.customer_id, n.order_id, n.sku, n.kind, n.channel, n.subject, n.message, n.source_event_id, n.occurred_at
         FROM ROWS FROM (json_to_recordset($1::json) AS (id text, customer_id text, order_id text, sku text, kind text,
                channel text, subject text, message text, source_event_id text, occurred_at timestamptz))
              WITH ORDINALITY AS n(id, customer_id, order_id, sku, kind, channel, subject, message, source_event_id, occurred_at, ord)
         ORDER BY n.ord
         ON CONFLICT (notification_id) DO NOTHING
         RETURNING notification_id
       )
       INSERT INTO deliveries (notification_id, channel, status, last_error)
       SELECT d.id, d.channel, d.status, d.error
       FROM json_to_recordset($2::json) AS d(id text, channel text, status text, error text)
       JOIN stored ON stored.notification_id = d.id`,
      [
        JSON.stringify(
          notifications.map((n) => ({
            id: n.notificationId,
            customer_id: n.customerId,
            order_id: n.orderId,
            sku: n.sku,
            kind: n.kind,
            channel: n.channel,
            subject: n.subject,
            message: n.message,
            source_event_id: n.sourceEventId,
            occurred_at: n.occurredAt,
          })),
        ),
        JSON.stringify(deliveries),
      ],
    );
  }
}
