import { Body, Controller, Param, Patch } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOkResponse,
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
import { purchaseOrderView, type PurchaseOrderView } from '@fulfillment/supplier-domain';
import { commandResponse, correlationIdHeader, errorResponse, purchaseOrderViewSchema } from '../openapi/openapi.schemas.js';
import { PurchaseOrderPipeline } from '../purchase-order/purchase-order.pipeline.js';
import { changePurchaseOrderEtaRequest, type ChangePurchaseOrderEtaRequest } from './change-purchase-order-eta.request.js';

@ApiTags('purchase-orders')
@ApiHeader(correlationIdHeader)
@Controller('purchase-orders')
export class ChangePurchaseOrderEtaHttpController {
  constructor(
    private readonly purchaseOrders: PurchaseOrderPipeline,
    private readonly idempotency: IdempotencyRecorder,
  ) {}

  /** Moves the expected arrival; the same instant again changes and publishes nothing. */
  @RequiresScope(SCOPES.purchasingWrite)
  @Patch(':purchaseOrderId')
  @Idempotent()
  @ApiOperation({
    summary: 'Move the expected date of a purchase order',
    description:
      'Publishes PurchaseOrderEtaChanged, unless the instant is the one the purchase order already has; inventory ' +
      'then moves the promised dates of the backorders waiting for it.',
  })
  @ApiBody({ schema: openApiSchemaOf(changePurchaseOrderEtaRequest(), 'input') })
  @ApiOkResponse(commandResponse({ description: 'the purchase order with its new date', schema: purchaseOrderViewSchema }))
  @ApiBadRequestResponse(errorResponse('an invalid field or header; `field` names it'))
  @ApiNotFoundResponse(errorResponse('no such purchase order'))
  @ApiConflictResponse(errorResponse('code `purchase-order-closed`: the purchase order was received or closed'))
  @ApiPreconditionFailedResponse(errorResponse('the purchase order changed concurrently; retry'))
  change(
    @CorrelationId() correlationId: string,
    @Param('purchaseOrderId') purchaseOrderId: string,
    @Body(new ZodValidationPipe(changePurchaseOrderEtaRequest())) body: ChangePurchaseOrderEtaRequest,
    @IdempotencyOf() idempotency: IdempotentRequest | undefined,
  ): Promise<PurchaseOrderView> {
    const command = { type: 'ChangePurchaseOrderEta' as const, data: { purchaseOrderId, expectedAt: body.expectedAt, now: new Date().toISOString() } };
    return this.purchaseOrders
      .submit([{ id: purchaseOrderId, command, cause: { correlationId, causationId: null } }], (tx, { outcomes }) =>
        this.idempotency.record(tx, idempotency, purchaseOrderView(outcomes.get(purchaseOrderId)!.state)!),
      )
      .catch(notFoundAs(`purchase order ${purchaseOrderId} does not exist`));
  }
}
