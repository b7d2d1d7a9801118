import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS, type Envelope, type MessageData } from '@fulfillment/contracts';
import type { Tx } from '@fulfillment/eventstore';
import { BatchEventPattern, ConsumeOnce, type ConsumedMessage } from '@fulfillment/messaging';
import { LOGGER } from '@fulfillment/platform';
import { isPlaced, planReplenishment, purchaseOrderStreamName, replenishmentStreamName } from '@fulfillment/supplier-domain';
import type { Logger } from 'pino';
import { messageCause, messageEventIds, replenishmentPurchaseOrderId } from '../purchase-order/derived-ids.js';
import { PurchaseOrderPipeline, type PurchaseOrderWork } from '../purchase-order/purchase-order.pipeline.js';
import { ReplenishmentPipeline, type ReplenishmentWork } from '../replenishment-request/replenishment.pipeline.js';

type ReplenishmentRequestedMessage = Envelope<'ReplenishmentRequested', MessageData<'ReplenishmentRequested'>>;

/** What one request asks for: the purchase order the policy planned (if any), and the request's record. */
interface RequestWork {
  readonly purchaseOrder: PurchaseOrderWork | null;
  readonly request: ReplenishmentWork;
}

/**
 * Of inventory's events only ReplenishmentRequested concerns the supplier: a purchase order is placed for each request
 * whose SKU has a supplier lead time, dated by the replenishment policy from the time inventory asked. Every request
 * is recorded on its SKU's replenishment stream in the same transaction: a planned one is answered by its purchase
 * order, one without a lead time stays open and is published as ReplenishmentUnplanned, so inventory stops counting it.
 */
@Controller()
export class ReplenishmentRequestedKafkaController {
  constructor(
    private readonly once: ConsumeOnce,
    private readonly purchaseOrders: PurchaseOrderPipeline,
    private readonly requests: ReplenishmentPipeline,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @BatchEventPattern(TOPICS.inventoryEvents, { types: ['ReplenishmentRequested'] })
  async onInventoryEvents(@Payload() messages: ConsumedMessage[]): Promise<void> {
    await this.once.run(messages, {
      commands: (fresh) => fresh.map(({ envelope }) => this.workFor(envelope as ReplenishmentRequestedMessage)),
      execute: (tx, work) => this.execute(tx, work),
    });
  }

  private async execute(tx: Tx, work: readonly RequestWork[]): Promise<void> {
    await this.purchaseOrders.handle(tx, work.flatMap((item) => (item.purchaseOrder ? [item.purchaseOrder] : [])));
    await this.requests.handle(tx, work.map((item) => item.request));
  }

  private workFor(request: ReplenishmentRequestedMessage): RequestWork {
    const { sku, quantity, reason, leadTimeDays } = request.data;
    const purchaseOrderId = replenishmentPurchaseOrderId(request.id);
    const command = planReplenishment({ sku, quantity, leadTimeDays: leadTimeDays ?? null, requestedAt: request.time, newId: purchaseOrderId });
    if (command === null) this.logger.info({ sku, messageId: request.id }, 'replenishment requested for a SKU without lead time');
    return {
      purchaseOrder:
        command === null
          ? null
          : {
              id: purchaseOrderId,
              command,
              cause: messageCause(request),
              eventId: messageEventIds(request, purchaseOrderStreamName(purchaseOrderId)),
              // Only reachable when the inbox forgot the request (pruned): the derived id still finds the order.
              skipIf: isPlaced,
            },
      request: {
        id: sku,
        command: {
          type: 'RecordReplenishmentRequest',
          data: { requestId: request.id, sku, quantity, reason, plannedPurchaseOrderId: command === null ? null : purchaseOrderId, now: request.time },
        },
        cause: messageCause(request),
        eventId: messageEventIds(request, replenishmentStreamName(sku)),
      },
    };
  }
}
