import { Body, Param } from '@nestjs/common';
import { isPlaced, type OrderStatus } from '@fulfillment/order-domain';
import { CommandContextOf, CommandController, CommandRoute, ZodValidationPipe, type CommandContext } from '@fulfillment/platform';
import { acceptedOrderSchema, ORDER_COMMAND, ORDER_REFUSALS } from '../openapi/openapi.schemas.js';
import { OrderCommandHttpController } from '../order/order-command.http.controller.js';
import { cancelOrderCommand } from './cancel-order.command.js';
import { cancelOrderRequestSchema, DEFAULT_CANCEL_REASON, type CancelOrderRequest } from './cancel-order.request.js';

@CommandController({ path: 'orders', tag: 'orders' })
export class CancelOrderHttpController extends OrderCommandHttpController {
  @CommandRoute({
    ...ORDER_COMMAND,
    customer: true,
    path: ':orderId/cancel',
    summary: 'Cancel an order',
    description: 'Releases what inventory holds for it. Cancelling a cancelled order changes nothing and answers 202 again.',
    body: { schema: cancelOrderRequestSchema, required: false },
    answer: { schema: acceptedOrderSchema },
    refusals: { ...ORDER_REFUSALS, 404: '', 409: 'the order cannot be cancelled (it was rejected)' },
  })
  async cancelOrder(
    @Param('orderId') orderId: string,
    @Body(new ZodValidationPipe(cancelOrderRequestSchema)) request: CancelOrderRequest,
    @CommandContextOf() context: CommandContext,
  ): Promise<{ orderId: string; status: OrderStatus }> {
    const command = (now: string) => cancelOrderCommand(orderId, request.reason ?? DEFAULT_CANCEL_REASON, now);
    return this.submit(context, orderId, command, ({ state, decisions }) => {
      if (!isPlaced(state)) throw new Error(`order ${orderId} has no state after its cancellation`);
      const changed = decisions.length > 0;
      this.logger.info({ orderId, correlationId: context.correlationId, changed }, changed ? 'order cancelled' : 'order was already cancelled');
      return { orderId, status: state.status };
    });
  }
}
