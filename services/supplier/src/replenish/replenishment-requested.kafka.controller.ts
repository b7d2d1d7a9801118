import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS, type Envelope, type MessageData } from '@fulfillment/contracts';
import { BatchEventPattern, ConsumeOnce, type ConsumedMessage } from '@fulfillment/messaging';
import { LOGGER } from '@fulfillment/platform';
import { isPlaced, planReplenishment, purchaseOrderStreamName } from '@fulfillment/supplier-domain';
import type { Logger } from 'pino';
import { messageCause, messageEventIds, replenishmentPurchaseOrderId } from '../purchase-order/derived-ids.js';
import { PurchaseOrderPipeline, type PurchaseOrderWork } from '../purchase-order/purchase-order.pipeline.js';

type ReplenishmentRequestedMessage = Envelope<'ReplenishmentRequested', MessageData<'ReplenishmentRequested'>>;

/**
 * Of inventory's events only ReplenishmentRequested concerns the supplier: a purchase order is placed for each request
 * whose SKU has a supplier lead time, dated by the replenishment policy from the time inventory asked. A SKU without a
 * lead time has nobody to order from in a known time: nothing is placed.
 */
@Controller()
export class ReplenishmentRequestedKafkaController {
  constructor(
    private readonly once: ConsumeOnce,
    private readonly purchaseOrders: PurchaseOrderPipeline,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @BatchEventPattern(TOPICS.inventoryEvents)
  async onInventoryEvents(@Payload() messages: ConsumedMessage[]): Promise<void> {
    await this.once.run(messages, {
      accepts: (envelope) => envelope.type === 'ReplenishmentRequested',
      commands: (fresh) => fresh.flatMap(({ envelope }) => this.workFor(envelope as ReplenishmentRequestedMessage)),
      execute: (tx, work) => this.purchaseOrders.handle(tx, work),
    });
  }

  private workFor(request: ReplenishmentRequestedMessage): PurchaseOrderWork[] {
    const { sku, quantity, leadTimeDays } = request.data;
    const purchaseOrderId = replenishmentPurchaseOrderId(request.id);
    const command = planReplenishment({ sku, quantity, leadTimeDays: leadTimeDays ?? null, requestedAt: request.time, newId: purchaseOrderId });
    if (command === null) {
      this.logger.info({ sku, messageId: request.id }, 'replenishment requested for a SKU without lead time');
      return [];
    }
    return [
      {
        id: purchaseOrderId,
        command,
        cause: messageCause(request),
        eventId: messageEventIds(request, purchaseOrderStreamName(purchaseOrderId)),
        // Only reachable when the inbox forgot the request (pruned): the derived id still finds the order.
        skipIf: isPlaced,
      },
    ];
  }
}
