import type { DueDelivery } from './deliveries.repository.js';
import type { ChannelSender } from './channel-sender.js';
import { webhookHeaders, webhookKey } from './webhook-signature.js';

export interface WebhookSenderOptions {
  readonly url: string;
  readonly secret: string;
  readonly timeoutMs: number;
}

/** What the endpoint receives; the customer's email address is never part of it. */
export function webhookBody(delivery: DueDelivery): string {
  return JSON.stringify({
    id: delivery.notificationId,
    type: 'CustomerNotified',
    customerId: delivery.customerId,
    orderId: delivery.orderId,
    sku: delivery.sku,
    kind: delivery.kind,
    subject: delivery.subject,
    message: delivery.message,
    occurredAt: delivery.occurredAt,
  });
}

export class WebhookHttpError extends Error {
  override readonly name = 'WebhookHttpError';

  constructor(readonly status: number) {
    super(`webhook endpoint answered HTTP ${status}`);
  }
}

/**
 * POSTs the notification as JSON, signed the Standard Webhooks way with WEBHOOK_SECRET (`webhook-id`,
 * `webhook-timestamp`, `webhook-signature`). The id is the notification id and stays the same across retries, so the
 * receiver can drop a copy; each attempt carries its own timestamp and signature. Any 2xx counts as delivered.
 */
export class WebhookSender implements ChannelSender {
  readonly channel = 'webhook' as const;
  private readonly key: Buffer;

  constructor(private readonly options: WebhookSenderOptions) {
    this.key = webhookKey(options.secret);
  }

  async send(delivery: DueDelivery): Promise<void> {
    const body = webhookBody(delivery);
    const response = await fetch(this.options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'fulfillment-notification-service',
        ...webhookHeaders(this.key, delivery.notificationId, body),
        'x-webhook-attempt': String(delivery.attempt),
      },
      body,
      redirect: 'error',
      signal: AbortSignal.timeout(this.options.timeoutMs),
    });
    // The body is not needed; reading it frees the connection.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new WebhookHttpError(response.status);
  }
}
