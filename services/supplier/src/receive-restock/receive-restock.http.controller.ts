import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTags,
} from '@nestjs/swagger';
import {
  CorrelationId,
  IdempotencyOf,
  IdempotencyRecorder,
  Idempotent,
  type IdempotentRequest,
  notFoundAs,
  openApiSchemaOf,
  RequiresScope,
  SCOPES,
  ZodValidationPipe,
} from '@fulfillment/platform';
import { purchaseOrderView, type PurchaseOrderReceived, type PurchaseOrderView } from '@fulfillment/supplier-domain';
import { commandResponse, correlationIdHeader, errorResponse, receiptSchema } from '../openapi/openapi.schemas.js';
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

@ApiTags('purchase-orders')
@ApiHeader(correlationIdHeader)
@Controller('purchase-orders')
export class ReceiveRestockHttpController {
  constructor(
    private readonly purchaseOrders: PurchaseOrderPipeline,
    private readonly idempotency: IdempotencyRecorder,
  ) {}

  /** 202: the receipt is recorded; inventory learns of it through RestockReceived. */
  @RequiresScope(SCOPES.purchasingWrite)
  @Post(':purchaseOrderId/receipts')
  @HttpCode(202)
  @Idempotent()
  @ApiOperation({
    summary: 'Receive units of a purchase order',
    description:
      'Publishes RestockReceived. `close: true` means the supplier sends nothing more: the purchase order closes even ' +
      'if it arrived short. With an Idempotency-Key a retried receipt is counted once.',
  })
  @ApiBody({ schema: openApiSchemaOf(receiveRestockRequest, 'input') })
  @ApiAcceptedResponse(commandResponse({ description: 'the receipt is recorded', schema: receiptSchema }))
  @ApiBadRequestResponse(errorResponse('an invalid field or header; `field` names it'))
  @ApiNotFoundResponse(errorResponse('no such purchase order'))
  @ApiConflictResponse(
    errorResponse('code `over-receipt`: more than ordered; code `purchase-order-closed`: the purchase order was received or closed'),
  )
  @ApiPreconditionFailedResponse(errorResponse('the purchase order changed concurrently; retry'))
  receive(
    @CorrelationId() correlationId: string,
    @Param('purchaseOrderId') purchaseOrderId: string,
    @Body(new ZodValidationPipe(receiveRestockRequest)) body: ReceiveRestockRequest,
    @IdempotencyOf() idempotency: IdempotentRequest | undefined,
  ): Promise<Receipt> {
    const command = {
      type: 'ReceivePurchaseOrder' as const,
      data: { purchaseOrderId, quantity: body.quantity, close: body.close, now: new Date().toISOString() },
    };
    return this.purchaseOrders
      .submit([{ id: purchaseOrderId, command, cause: { correlationId, causationId: null } }], (tx, { outcomes }) => {
        const { state, decisions } = outcomes.get(purchaseOrderId)!;
        const [decision] = decisions;
        const received = decision!.events[0] as PurchaseOrderReceived;
        const { sku, quantity, receivedAt, remainingOnOrder } = received.data;
        const receipt: Receipt = {
          receiptId: decision!.eventIds[0]!,
          purchaseOrderId,
          sku,
          quantity,
          receivedAt,
          remainingOnOrder,
          purchaseOrder: purchaseOrderView(state)!,
        };
        return this.idempotency.record(tx, idempotency, receipt);
      })
      .catch(notFoundAs(`purchase order ${purchaseOrderId} does not exist`));
  }
}
