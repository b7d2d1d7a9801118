import { nameBasedId } from '@fulfillment/kernel';
import type { Cause } from '@fulfillment/eventstore';

// The namespace of this service's name-based ids; never change it, or a redelivered message would get new ids.
const NAMESPACE = '5f1d7c2a-8e4b-4c3d-9a6b-0e2f7c1d4a8b';

/** A name-based UUID of `name`: the same on every redelivery of what it is derived from. */
export const derivedId = (name: string): string => nameBasedId(NAMESPACE, name);

/** The purchase order answering a replenishment request is named after the request, so it is placed only once. */
export const replenishmentPurchaseOrderId = (requestId: string): string => derivedId(`replenishment/${requestId}`);

/** With an Idempotency-Key the purchase order is named after the key, so a retried request finds it. */
export const keyedPurchaseOrderId = (idempotencyKey: string): string => derivedId(`place-purchase-order/${idempotencyKey}`);

/** Events caused by a message get ids derived from it: a redelivery that got through would repeat them. */
export const messageEventIds =
  (envelope: { id: string }, streamId: string) =>
  (n: number): string =>
    derivedId(`${envelope.id}/${streamId}/${n}`);

export const messageCause = (envelope: { id: string; correlationid: string }): Cause => ({
  correlationId: envelope.correlationid,
  causationId: envelope.id,
});
