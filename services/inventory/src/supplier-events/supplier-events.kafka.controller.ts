import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS, type AnyEnvelope } from '@fulfillment/contracts';
import { BatchEventPattern, ConsumeOnce, NonRetryableError, type ConsumedMessage } from '@fulfillment/messaging';
import { SkuPipeline, type SkuWork } from '../sku/sku.pipeline.js';

const CONCERNS_INVENTORY = ['PurchaseOrderPlaced', 'PurchaseOrderEtaChanged', 'RestockReceived', 'ReplenishmentUnplanned'];

/**
 * `supplier.events` -> SKU commands: purchase orders are registered and re-dated (they back promised dates), receipts
 * add stock that serves the backorder queue first, and a replenishment the supplier could not plan stops counting as
 * pending supply.
 */
@Controller()
export class SupplierEventsKafkaController {
  constructor(
    private readonly once: ConsumeOnce,
    private readonly skus: SkuPipeline,
  ) {}

  @BatchEventPattern(TOPICS.supplierEvents, { types: CONCERNS_INVENTORY })
  async onSupplierEvents(@Payload() messages: ConsumedMessage[]): Promise<void> {
    await this.once.run(messages, {
      commands: (fresh) => {
        const now = new Date().toISOString();
        return fresh.flatMap(({ envelope }) => workFor(envelope, now));
      },
      execute: (tx, work) => this.skus.handle(tx, work),
    });
  }
}

export function workFor(envelope: AnyEnvelope, now: string): SkuWork[] {
  const cause = { correlationId: envelope.correlationid, causationId: envelope.id };
  switch (envelope.type) {
    case 'PurchaseOrderPlaced': {
      const { purchaseOrderId, sku, quantity, expectedAt } = envelope.data;
      // A promised date needs the purchase order's date; an undated one cannot be booked as incoming.
      if (expectedAt === null) throw new NonRetryableError(`purchase order ${purchaseOrderId} has no expectedAt`);
      return [{ id: sku, command: { type: 'RegisterPurchaseOrder', data: { purchaseOrderId, quantity, expectedAt, now } }, cause }];
    }
    case 'PurchaseOrderEtaChanged': {
      const { purchaseOrderId, sku, expectedAt } = envelope.data;
      if (expectedAt === null) throw new NonRetryableError(`purchase order ${purchaseOrderId} lost its expectedAt`);
      return [{ id: sku, command: { type: 'ChangePurchaseOrderEta', data: { purchaseOrderId, expectedAt, now } }, cause }];
    }
    case 'RestockReceived': {
      const { purchaseOrderId, sku, quantity, remainingOnOrder } = envelope.data;
      return [{ id: sku, command: { type: 'ReceiveRestock', data: { purchaseOrderId, quantity, remainingOnOrder, now } }, cause }];
    }
    case 'ReplenishmentUnplanned': {
      const { sku, quantity } = envelope.data;
      return [{ id: sku, command: { type: 'RecordReplenishmentUnplanned', data: { quantity, now } }, cause }];
    }
    default:
      return [];
  }
}
