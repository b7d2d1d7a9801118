import { createHash } from 'node:crypto';

// Fixed namespace of this service's name-based ids, so the same name always yields the same id here and an id made
// elsewhere from the same name does not collide with it.
const NAMESPACE = Buffer.from('5f1d7c2a8e4b4c3d9a6b0e2f7c1d4a8b', 'hex');

/**
 * A name-based (RFC 9562 version 5) UUID. Ids derived from an incoming message id are the same on every
 * redelivery, so whatever the message causes is recognisable downstream even if it were ever produced twice.
 */
export function derivedId(name: string): string {
  const bytes = createHash('sha1').update(NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
