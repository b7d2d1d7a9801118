import { skuView, type SkuState } from '@fulfillment/inventory-domain';

/** `GET /skus/:sku` (docs/domain-rules.md) plus the configuration, which `PUT /skus/:sku` sets. */
export function skuResponse(sku: string, state: SkuState) {
  const { onHand, reserved, available, backordered, queue, incoming, configuration } = skuView(state);
  return { sku, onHand, reserved, available, backordered, queue, incoming, configuration };
}

export type SkuResponse = ReturnType<typeof skuResponse>;
