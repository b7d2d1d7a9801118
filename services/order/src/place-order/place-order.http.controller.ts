import { Body, Controller, Headers, HttpCode, Inject, Post, Res, UseFilters } from '@nestjs/common';
import { LOGGER, ZodValidationPipe } from '@fulfillment/platform';
import type { Logger } from 'pino';
import { CorrelationId } from '../http/correlation-id.js';
import { OrderHttpErrorFilter } from '../http/order-http-error.filter.js';
import { PlaceOrderHandler } from './place-order.handler.js';
import { idempotencyKeySchema, placeOrderRequestSchema, type PlaceOrderRequest } from './place-order.request.js';

interface HeaderSink {
  setHeader(name: string, value: string): void;
}

const idempotencyKeyPipe = new ZodValidationPipe(idempotencyKeySchema, 'Idempotency-Key');

@Controller('orders')
@UseFilters(OrderHttpErrorFilter)
export class PlaceOrderHttpController {
  constructor(
    private readonly handler: PlaceOrderHandler,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post()
  @HttpCode(202)
  async placeOrder(
    @Body(new ZodValidationPipe(placeOrderRequestSchema)) request: PlaceOrderRequest,
    @Headers('idempotency-key') idempotencyKeyHeader: string | undefined,
    @CorrelationId() correlationId: string,
    @Res({ passthrough: true }) res: HeaderSink,
  ): Promise<{ orderId: string; status: 'pending' }> {
    const idempotencyKey = idempotencyKeyPipe.transform(idempotencyKeyHeader);
    const { orderId, replayed } = await this.handler.place(request, {
      idempotencyKey,
      cause: { correlationId, causationId: null },
    });
    this.logger.info({ orderId, correlationId, lines: request.lines.length, replayed }, replayed ? 'order request replayed' : 'order placed');
    res.setHeader('Location', `/orders/${encodeURIComponent(orderId)}`);
    if (replayed) res.setHeader('Idempotent-Replayed', 'true');
    return { orderId, status: 'pending' };
  }
}
