import type { CancelOrder, IsoInstant } from '@fulfillment/order-domain';

export const cancelOrderCommand = (orderId: string, reason: string, now: IsoInstant): CancelOrder => ({
  type: 'CancelOrder',
  data: { orderId, reason, now },
});
