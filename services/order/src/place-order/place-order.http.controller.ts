import { Body, Controller, Headers, HttpCode, Inject, Post, Res, UseFilters } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiHeader,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { LOGGER, openApiSchemaOf, ZodValidationPipe } from '@fulfillment/platform';
import type { Logger } from 'pino';
import { CorrelationId } from '../http/correlation-id.js';
import { acceptedOrderSchema, errorBodySchema } from '../openapi/openapi.schemas.js';
import { OrderHttpErrorFilter } from '../http/order-http-error.filter.js';
import { PlaceOrderHandler } from './place-order.handler.js';
import { idempotencyKeySchema, placeOrderRequestSchema, type PlaceOrderRequest } from './place-order.request.js';

interface HeaderSink {
  setHeader(name: string, value: string): void;
}

const idempotencyKeyPipe = new ZodValidationPipe(idempotencyKeySchema, 'Idempotency-Key');

@ApiTags('orders')
@ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'echoed back; a new UUID when absent' })
@Controller('orders')
@UseFilters(OrderHttpErrorFilter)
export class PlaceOrderHttpController {
  constructor(
    private readonly handler: PlaceOrderHandler,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Place an order', description: 'Line ids are assigned as `<orderId>-1`, `<orderId>-2`, ... in request order.' })
  @ApiBody({ schema: openApiSchemaOf(placeOrderRequestSchema, 'input') })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'The same key with the same body answers with the same order (header Idempotent-Replayed: true); with another body, 422.',
  })
  @ApiAcceptedResponse({ description: 'accepted, pending inventory', schema: openApiSchemaOf(acceptedOrderSchema) })
  @ApiBadRequestResponse({ description: 'invalid body or header; `field` names it', schema: openApiSchemaOf(errorBodySchema) })
  @ApiUnprocessableEntityResponse({ description: 'Idempotency-Key reused for another request', schema: openApiSchemaOf(errorBodySchema) })
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
