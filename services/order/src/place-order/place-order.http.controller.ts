import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  type Caller,
  CallerOf,
  CorrelationId,
  errorBodySchema,
  HttpFieldError,
  IdempotencyOf,
  IdempotencyRecorder,
  Idempotent,
  type IdempotentRequest,
  LOGGER,
  openApiSchemaOf,
  RequiresScope,
  SCOPES,
  ZodValidationPipe,
} from '@fulfillment/platform';
import type { Logger } from 'pino';
import { acceptedOrderSchema } from '../openapi/openapi.schemas.js';
import { OrderPipeline } from '../order/order.pipeline.js';
import { legacyPlaceOrderFingerprint, placeOrderCommand } from './place-order.command.js';
import { placeOrderRequestSchema, type PlaceOrderRequest } from './place-order.request.js';

interface AcceptedOrder {
  orderId: string;
  status: 'pending';
}

@ApiTags('orders')
@ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'echoed back; a new UUID when absent' })
@Controller('orders')
export class PlaceOrderHttpController {
  constructor(
    private readonly orders: OrderPipeline,
    private readonly idempotency: IdempotencyRecorder,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @RequiresScope(SCOPES.ordersWrite, { customer: true })
  @Post()
  @HttpCode(202)
  @Idempotent({
    headers: (body) => ({ Location: `/orders/${encodeURIComponent((body as AcceptedOrder).orderId)}` }),
    legacyFingerprint: legacyPlaceOrderFingerprint,
  })
  @ApiOperation({ summary: 'Place an order', description: 'Line ids are assigned as `<orderId>-1`, `<orderId>-2`, ... in request order.' })
  @ApiBody({ schema: openApiSchemaOf(placeOrderRequestSchema, 'input') })
  @ApiAcceptedResponse({ description: 'accepted, pending inventory', schema: openApiSchemaOf(acceptedOrderSchema) })
  @ApiBadRequestResponse({ description: 'invalid body or header; `field` names it', schema: openApiSchemaOf(errorBodySchema) })
  async placeOrder(
    @Body(new ZodValidationPipe(placeOrderRequestSchema)) request: PlaceOrderRequest,
    @CorrelationId() correlationId: string,
    @IdempotencyOf() idempotency: IdempotentRequest | undefined,
    @CallerOf() caller: Caller,
  ): Promise<AcceptedOrder> {
    if (caller.customerId !== null && caller.customerId !== request.customerId) {
      throw new HttpFieldError(403, 'customerId', 'a customer token places orders for its own customer only', 'insufficient-scope');
    }
    const orderId = randomUUID();
    const now = new Date().toISOString();
    const work = [{ id: orderId, command: placeOrderCommand(orderId, request, now), at: now, cause: { correlationId, causationId: null } }];
    const answer = await this.orders.submit(work, (tx) => this.idempotency.record(tx, idempotency, { orderId, status: 'pending' as const }));
    this.logger.info({ orderId, correlationId, lines: request.lines.length }, 'order placed');
    return answer;
  }
}
