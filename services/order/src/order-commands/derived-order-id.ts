import { nameBasedId } from '@fulfillment/kernel';

// The namespace of order ids derived from PlaceOrder envelope ids; never change it, or a redelivered command would
// place a second order.
const NAMESPACE = '6f1d2c9a-4b7e-4e0f-9a3c-5d8e7b6a1f20';

/**
 * The order id a PlaceOrder command without one gets: a name-based UUID (v5) of its envelope id, so every delivery
 * of the same command names the same order.
 */
export function orderIdFromCommandId(envelopeId: string): string {
  return nameBasedId(NAMESPACE, envelopeId);
}
