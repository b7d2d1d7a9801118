import type { IsoInstant, SubstituteOrderLine } from '@fulfillment/order-domain';

export const substituteOrderLineCommand = (orderId: string, lineId: string, sku: string, now: IsoInstant): SubstituteOrderLine => ({
  type: 'SubstituteOrderLine',
  data: { orderId, lineId, sku, now },
});
