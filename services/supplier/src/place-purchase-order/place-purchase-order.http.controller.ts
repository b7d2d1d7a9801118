import { Body, Controller, HttpCode, Post, Res, UseFilters } from '@nestjs/common';
import { ZodValidationPipe } from '@fulfillment/platform';
import type { PurchaseOrderView } from '@fulfillment/supplier-domain';
import { CorrelationId, IdempotencyKey } from '../shared/http-request-context.js';
import { SupplierHttpErrorFilter } from '../shared/supplier-http-error.filter.js';
import { PlacePurchaseOrderHandler } from './place-purchase-order.handler.js';
import { placePurchaseOrderRequest, type PlacePurchaseOrderRequest } from './place-purchase-order.request.js';

interface HttpResponse {
  setHeader(name: string, value: string): void;
}

@Controller('purchase-orders')
@UseFilters(SupplierHttpErrorFilter)
export class PlacePurchaseOrderHttpController {
  constructor(private readonly handler: PlacePurchaseOrderHandler) {}

  @Post()
  @HttpCode(201)
  async place(
    @CorrelationId() correlationId: string,
    @IdempotencyKey() idempotencyKey: string | undefined,
    @Body(new ZodValidationPipe(placePurchaseOrderRequest())) body: PlacePurchaseOrderRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<PurchaseOrderView> {
    const { view, replayed } = await this.handler.place({ ...body, correlationId, idempotencyKey });
    response.setHeader('Location', `/purchase-orders/${encodeURIComponent(view.purchaseOrderId)}`);
    if (replayed) response.setHeader('Idempotent-Replayed', 'true');
    return view;
  }
}
