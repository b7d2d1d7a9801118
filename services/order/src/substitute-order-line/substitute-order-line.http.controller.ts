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
import { lineSubstitutedSchema, type LineSubstitutedResponse } from '../openapi/openapi.schemas.js';
import { orderNotFound } from '../order/order-not-found.js';
import { OrderPipeline } from '../order/order.pipeline.js';
import { OrderViewRepository } from '../order/order-views.repository.js';
import { substituteOrderLineCommand } from './substitute-order-line.command.js';
import { substituteOrderLineRequestSchema, type SubstituteOrderLineRequest } from './substitute-order-line.request.js';

@ApiTags('orders')
@ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'echoed back; a new UUID when absent' })
@Controller('orders')
export class SubstituteOrderLineHttpController {
  constructor(
    private readonly orders: OrderPipeline,
    private readonly views: OrderViewRepository,
    private readonly idempotency: IdempotencyRecorder,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @RequiresScope(SCOPES.ordersWrite, { customer: true })
  @Post(':orderId/lines/:lineId/substitute')
  @HttpCode(202)
  @Idempotent()
  @ApiOperation({
    summary: 'Accept a substitute for the waiting or unavailable units of a line',
    description:
      "`sku` must be one of the substitutes inventory named for the line's SKU. Those units are released from the " +
      'line (reason `substituted`) and a new line `newLineId` for `sku` with that quantity is added to the order, ' +
      'answered by inventory like any new line (OrderLineSubstituted).',
  })
  @ApiBody({ schema: openApiSchemaOf(substituteOrderLineRequestSchema, 'input') })
  @ApiAcceptedResponse({ description: 'substituted; inventory answers the new line next', schema: openApiSchemaOf(lineSubstitutedSchema) })
  @ApiBadRequestResponse({ description: 'invalid body or header; `field` names it', schema: openApiSchemaOf(errorBodySchema) })
  @ApiNotFoundResponse({ description: 'no such order, or code `line-not-found`', schema: openApiSchemaOf(errorBodySchema) })
  @ApiConflictResponse({
    description: 'code `line-not-substitutable`: nothing of the line waits or is unavailable, `sku` is not one of its substitutes, or the order is cancelled',
    schema: openApiSchemaOf(errorBodySchema),
  })
  @ApiPreconditionFailedResponse({ description: 'the order changed while the request was applied; retry', schema: openApiSchemaOf(errorBodySchema) })
  async substitute(
    @Param('orderId') orderId: string,
    @Param('lineId') lineId: string,
    @Body(new ZodValidationPipe(substituteOrderLineRequestSchema)) request: SubstituteOrderLineRequest,
    @CorrelationId() correlationId: string,
    @IdempotencyOf() idempotency: IdempotentRequest | undefined,
    @CallerOf() caller: Caller,
  ): Promise<LineSubstitutedResponse> {
    if (caller.customerId !== null) ensureOwnData(caller, (await this.views.find(orderId))?.customerId, `order ${orderId} not found`);
    const now = new Date().toISOString();
    const work = [{ id: orderId, command: substituteOrderLineCommand(orderId, lineId, request.sku, now), at: now, cause: { correlationId, causationId: null } }];
    return this.orders
      .submit(work, async (tx, { outcomes }) => {
        const { state, decisions } = outcomes.get(orderId)!;
        const substituted = decisions.flatMap((decision) => decision.events).find((event) => event.type === 'OrderLineSubstituted');
        if (substituted?.type !== 'OrderLineSubstituted') throw new Error(`SubstituteOrderLine on ${orderId}/${lineId} decided no OrderLineSubstituted`);
        const { newLineId, sku, substituteSku, quantity } = substituted.data;
        this.logger.info({ orderId, lineId, newLineId, correlationId, quantity }, 'order line substituted');
        const body = { orderId, lineId, newLineId, sku, substituteSku, quantity, status: state.status as LineSubstitutedResponse['status'] };
        return this.idempotency.record(tx, idempotency, body);
      })
      .catch(orderNotFound(orderId));
  }
}
