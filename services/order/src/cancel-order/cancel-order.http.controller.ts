import { Body, Controller, HttpCode, Inject, Param, Post, UseFilters } from '@nestjs/common';
import type { OrderStatus } from '@fulfillment/order-domain';
import { LOGGER, ZodValidationPipe } from '@fulfillment/platform';
import type { Logger } from 'pino';
import { CorrelationId } from '../http/correlation-id.js';
import { OrderHttpErrorFilter } from '../http/order-http-error.filter.js';
import { CancelOrderHandler } from './cancel-order.handler.js';
import { cancelOrderRequestSchema, DEFAULT_CANCEL_REASON, type CancelOrderRequest } from './cancel-order.request.js';

@Controller('orders')
@UseFilters(OrderHttpErrorFilter)
export class CancelOrderHttpController {
  constructor(
    private readonly handler: CancelOrderHandler,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post(':orderId/cancel')
  @HttpCode(202)
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
