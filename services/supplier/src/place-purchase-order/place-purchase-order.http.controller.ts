import { Body, Controller, HttpCode, Post, Res, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTags,
} from '@nestjs/swagger';
import { openApiSchemaOf, ZodValidationPipe } from '@fulfillment/platform';
import type { PurchaseOrderView } from '@fulfillment/supplier-domain';
import {
  commandResponse,
  correlationIdHeader,
  errorResponse,
  idempotencyKeyHeader,
  purchaseOrderViewSchema,
} from '../openapi/openapi.schemas.js';
import { CorrelationId, IdempotencyKey } from '../shared/http-request-context.js';
import { SupplierHttpErrorFilter } from '../shared/supplier-http-error.filter.js';
import { PlacePurchaseOrderHandler } from './place-purchase-order.handler.js';
import { placePurchaseOrderRequest, type PlacePurchaseOrderRequest } from './place-purchase-order.request.js';

interface HttpResponse {
  setHeader(name: string, value: string): void;
}

@ApiTags('purchase-orders')
@ApiHeader(correlationIdHeader)
@Controller('purchase-orders')
@UseFilters(SupplierHttpErrorFilter)
export class PlacePurchaseOrderHttpController {
  constructor(private readonly handler: PlacePurchaseOrderHandler) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Place a purchase order', description: 'Publishes PurchaseOrderPlaced (reason manual).' })
  @ApiHeader(idempotencyKeyHeader)
  @ApiBody({ schema: openApiSchemaOf(placePurchaseOrderRequest(), 'input') })
  @ApiCreatedResponse(
    commandResponse({
      description: 'placed (or, with a repeated Idempotency-Key, the one placed before)',
      schema: purchaseOrderViewSchema,
      headers: {
        Location: { description: '/purchase-orders/<purchaseOrderId>' },
        'Idempotent-Replayed': { description: 'true when a repeated Idempotency-Key found the purchase order placed before' },
      },
    }),
  )
  @ApiBadRequestResponse(errorResponse('an invalid field or header; `field` names it'))
  @ApiConflictResponse(errorResponse('the Idempotency-Key was used for a purchase order with another sku or quantity'))
  @ApiPreconditionFailedResponse(errorResponse('the purchase order changed concurrently twice in a row; retry'))
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
