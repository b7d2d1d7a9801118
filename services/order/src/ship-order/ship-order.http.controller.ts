import { randomUUID } from 'node:crypto';
import { Body, Param } from '@nestjs/common';
import { shipmentOf } from '@fulfillment/order-domain';
import { CommandContextOf, CommandController, CommandRoute, ZodValidationPipe, type CommandContext } from '@fulfillment/platform';
import { ORDER_COMMAND, ORDER_REFUSALS, shipmentSchema, type ShipmentResponse } from '../openapi/openapi.schemas.js';
import { OrderCommandHttpController } from '../order/order-command.http.controller.js';
import { shipOrderCommand } from './ship-order.command.js';
import { shipOrderRequestSchema, type ShipOrderRequest } from './ship-order.request.js';

@CommandController({ path: 'orders', tag: 'orders' })
export class ShipOrderHttpController extends OrderCommandHttpController {
  @CommandRoute({
    ...ORDER_COMMAND,
    path: ':orderId/shipments',
    status: 201,
    summary: 'Record a shipment',
    description:
      'Ships reserved or allocated units of the order (OrderShipped; inventory then lowers on hand and reserved). ' +
      'Without `shipmentId` the service assigns one. A shipmentId already recorded answers that shipment again and ' +
      'records nothing, whatever lines the repeat names.',
    body: { schema: shipOrderRequestSchema },
    answer: { description: 'the shipment as recorded', schema: shipmentSchema },
    refusals: {
      ...ORDER_REFUSALS,
      404: 'no such order',
      409: 'code `units-not-shippable`: a line has fewer reserved or allocated units than asked (the message names it)',
    },
  })
  async ship(
    @Param('orderId') orderId: string,
    @Body(new ZodValidationPipe(shipOrderRequestSchema)) request: ShipOrderRequest,
    @CommandContextOf() context: CommandContext,
  ): Promise<ShipmentResponse> {
    const shipmentId = request.shipmentId ?? randomUUID();
    const command = (now: string) => shipOrderCommand(orderId, shipmentId, request, now);
    return this.submit(context, orderId, command, ({ state, decisions }) => {
      const shipment = shipmentOf(state, shipmentId);
      if (shipment === null) throw new Error(`order ${orderId} has no shipment ${shipmentId} after ShipOrder`);
      const repeat = decisions.length === 0;
      this.logger.info({ orderId, shipmentId, correlationId: context.correlationId, repeat }, repeat ? 'shipment was already recorded' : 'shipment recorded');
      const { lines, carrier, trackingId, shippedAt } = shipment;
      return { orderId, shipmentId, lines: lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })), carrier, trackingId, shippedAt };
    });
  }
}
