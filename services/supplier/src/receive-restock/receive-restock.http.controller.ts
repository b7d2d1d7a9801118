import { Body, Param } from '@nestjs/common';
import { CommandContextOf, CommandController, CommandRoute, notFoundAs, SCOPES, submitCommand, ZodValidationPipe, type CommandContext } from '@fulfillment/platform';
import { purchaseOrderView, type PurchaseOrderReceived, type PurchaseOrderView } from '@fulfillment/supplier-domain';
import { commandResponse, correlationIdHeader, receiptSchema } from '../openapi/openapi.schemas.js';
import { PurchaseOrderPipeline } from '../purchase-order/purchase-order.pipeline.js';
import { receiveRestockRequest, type ReceiveRestockRequest } from './receive-restock.request.js';

export interface Receipt {
  receiptId: string;
  purchaseOrderId: string;
  sku: string;
  quantity: number;
  receivedAt: string;
  remainingOnOrder: number;
  purchaseOrder: PurchaseOrderView;
}

@CommandController({ path: 'purchase-orders', tag: 'purchase-orders', correlationHeader: correlationIdHeader })
export class ReceiveRestockHttpController {
  constructor(private readonly purchaseOrders: PurchaseOrderPipeline) {}

  /** 202: the receipt is recorded; inventory learns of it through RestockReceived. */
  @CommandRoute({
    scope: SCOPES.purchasingWrite,
    method: 'POST',
    path: ':purchaseOrderId/receipts',
    status: 202,
    summary: 'Receive units of a purchase order',
    description:
      'Publishes RestockReceived. `close: true` means the supplier sends nothing more: the purchase order closes even ' +
      'if it arrived short. With an Idempotency-Key a retried receipt is counted once.',
    body: { schema: receiveRestockRequest },
    answer: commandResponse({ description: 'the receipt is recorded', schema: receiptSchema }),
    refusals: {
      400: 'an invalid field or header; `field` names it',
      404: 'no such purchase order',
      409: 'code `over-receipt`: more than ordered; code `purchase-order-closed`: the purchase order was received or closed',
      412: 'the purchase order changed concurrently; retry',
    },
  })
  receive(
    @CommandContextOf() context: CommandContext,
    @Param('purchaseOrderId') purchaseOrderId: string,
    @Body(new ZodValidationPipe(receiveRestockRequest)) body: ReceiveRestockRequest,
  ): Promise<Receipt> {
    const command = {
      type: 'ReceivePurchaseOrder' as const,
      data: { purchaseOrderId, quantity: body.quantity, close: body.close, now: new Date().toISOString() },
    };
    return submitCommand(this.purchaseOrders, context, { id: purchaseOrderId, command }, ({ state, decisions }): Receipt => {
      const [decision] = decisions;
      const received = decision!.events[0] as PurchaseOrderReceived;
      const { sku, quantity, receivedAt, remainingOnOrder } = received.data;
      return { receiptId: decision!.eventIds[0]!, purchaseOrderId, sku, quantity, receivedAt, remainingOnOrder, purchaseOrder: purchaseOrderView(state)! };
    }).catch(notFoundAs(`purchase order ${purchaseOrderId} does not exist`));
  }
}
