import { Body, Controller, HttpCode, Inject, Param, Post, UseFilters } from '@nestjs/common';
import type { OrderStatus } from '@fulfillment/order-domain';
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
import { LOGGER, openApiSchemaOf, ZodValidationPipe } from '@fulfillment/platform';
import type { Logger } from 'pino';
import { CorrelationId } from '../http/correlation-id.js';
import { OrderHttpErrorFilter } from '../http/order-http-error.filter.js';
import { acceptedOrderSchema, errorBodySchema } from '../openapi/openapi.schemas.js';
import { CancelOrderHandler } from './cancel-order.handler.js';
import { cancelOrderRequestSchema, DEFAULT_CANCEL_REASON, type CancelOrderRequest } from './cancel-order.request.js';

@ApiTags('orders')
@ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'echoed back; a new UUID when absent' })
@Controller('orders')
@UseFilters(OrderHttpErrorFilter)
export class CancelOrderHttpController {
  constructor(
    private readonly handler: CancelOrderHandler,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post(':orderId/cancel')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Cancel an order',
    description: 'Releases what inventory holds for it. Cancelling a cancelled order changes nothing and answers 202 again.',
  })
  @ApiBody({ required: false, schema: openApiSchemaOf(cancelOrderRequestSchema, 'input') })
  @ApiAcceptedResponse({ schema: openApiSchemaOf(acceptedOrderSchema) })
  @ApiBadRequestResponse({ description: 'invalid body or header; `field` names it', schema: openApiSchemaOf(errorBodySchema) })
  @ApiNotFoundResponse({ schema: openApiSchemaOf(errorBodySchema) })
  @ApiConflictResponse({ description: 'the order cannot be cancelled (it was rejected)', schema: openApiSchemaOf(errorBodySchema) })
  @ApiPreconditionFailedResponse({ description: 'the order changed while the request was applied; retry', schema: openApiSchemaOf(errorBodySchema) })
  async cancelOrder(
    @Param('orderId') orderId: string,
    @Body(new ZodValidationPipe(cancelOrderRequestSchema)) request: CancelOrderRequest,
    @CorrelationId() correlationId: string,
  ): Promise<{ orderId: string; status: OrderStatus }> {
    const { view, changed } = await this.handler.cancel(orderId, request.reason ?? DEFAULT_CANCEL_REASON, {
      correlationId,
      causationId: null,
    });
    this.logger.info({ orderId, correlationId, changed }, changed ? 'order cancelled' : 'order was already cancelled');
    return { orderId, status: view.status };
  }
}
