import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiHeader,
  ApiNotFoundResponse,
  ApiOperation,
  ApiPreconditionFailedResponse,
  ApiTags,
} from '@nestjs/swagger';
import { shipmentOf } from '@fulfillment/order-domain';
import {
  CorrelationId,
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
import { shipmentSchema, type ShipmentResponse } from '../openapi/openapi.schemas.js';
import { orderNotFound } from '../order/order-not-found.js';
import { OrderPipeline } from '../order/order.pipeline.js';
import { shipOrderCommand } from './ship-order.command.js';
import { shipOrderRequestSchema, type ShipOrderRequest } from './ship-order.request.js';

@ApiTags('orders')
@ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'echoed back; a new UUID when absent' })
@Controller('orders')
export class ShipOrderHttpController {
  constructor(
    private readonly orders: OrderPipeline,
    private readonly idempotency: IdempotencyRecorder,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @RequiresScope(SCOPES.ordersWrite)
  @Post(':orderId/shipments')
  @HttpCode(201)
  @Idempotent()
  @ApiOperation({
    summary: 'Record a shipment',
    description:
      'Ships reserved or allocated units of the order (OrderShipped; inventory then lowers on hand and reserved). ' +
      'Without `shipmentId` the service assigns one. A shipmentId already recorded answers that shipment again and ' +
      'records nothing, whatever lines the repeat names.',
  })
  @ApiBody({ schema: openApiSchemaOf(shipOrderRequestSchema, 'input') })
  @ApiCreatedResponse({ description: 'the shipment as recorded', schema: openApiSchemaOf(shipmentSchema) })
  @ApiBadRequestResponse({ description: 'invalid body or header; `field` names it', schema: openApiSchemaOf(errorBodySchema) })
  @ApiNotFoundResponse({ description: 'no such order', schema: openApiSchemaOf(errorBodySchema) })
  @ApiConflictResponse({
    description: 'code `units-not-shippable`: a line has fewer reserved or allocated units than asked (the message names it)',
    schema: openApiSchemaOf(errorBodySchema),
  })
  @ApiPreconditionFailedResponse({ description: 'the order changed while the request was applied; retry', schema: openApiSchemaOf(errorBodySchema) })
  async ship(
    @Param('orderId') orderId: string,
    @Body(new ZodValidationPipe(shipOrderRequestSchema)) request: ShipOrderRequest,
    @CorrelationId() correlationId: string,
    @IdempotencyOf() idempotency: IdempotentRequest | undefined,
  ): Promise<ShipmentResponse> {
    const now = new Date().toISOString();
    const shipmentId = request.shipmentId ?? randomUUID();
    const work = [{ id: orderId, command: shipOrderCommand(orderId, shipmentId, request, now), at: now, cause: { correlationId, causationId: null } }];
    return this.orders
      .submit(work, async (tx, { outcomes }) => {
        const { state, decisions } = outcomes.get(orderId)!;
        const shipment = shipmentOf(state, shipmentId);
        if (shipment === null) throw new Error(`order ${orderId} has no shipment ${shipmentId} after ShipOrder`);
        const repeat = decisions.length === 0;
        this.logger.info({ orderId, shipmentId, correlationId, repeat }, repeat ? 'shipment was already recorded' : 'shipment recorded');
        const { lines, carrier, trackingId, shippedAt } = shipment;
        const body = { orderId, shipmentId, lines: lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })), carrier, trackingId, shippedAt };
        return this.idempotency.record(tx, idempotency, body);
      })
      .catch(orderNotFound(orderId));
  }
}
