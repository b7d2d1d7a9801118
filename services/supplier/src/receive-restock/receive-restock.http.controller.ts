import { Body, Controller, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { ZodValidationPipe } from '@fulfillment/platform';
import { CorrelationId } from '../shared/http-request-context.js';
import { SupplierHttpErrorFilter } from '../shared/supplier-http-error.filter.js';
import { ReceiveRestockHandler, type Receipt } from './receive-restock.handler.js';
import { receiveRestockRequest, type ReceiveRestockRequest } from './receive-restock.request.js';

@Controller('purchase-orders')
@UseFilters(SupplierHttpErrorFilter)
export class ReceiveRestockHttpController {
  constructor(private readonly handler: ReceiveRestockHandler) {}

  /** 202: the receipt is recorded; inventory learns of it through RestockReceived. */
  @Post(':purchaseOrderId/receipts')
  @HttpCode(202)
  receive(
    @CorrelationId() correlationId: string,
    @Param('purchaseOrderId') purchaseOrderId: string,
    @Body(new ZodValidationPipe(receiveRestockRequest)) body: ReceiveRestockRequest,
  ): Promise<Receipt> {
    return this.handler.receive(purchaseOrderId, body, correlationId);
  }
}
