import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS, type Envelope, type MessageData } from '@fulfillment/contracts';
import type { Tx } from '@fulfillment/eventstore';
import { BatchEventPattern, ConsumeOnce, type ConsumedMessage } from '@fulfillment/messaging';
import { purchaseOrderStreamName, skuReceiptsStreamName } from '@fulfillment/supplier-domain';
import { messageCause, messageEventIds } from '../purchase-order/derived-ids.js';
import {
  PurchaseOrderPipeline,
  UnplannedReceiptsPipeline,
  type PurchaseOrderWork,
  type UnplannedReceiptWork,
} from '../purchase-order/purchase-order.pipeline.js';

type ReceiveRestockMessage = Envelope<'ReceiveRestock', MessageData<'ReceiveRestock'>>;
type ReceiptWork = { kind: 'purchase-order'; work: PurchaseOrderWork } | { kind: 'unplanned'; work: UnplannedReceiptWork };

/**
 * `supplier.commands`: `ReceiveRestock`, each applied once whatever the redeliveries. A command naming a purchase order
 * receives against it (refused when the order does not exist, is another SKU's, is closed or would be over-received);
 * one that does not records stock that arrived outside any order.
 */
@Controller()
export class ReceiveRestockKafkaController {
  constructor(
    private readonly once: ConsumeOnce,
    private readonly purchaseOrders: PurchaseOrderPipeline,
    private readonly unplanned: UnplannedReceiptsPipeline,
  ) {}

  @BatchEventPattern(TOPICS.supplierCommands, { types: ['ReceiveRestock'] })
  async onSupplierCommands(@Payload() messages: ConsumedMessage[]): Promise<void> {
    await this.once.run(messages, {
      commands: (fresh) => fresh.map(({ envelope }) => receiptWorkOf(envelope as ReceiveRestockMessage)),
      execute: (tx, work) => this.execute(tx, work),
    });
  }

  /** Runs of receipts of one kind go to their pipeline in turn, so what is published keeps the commands' order. */
  private async execute(tx: Tx, work: readonly ReceiptWork[]): Promise<void> {
    for (let start = 0; start < work.length; ) {
      const kind = work[start]!.kind;
      let end = start;
      while (end < work.length && work[end]!.kind === kind) end++;
      const run = work.slice(start, end);
      if (kind === 'purchase-order') await this.purchaseOrders.handle(tx, run.map((item) => item.work as PurchaseOrderWork));
      else await this.unplanned.handle(tx, run.map((item) => item.work as UnplannedReceiptWork));
      start = end;
    }
  }
}

function receiptWorkOf(command: ReceiveRestockMessage): ReceiptWork {
  const { purchaseOrderId, sku, quantity, closePurchaseOrder } = command.data;
  const cause = messageCause(command);
  if (purchaseOrderId === undefined) {
    return {
      kind: 'unplanned',
      work: {
        id: sku,
        command: { type: 'ReceiveUnplanned', data: { sku, quantity, closePurchaseOrder, now: command.time } },
        cause,
        eventId: messageEventIds(command, skuReceiptsStreamName(sku)),
      },
    };
  }
  return {
    kind: 'purchase-order',
    work: {
      id: purchaseOrderId,
      command: { type: 'ReceivePurchaseOrder', data: { purchaseOrderId, quantity, close: closePurchaseOrder, sku, now: command.time } },
      cause,
      eventId: messageEventIds(command, purchaseOrderStreamName(purchaseOrderId)),
    },
  };
}
