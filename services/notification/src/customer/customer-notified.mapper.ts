import { createEnvelope, encodeEnvelope } from '@fulfillment/contracts';
import type { Cause as StoredCause, OutboxMessage } from '@fulfillment/eventstore';
import type { Notification } from '@fulfillment/notification-domain';

/** The contract caps `message` so one record stays small; the full text stays in the notifications table. */
export const MAX_PUBLISHED_MESSAGE_LENGTH = 4000;

/** What caused a notification: the consumed envelope, whose flow the published event continues. */
export interface Cause {
  readonly eventId: string;
  readonly correlationId: string;
}

export function clipMessage(message: string, max = MAX_PUBLISHED_MESSAGE_LENGTH): string {
  if (message.length <= max) return message;
  return `${message.slice(0, max - 1)}…`;
}

/**
 * `CustomerNotified` for one notification, as an outbox row for `topic` (the deployment's notification.events). The
 * envelope id is the notification id, so a notification decided twice is published with the same id. The address an
 * email went to is personal data and is never part of it.
 */
export function toCustomerNotified(notification: Notification, cause: Cause, notifiedAt: Date, topic: string): OutboxMessage {
  const envelope = createEnvelope(
    'CustomerNotified',
    {
      notificationId: notification.notificationId,
      customerId: notification.customerId,
      orderId: notification.orderId,
      sku: notification.sku,
      kind: notification.kind,
      channel: notification.channel,
      message: clipMessage(notification.message),
    },
    {
      source: 'notification',
      id: notification.notificationId,
      correlationId: cause.correlationId,
      causationId: cause.eventId,
      time: notifiedAt.toISOString(),
    },
  );
  return { topic, key: envelope.subject, value: encodeEnvelope(envelope) };
}

/** The cause of a pipeline decision in this mapper's terms: the consumed event and its flow. */
export const causeOfDecision = (cause: StoredCause): Cause => ({ eventId: cause.causationId ?? '', correlationId: cause.correlationId });
