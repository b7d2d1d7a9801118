import { nameBasedId } from '@fulfillment/kernel';

/**
 * Fixed namespace of this project's notification ids. Changing it would give every redelivered event new ids and
 * defeat the store's de-duplication, so it is a constant, never configuration.
 */
export const NOTIFICATION_ID_NAMESPACE = '3f1c9f0e-5b7a-4c2e-9d41-8a6b2e0c7d15';

export interface NotificationIdParts {
  readonly sourceEventId: string;
  readonly customerId: string;
  readonly kind: string;
  readonly channel: string;
}

/**
 * The id of one notification, derived only from what identifies it, so a redelivered event yields the same ids and the
 * store can drop the copies.
 */
export function notificationIdOf(parts: NotificationIdParts): string {
  return nameBasedId(NOTIFICATION_ID_NAMESPACE, parts.sourceEventId, parts.customerId, parts.kind, parts.channel);
}
