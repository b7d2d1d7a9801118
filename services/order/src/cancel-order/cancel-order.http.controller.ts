import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { isPlaced, type OrderStatus } from '@fulfillment/order-domain';
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
import { isDomainError } from '@fulfillment/kernel';
import {
  type Caller,
  CallerOf,
  CorrelationId,
  ensureOwnData,
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
import { OrderViewRepository } from '../order/order-views.repository.js';
import { cancelOrderCommand } from './cancel-order.command.js';
import { cancelOrderRequestSchema, DEFAULT_CANCEL_REASON, type CancelOrderRequest } from './cancel-order.request.js';

@ApiTags('orders')
@ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'echoed back; a new UUID when absent' })
@Controller('orders')
export class CancelOrderHttpController {
  constructor(
    private readonly orders: OrderPipeline,
    private readonly views: OrderViewRepository,
    private readonly idempotency: IdempotencyRecorder,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @RequiresScope(SCOPES.ordersWrite, { customer: true })
  @Post(':orderId/cancel')
  @HttpCode(202)
  @Idempotent()
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
    @IdempotencyOf() idempotency: IdempotentRequest | undefined,
    @CallerOf() caller: Caller,
  ): Promise<{ orderId: string; status: OrderStatus }> {
    if (caller.customerId !== null) ensureOwnData(caller, (await this.views.find(orderId))?.customerId, `order ${orderId} not found`);
    const now = new Date().toISOString();
    const command = cancelOrderCommand(orderId, request.reason ?? DEFAULT_CANCEL_REASON, now);
    const work = [{ id: orderId, command, at: now, cause: { correlationId, causationId: null } }];
    const answer = this.orders.submit(work, async (tx, { outcomes }) => {
      const { state, decisions } = outcomes.get(orderId)!;
      if (!isPlaced(state)) throw new Error(`order ${orderId} has no state after its cancellation`);
      this.logger.info({ orderId, correlationId, changed: decisions.length > 0 }, decisions.length > 0 ? 'order cancelled' : 'order was already cancelled');
      return this.idempotency.record(tx, idempotency, { orderId, status: state.status });
    });
    return answer.catch((error: unknown) => {
      if (isDomainError(error) && error.kind === 'not-found') throw new HttpFieldError(404, undefined, `order ${orderId} not found`);
      throw error;
    });
  }
}
