import { createHash } from 'node:crypto';

// A fixed namespace (RFC 4122 v5) for order ids derived from PlaceOrder envelope ids; never change it, or a
// redelivered command would place a second order.
const NAMESPACE = Buffer.from('6f1d2c9a4b7e4e0f9a3c5d8e7b6a1f20', 'hex');

/**
 * The order id a PlaceOrder command without one gets: a name-based UUID (v5) of its envelope id, so every delivery
 * of the same command names the same order.
 */
export function orderIdFromCommandId(envelopeId: string): string {
  const hash = createHash('sha1').update(NAMESPACE).update(envelopeId, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
