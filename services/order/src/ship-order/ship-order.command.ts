import type { IsoInstant, ShipOrder } from '@fulfillment/order-domain';
import type { ShipOrderRequest } from './ship-order.request.js';

export const shipOrderCommand = (
  orderId: string,
  shipmentId: string,
  request: Omit<ShipOrderRequest, 'shipmentId'>,
  now: IsoInstant,
): ShipOrder => ({
  type: 'ShipOrder',
  data: {
    orderId,
    shipmentId,
    lines: request.lines.map(({ lineId, quantity }) => ({ lineId, quantity })),
    carrier: request.carrier ?? null,
    trackingId: request.trackingId ?? null,
    now,
  },
});
