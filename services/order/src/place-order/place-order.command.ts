import { createHash } from 'node:crypto';
import type { IsoInstant, PlaceOrder } from '@fulfillment/order-domain';
import { placeOrderRequestSchema, type PlaceOrderRequest } from './place-order.request.js';

/** Line ids are `<orderId>-1`, `<orderId>-2`, ... in request order: unique across orders, stable across replays. */
export const lineIdOf = (orderId: string, index: number): string => `${orderId}-${index + 1}`;

export function placeOrderCommand(orderId: string, request: PlaceOrderRequest, now: IsoInstant): PlaceOrder {
  return {
    type: 'PlaceOrder',
    data: {
      orderId,
      customerId: request.customerId,
      email: request.email ?? null,
      lines: request.lines.map(({ sku, quantity }, index) => ({ lineId: lineIdOf(orderId, index), sku, quantity })),
      ...(request.shipping === undefined ? {} : { shipping: request.shipping }),
      now,
    },
  };
}

/**
 * The fingerprint the release before the shared Idempotency-Key mechanism recorded for `POST /orders` (the validated
 * request in a fixed field order), so a key it recorded still matches a retry of the same request. That release knew
 * no shipping policy: a request without one fingerprints as it did, one with a policy never matches its keys.
 */
export function legacyPlaceOrderFingerprint(body: unknown): string {
  const parsed = placeOrderRequestSchema.safeParse(body);
  if (!parsed.success) return '';
  const request = parsed.data;
  const fields: unknown[] = [request.customerId, request.email ?? null, request.lines.map(({ sku, quantity }) => [sku, quantity])];
  if (request.shipping !== undefined) fields.push(request.shipping);
  const canonical = JSON.stringify(fields);
  return createHash('sha256').update(canonical).digest('hex');
}
