import { Body, Param } from '@nestjs/common';
import { orderView } from '@fulfillment/order-domain';
import { CommandContextOf, CommandController, CommandRoute, ZodValidationPipe, type CommandContext } from '@fulfillment/platform';
import { lineCancelledSchema, ORDER_COMMAND, ORDER_REFUSALS, type LineCancelledResponse } from '../openapi/openapi.schemas.js';
import { OrderCommandHttpController } from '../order/order-command.http.controller.js';
import { cancelOrderLineCommand } from './cancel-order-line.command.js';
import { cancelOrderLineRequestSchema, type CancelOrderLineRequest } from './cancel-order-line.request.js';

@CommandController({ path: 'orders', tag: 'orders' })
export class CancelOrderLineHttpController extends OrderCommandHttpController {
  @CommandRoute({
    ...ORDER_COMMAND,
    customer: true,
    path: ':orderId/lines/:lineId/cancel',
    summary: 'Cancel a line or part of it',
    description:
      'Without `quantity`, every unit of the line not shipped (nor already released or unavailable); with it, that ' +
      'many, taken first from the units still waiting, then from reserved or allocated ones (OrderLineCancelled). ' +
      'Inventory releases them and the freed stock serves its queue head first.',
    body: { schema: cancelOrderLineRequestSchema, required: false },
    answer: { description: 'cancelled; the line afterwards', schema: lineCancelledSchema },
    refusals: {
      ...ORDER_REFUSALS,
      404: 'no such order, or code `line-not-found`',
      409: 'code `line-not-cancellable`: fewer units left to cancel than asked (shipped units cannot be cancelled)',
    },
  })
  async cancelLine(
    @Param('orderId') orderId: string,
    @Param('lineId') lineId: string,
    @Body(new ZodValidationPipe(cancelOrderLineRequestSchema)) request: CancelOrderLineRequest,
    @CommandContextOf() context: CommandContext,
  ): Promise<LineCancelledResponse> {
    const command = (now: string) => cancelOrderLineCommand(orderId, lineId, request, now);
    return this.submit(context, orderId, command, ({ state, decisions }) => {
      const cancelled = decisions.flatMap((decision) => decision.events).find((event) => event.type === 'OrderLineCancelled');
      const view = orderView(state);
      const line = view?.lines.find((candidate) => candidate.lineId === lineId);
      if (cancelled?.type !== 'OrderLineCancelled' || view === null || line === undefined) {
        throw new Error(`CancelOrderLine on ${orderId}/${lineId} decided no OrderLineCancelled`);
      }
      this.logger.info({ orderId, lineId, correlationId: context.correlationId, quantity: cancelled.data.quantity }, 'order line cancelled');
      return { orderId, lineId, quantity: cancelled.data.quantity, reason: cancelled.data.reason, status: view.status, line };
    });
  }
}
