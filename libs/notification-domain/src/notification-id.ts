import { createHash } from 'node:crypto';

/**
 * Fixed namespace of this project's notification ids. Changing it would give every redelivered event new ids and
 * defeat the store's de-duplication, so it is a constant, never configuration.
 */
export const NOTIFICATION_ID_NAMESPACE = '3f1c9f0e-5b7a-4c2e-9d41-8a6b2e0c7d15';

/** RFC 9562 version-5 (SHA-1, name-based) UUID: the same namespace and name always give the same id. */
export function uuidV5(name: string, namespace: string): string {
  const namespaceHex = namespace.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/i.test(namespaceHex)) {
    throw new RangeError(`uuidV5: namespace is not a UUID: ${namespace}`);
  }
  const digest = createHash('sha1')
    .update(Buffer.from(namespaceHex, 'hex'))
    .update(Buffer.from(name, 'utf8'))
    .digest();
  const bytes = digest.subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export interface NotificationIdParts {
  readonly sourceEventId: string;
  readonly customerId: string;
  readonly kind: string;
  readonly channel: string;
}

/**
 * The id of one notification, derived only from what identifies it, so a redelivered event yields the same ids and the
 * store can drop the copies. The parts are JSON-encoded rather than joined, so no separator inside an id can make two
 * different tuples collide.
 */
export function notificationIdOf(parts: NotificationIdParts): string {
  const name = JSON.stringify([parts.sourceEventId, parts.customerId, parts.kind, parts.channel]);
  return uuidV5(name, NOTIFICATION_ID_NAMESPACE);
}
