import { Body, Controller, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
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
import { openApiSchemaOf, ZodValidationPipe } from '@fulfillment/platform';
import { commandResponse, correlationIdHeader, errorResponse, receiptSchema } from '../openapi/openapi.schemas.js';
import { CorrelationId } from '../shared/http-request-context.js';
import { SupplierHttpErrorFilter } from '../shared/supplier-http-error.filter.js';
import { ReceiveRestockHandler, type Receipt } from './receive-restock.handler.js';
import { receiveRestockRequest, type ReceiveRestockRequest } from './receive-restock.request.js';

@ApiTags('purchase-orders')
@ApiHeader(correlationIdHeader)
@Controller('purchase-orders')
@UseFilters(SupplierHttpErrorFilter)
export class ReceiveRestockHttpController {
  constructor(private readonly handler: ReceiveRestockHandler) {}

  /** 202: the receipt is recorded; inventory learns of it through RestockReceived. */
  @Post(':purchaseOrderId/receipts')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Receive units of a purchase order',
    description:
      'Publishes RestockReceived. `close: true` means the supplier sends nothing more: the purchase order closes even ' +
      'if it arrived short.',
  })
  @ApiBody({ schema: openApiSchemaOf(receiveRestockRequest, 'input') })
  @ApiAcceptedResponse(commandResponse({ description: 'the receipt is recorded', schema: receiptSchema }))
  @ApiBadRequestResponse(errorResponse('an invalid field or header; `field` names it'))
  @ApiNotFoundResponse(errorResponse('no such purchase order'))
  @ApiConflictResponse(
    errorResponse('code `over-receipt`: more than ordered; code `purchase-order-closed`: the purchase order was received or closed'),
  )
  @ApiPreconditionFailedResponse(errorResponse('the purchase order changed concurrently twice in a row; retry'))
  receive(
    @CorrelationId() correlationId: string,
    @Param('purchaseOrderId') purchaseOrderId: string,
    @Body(new ZodValidationPipe(receiveRestockRequest)) body: ReceiveRestockRequest,
  ): Promise<Receipt> {
    return this.handler.receive(purchaseOrderId, body, correlationId);
  }
}
