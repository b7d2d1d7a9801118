import type { CancelOrderLine, IsoInstant } from '@fulfillment/order-domain';
import { DEFAULT_CANCEL_REASON } from '../cancel-order/cancel-order.request.js';
import type { CancelOrderLineRequest } from './cancel-order-line.request.js';

/** Without `quantity`, every unit of the line neither shipped, released nor unavailable. */
export const cancelOrderLineCommand = (orderId: string, lineId: string, request: CancelOrderLineRequest, now: IsoInstant): CancelOrderLine => ({
  type: 'CancelOrderLine',
  data: {
    orderId,
    lineId,
    ...(request.quantity === undefined ? {} : { quantity: request.quantity }),
    reason: request.reason ?? DEFAULT_CANCEL_REASON,
    now,
  },
});
