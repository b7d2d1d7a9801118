import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
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
import { orderView } from '@fulfillment/order-domain';
import {
  type Caller,
  CallerOf,
  CorrelationId,
  ensureOwnData,
  errorBodySchema,
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
import { lineCancelledSchema, type LineCancelledResponse } from '../openapi/openapi.schemas.js';
import { orderNotFound } from '../order/order-not-found.js';
import { OrderPipeline } from '../order/order.pipeline.js';
import { OrderViewRepository } from '../order/order-views.repository.js';
import { cancelOrderLineCommand } from './cancel-order-line.command.js';
import { cancelOrderLineRequestSchema, type CancelOrderLineRequest } from './cancel-order-line.request.js';

@ApiTags('orders')
@ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'echoed back; a new UUID when absent' })
@Controller('orders')
export class CancelOrderLineHttpController {
  constructor(
    private readonly orders: OrderPipeline,
    private readonly views: OrderViewRepository,
    private readonly idempotency: IdempotencyRecorder,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @RequiresScope(SCOPES.ordersWrite, { customer: true })
  @Post(':orderId/lines/:lineId/cancel')
  @HttpCode(202)
  @Idempotent()
  @ApiOperation({
    summary: 'Cancel a line or part of it',
    description:
      'Without `quantity`, every unit of the line not shipped (nor already released or unavailable); with it, that ' +
      'many, taken first from the units still waiting, then from reserved or allocated ones (OrderLineCancelled). ' +
      'Inventory releases them and the freed stock serves its queue head first.',
  })
  @ApiBody({ required: false, schema: openApiSchemaOf(cancelOrderLineRequestSchema, 'input') })
  @ApiAcceptedResponse({ description: 'cancelled; the line afterwards', schema: openApiSchemaOf(lineCancelledSchema) })
  @ApiBadRequestResponse({ description: 'invalid body or header; `field` names it', schema: openApiSchemaOf(errorBodySchema) })
  @ApiNotFoundResponse({ description: 'no such order, or code `line-not-found`', schema: openApiSchemaOf(errorBodySchema) })
  @ApiConflictResponse({
    description: 'code `line-not-cancellable`: fewer units left to cancel than asked (shipped units cannot be cancelled)',
    schema: openApiSchemaOf(errorBodySchema),
  })
  @ApiPreconditionFailedResponse({ description: 'the order changed while the request was applied; retry', schema: openApiSchemaOf(errorBodySchema) })
  async cancelLine(
    @Param('orderId') orderId: string,
    @Param('lineId') lineId: string,
    @Body(new ZodValidationPipe(cancelOrderLineRequestSchema)) request: CancelOrderLineRequest,
    @CorrelationId() correlationId: string,
    @IdempotencyOf() idempotency: IdempotentRequest | undefined,
    @CallerOf() caller: Caller,
  ): Promise<LineCancelledResponse> {
    if (caller.customerId !== null) ensureOwnData(caller, (await this.views.find(orderId))?.customerId, `order ${orderId} not found`);
    const now = new Date().toISOString();
    const work = [{ id: orderId, command: cancelOrderLineCommand(orderId, lineId, request, now), at: now, cause: { correlationId, causationId: null } }];
    return this.orders
      .submit(work, async (tx, { outcomes }) => {
        const { state, decisions } = outcomes.get(orderId)!;
        const cancelled = decisions.flatMap((decision) => decision.events).find((event) => event.type === 'OrderLineCancelled');
        const view = orderView(state);
        const line = view?.lines.find((candidate) => candidate.lineId === lineId);
        if (cancelled?.type !== 'OrderLineCancelled' || view === null || line === undefined) {
          throw new Error(`CancelOrderLine on ${orderId}/${lineId} decided no OrderLineCancelled`);
        }
        this.logger.info({ orderId, lineId, correlationId, quantity: cancelled.data.quantity }, 'order line cancelled');
        const body = { orderId, lineId, quantity: cancelled.data.quantity, reason: cancelled.data.reason, status: view.status, line };
        return this.idempotency.record(tx, idempotency, body);
      })
      .catch(orderNotFound(orderId));
  }
}
