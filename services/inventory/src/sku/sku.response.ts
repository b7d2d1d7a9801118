import { skuView, type SkuState } from '@fulfillment/inventory-domain';

/**
 * `GET /skus/:sku` (docs/domain-rules.md) plus the configuration, which `PUT /skus/:sku` sets, `preordersUntil` (the release the
 * SKU's preorders wait for; null once released, or for a SKU that takes no preorders) and the replenishment requested
 * from the supplier: still pending, and what the supplier reported it could not plan.
 */
export function skuResponse(sku: string, state: SkuState) {
  const { onHand, reserved, available, backordered, queue, incoming, preordersUntil, pendingReplenishment, unplannedReplenishment, configuration } =
    skuView(state);
  return {
    sku,
    onHand,
    reserved,
    available,
    backordered,
    queue,
    incoming,
    preordersUntil,
    pendingReplenishment,
    unplannedReplenishment,
    configuration,
  };
}

export type SkuResponse = ReturnType<typeof skuResponse>;
