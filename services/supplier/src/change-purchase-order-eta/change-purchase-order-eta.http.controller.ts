import { Body, Controller, Param, Patch, UseFilters } from '@nestjs/common';
import { ZodValidationPipe } from '@fulfillment/platform';
import type { PurchaseOrderView } from '@fulfillment/supplier-domain';
import { CorrelationId } from '../shared/http-request-context.js';
import { SupplierHttpErrorFilter } from '../shared/supplier-http-error.filter.js';
import { ChangePurchaseOrderEtaHandler } from './change-purchase-order-eta.handler.js';
import {
  changePurchaseOrderEtaRequest,
  type ChangePurchaseOrderEtaRequest,
} from './change-purchase-order-eta.request.js';

@Controller('purchase-orders')
@UseFilters(SupplierHttpErrorFilter)
export class ChangePurchaseOrderEtaHttpController {
  constructor(private readonly handler: ChangePurchaseOrderEtaHandler) {}

  @Patch(':purchaseOrderId')
  change(
    @CorrelationId() correlationId: string,
    @Param('purchaseOrderId') purchaseOrderId: string,
    @Body(new ZodValidationPipe(changePurchaseOrderEtaRequest())) body: ChangePurchaseOrderEtaRequest,
  ): Promise<PurchaseOrderView> {
    return this.handler.change(purchaseOrderId, body.expectedAt, correlationId);
  }
}
