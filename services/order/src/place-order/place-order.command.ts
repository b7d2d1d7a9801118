import type { IsoInstant, PlaceOrder } from '@fulfillment/order-domain';
import type { PlaceOrderRequest } from './place-order.request.js';

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
      now,
    },
  };
}
