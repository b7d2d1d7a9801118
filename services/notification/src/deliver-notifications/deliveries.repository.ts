import type { Queryable } from '@fulfillment/eventstore';

export type DeliveryChannel = 'email' | 'webhook';

/** A delivery claimed for sending, with what the message says. `emailTo` is personal data: never log it. */
export interface DueDelivery {
  readonly notificationId: string;
  readonly channel: DeliveryChannel;
  /** Attempts including the one now being made. */
  readonly attempt: number;
  readonly customerId: string;
  readonly orderId: string;
  readonly sku: string | null;
  readonly kind: string;
  readonly subject: string;
  readonly message: string;
  readonly occurredAt: string;
  /** The customer's address on file when claimed; null once it was erased. */
  readonly emailTo: string | null;
}

interface DueRow {
  notification_id: string;
  channel: DeliveryChannel;
  attempts: number;
  customer_id: string;
  order_id: string;
  sku: string | null;
  kind: string;
  subject: string;
  message: string;
  occurred_at: Date;
  email: string | null;
}

export class DeliveriesRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Claims up to `limit` due deliveries of `channel`. The claim is a lease, not a held lock: the row's next attempt is
   * pushed `leaseMs` ahead in the same statement, so the send happens outside any transaction, and a worker that dies
   * mid-send only delays the delivery until the lease runs out. SKIP LOCKED lets replicas claim side by side.
   */
  async claimDue(channel: DeliveryChannel, limit: number, leaseMs: number): Promise<DueDelivery[]> {
    const { rows } = await this.db.query<DueRow>(
      `WITH due AS (
         SELECT notification_id FROM deliveries
         WHERE status = 'pending' AND channel = $1 AND next_attempt_at <= now()
         ORDER BY next_attempt_at
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       )
       UPDATE deliveries d
       SET attempts = d.attempts + 1, next_attempt_at = now() + $3 * interval '1 millisecond', updated_at = now()
       FROM due
       JOIN notifications n ON n.notification_id = due.notification_id
       LEFT JOIN customer_emails e ON e.customer_id = n.customer_id
       WHERE d.notification_id = due.notification_id
       RETURNING d.notification_id, d.channel, d.attempts, n.customer_id, n.order_id, n.sku, n.kind, n.subject, n.message,
                 n.occurred_at, e.email`,
      [channel, limit, leaseMs],
    );
    return rows.map((row) => ({
      notificationId: row.notification_id,
      channel: row.channel,
      attempt: row.attempts,
      customerId: row.customer_id,
      orderId: row.order_id,
      sku: row.sku,
      kind: row.kind,
      subject: row.subject,
      message: row.message,
      occurredAt: row.occurred_at.toISOString(),
      emailTo: row.email,
    }));
  }

  async markSent(notificationId: string): Promise<void> {
    await this.db.query(
      `UPDATE deliveries SET status = 'sent', sent_at = now(), last_error = NULL, updated_at = now() WHERE notification_id = $1`,
      [notificationId],
    );
  }

  async markSkipped(notificationId: string, reason: string): Promise<void> {
    await this.db.query(
      `UPDATE deliveries SET status = 'skipped', last_error = $2, updated_at = now() WHERE notification_id = $1`,
      [notificationId, reason],
    );
  }

  /** Records a failed attempt: due again after `retryInMs`, or `failed` for good when it is null. */
  async markAttemptFailed(notificationId: string, error: string, retryInMs: number | null): Promise<void> {
    await this.db.query(
      retryInMs === null
        ? `UPDATE deliveries SET status = 'failed', last_error = $2, updated_at = now() WHERE notification_id = $1`
        : `UPDATE deliveries SET last_error = $2, next_attempt_at = now() + $3 * interval '1 millisecond', updated_at = now()
           WHERE notification_id = $1`,
      retryInMs === null ? [notificationId, error] : [notificationId, error, retryInMs],
    );
  }
}
