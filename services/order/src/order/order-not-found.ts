import { isDomainError } from '@fulfillment/kernel';
import { HttpFieldError } from '@fulfillment/platform';

/**
 * For `.catch()` on routes under `/orders/:orderId`: an order that was never placed is a 404 in the route's words. A
 * line the order does not have (`line-not-found`) stays the domain's own 404, which names the line.
 */
export function orderNotFound(orderId: string): (error: unknown) => never {
  return (error) => {
    if (isDomainError(error) && error.code === 'order-not-found') throw new HttpFieldError(404, undefined, `order ${orderId} not found`);
    throw error;
  };
}
