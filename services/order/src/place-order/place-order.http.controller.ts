import { randomUUID } from 'node:crypto';
import { Body, Inject } from '@nestjs/common';
import { CommandContextOf, CommandController, CommandRoute, HttpFieldError, LOGGER, submitCommand, ZodValidationPipe, type CommandContext } from '@fulfillment/platform';
import type { Logger } from 'pino';
import { acceptedOrderSchema, ORDER_COMMAND, ORDER_REFUSALS } from '../openapi/openapi.schemas.js';
import { OrderPipeline } from '../order/order.pipeline.js';
import { legacyPlaceOrderFingerprint, placeOrderCommand } from './place-order.command.js';
import { placeOrderRequestSchema, type PlaceOrderRequest } from './place-order.request.js';

interface AcceptedOrder {
  orderId: string;
  status: 'pending';
}

@CommandController({ path: 'orders', tag: 'orders' })
export class PlaceOrderHttpController {
  constructor(
    private readonly orders: OrderPipeline,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @CommandRoute({
    ...ORDER_COMMAND,
    customer: true,
    idempotent: {
      headers: (body) => ({ Location: `/orders/${encodeURIComponent((body as AcceptedOrder).orderId)}` }),
      legacyFingerprint: legacyPlaceOrderFingerprint,
    },
    summary: 'Place an order',
    description: 'Line ids are assigned as `<orderId>-1`, `<orderId>-2`, ... in request order.',
    body: { schema: placeOrderRequestSchema },
    answer: { description: 'accepted, pending inventory', schema: acceptedOrderSchema },
    refusals: { 400: ORDER_REFUSALS[400] },
  })
  async placeOrder(
    @Body(new ZodValidationPipe(placeOrderRequestSchema)) request: PlaceOrderRequest,
    @CommandContextOf() context: CommandContext,
  ): Promise<AcceptedOrder> {
    const { caller, correlationId } = context;
    if (caller.customerId !== null && caller.customerId !== request.customerId) {
      throw new HttpFieldError(403, 'customerId', 'a customer token places orders for its own customer only', 'insufficient-scope');
    }
    const orderId = randomUUID();
    const now = new Date().toISOString();
    const command = placeOrderCommand(orderId, request, now);
    const answer = await submitCommand(this.orders, context, { id: orderId, command, at: now }, () => ({ orderId, status: 'pending' as const }));
    this.logger.info({ orderId, correlationId, lines: request.lines.length }, 'order placed');
    return answer;
  }
}
