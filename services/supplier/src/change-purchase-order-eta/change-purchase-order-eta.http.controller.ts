import { Body, Controller, Param, Patch, UseFilters } from '@nestjs/common';
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
import { openApiSchemaOf, ZodValidationPipe } from '@fulfillment/platform';
import type { PurchaseOrderView } from '@fulfillment/supplier-domain';
import { commandResponse, correlationIdHeader, errorResponse, purchaseOrderViewSchema } from '../openapi/openapi.schemas.js';
import { CorrelationId } from '../shared/http-request-context.js';
import { SupplierHttpErrorFilter } from '../shared/supplier-http-error.filter.js';
import { ChangePurchaseOrderEtaHandler } from './change-purchase-order-eta.handler.js';
import {
  changePurchaseOrderEtaRequest,
  type ChangePurchaseOrderEtaRequest,
} from './change-purchase-order-eta.request.js';

@ApiTags('purchase-orders')
@ApiHeader(correlationIdHeader)
@Controller('purchase-orders')
@UseFilters(SupplierHttpErrorFilter)
export class ChangePurchaseOrderEtaHttpController {
  constructor(private readonly handler: ChangePurchaseOrderEtaHandler) {}

  @Patch(':purchaseOrderId')
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
  @ApiPreconditionFailedResponse(errorResponse('the purchase order changed concurrently twice in a row; retry'))
  change(
    @CorrelationId() correlationId: string,
    @Param('purchaseOrderId') purchaseOrderId: string,
    @Body(new ZodValidationPipe(changePurchaseOrderEtaRequest())) body: ChangePurchaseOrderEtaRequest,
  ): Promise<PurchaseOrderView> {
    return this.handler.change(purchaseOrderId, body.expectedAt, correlationId);
  }
}
