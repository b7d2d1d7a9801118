import { Body, Param } from '@nestjs/common';
import { CommandContextOf, CommandController, CommandRoute, ZodValidationPipe, type CommandContext } from '@fulfillment/platform';
import { lineSubstitutedSchema, ORDER_COMMAND, ORDER_REFUSALS, type LineSubstitutedResponse } from '../openapi/openapi.schemas.js';
import { OrderCommandHttpController } from '../order/order-command.http.controller.js';
import { substituteOrderLineCommand } from './substitute-order-line.command.js';
import { substituteOrderLineRequestSchema, type SubstituteOrderLineRequest } from './substitute-order-line.request.js';

@CommandController({ path: 'orders', tag: 'orders' })
export class SubstituteOrderLineHttpController extends OrderCommandHttpController {
  @CommandRoute({
    ...ORDER_COMMAND,
    customer: true,
    path: ':orderId/lines/:lineId/substitute',
    summary: 'Accept a substitute for the waiting or unavailable units of a line',
    description:
      "`sku` must be one of the substitutes inventory named for the line's SKU. Those units are released from the " +
      'line (reason `substituted`) and a new line `newLineId` for `sku` with that quantity is added to the order, ' +
      'answered by inventory like any new line (OrderLineSubstituted).',
    body: { schema: substituteOrderLineRequestSchema },
    answer: { description: 'substituted; inventory answers the new line next', schema: lineSubstitutedSchema },
    refusals: {
      ...ORDER_REFUSALS,
      404: 'no such order, or code `line-not-found`',
      409: 'code `line-not-substitutable`: nothing of the line waits or is unavailable, `sku` is not one of its substitutes, or the order is cancelled',
    },
  })
  async substitute(
    @Param('orderId') orderId: string,
    @Param('lineId') lineId: string,
    @Body(new ZodValidationPipe(substituteOrderLineRequestSchema)) request: SubstituteOrderLineRequest,
    @CommandContextOf() context: CommandContext,
  ): Promise<LineSubstitutedResponse> {
    const command = (now: string) => substituteOrderLineCommand(orderId, lineId, request.sku, now);
    return this.submit(context, orderId, command, ({ state, decisions }) => {
      const substituted = decisions.flatMap((decision) => decision.events).find((event) => event.type === 'OrderLineSubstituted');
      if (substituted?.type !== 'OrderLineSubstituted') throw new Error(`SubstituteOrderLine on ${orderId}/${lineId} decided no OrderLineSubstituted`);
      const { newLineId, sku, substituteSku, quantity } = substituted.data;
      this.logger.info({ orderId, lineId, newLineId, correlationId: context.correlationId, quantity }, 'order line substituted');
      return { orderId, lineId, newLineId, sku, substituteSku, quantity, status: state.status as LineSubstitutedResponse['status'] };
    });
  }
}
