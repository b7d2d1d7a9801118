import type { Queryable } from '@fulfillment/eventstore';
import { customerStreamId } from '../customer/customer.aggregate.js';

export interface NotificationView {
  readonly notificationId: string;
  readonly kind: string;
  readonly orderId: string;
  readonly sku: string | null;
  readonly channel: string;
  readonly message: string;
  readonly createdAt: string;
}

interface NotificationRow {
  notification_id: string;
  kind: string;
  order_id: string;
  sku: string | null;
  channel: string;
  message: string;
  created_at: Date;
}

export class ListNotificationsRepository {
  constructor(private readonly db: Queryable) {}

  /** The customer's notifications in the order the changes happened (then in the order they were decided). */
  async ofCustomer(customerId: string): Promise<NotificationView[]> {
    const { rows } = await this.db.query<NotificationRow>(
      `SELECT notification_id, kind, order_id, sku, channel, message, created_at
       FROM notifications WHERE customer_id = $1
       ORDER BY occurred_at, seq`,
      [customerId],
    );
    return rows.map((row) => ({
      notificationId: row.notification_id,
      kind: row.kind,
      orderId: row.order_id,
      sku: row.sku,
      channel: row.channel,
      message: row.message,
      createdAt: row.created_at.toISOString(),
    }));
  }

  /** Whether the service has heard of this customer at all: an order of theirs, or facts about them. */
  async customerIsKnown(customerId: string): Promise<boolean> {
    const { rows } = await this.db.query<{ known: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM es_streams WHERE stream_id = $1)
           OR EXISTS (SELECT 1 FROM known_orders WHERE customer_id = $2) AS known`,
      [customerStreamId(customerId), customerId],
    );
    return rows[0]?.known === true;
  }
}
