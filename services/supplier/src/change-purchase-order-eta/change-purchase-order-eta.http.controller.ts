import { Body, Param } from '@nestjs/common';
import { CommandContextOf, CommandController, CommandRoute, notFoundAs, SCOPES, submitCommand, ZodValidationPipe, type CommandContext } from '@fulfillment/platform';
import { purchaseOrderView, type PurchaseOrderView } from '@fulfillment/supplier-domain';
import { commandResponse, correlationIdHeader, purchaseOrderViewSchema } from '../openapi/openapi.schemas.js';
import { PurchaseOrderPipeline } from '../purchase-order/purchase-order.pipeline.js';
import { changePurchaseOrderEtaRequest, type ChangePurchaseOrderEtaRequest } from './change-purchase-order-eta.request.js';

@CommandController({ path: 'purchase-orders', tag: 'purchase-orders', correlationHeader: correlationIdHeader })
export class ChangePurchaseOrderEtaHttpController {
  constructor(private readonly purchaseOrders: PurchaseOrderPipeline) {}

  /** Moves the expected arrival; the same instant again changes and publishes nothing. */
  @CommandRoute({
    scope: SCOPES.purchasingWrite,
    method: 'PATCH',
    path: ':purchaseOrderId',
    summary: 'Move the expected date of a purchase order',
    description:
      'Publishes PurchaseOrderEtaChanged, unless the instant is the one the purchase order already has; inventory ' +
      'then moves the promised dates of the backorders waiting for it.',
    body: { schema: changePurchaseOrderEtaRequest() },
    answer: commandResponse({ description: 'the purchase order with its new date', schema: purchaseOrderViewSchema }),
    refusals: {
      400: 'an invalid field or header; `field` names it',
      404: 'no such purchase order',
      409: 'code `purchase-order-closed`: the purchase order was received or closed',
      412: 'the purchase order changed concurrently; retry',
    },
  })
  change(
    @CommandContextOf() context: CommandContext,
    @Param('purchaseOrderId') purchaseOrderId: string,
    @Body(new ZodValidationPipe(changePurchaseOrderEtaRequest())) body: ChangePurchaseOrderEtaRequest,
  ): Promise<PurchaseOrderView> {
    const command = { type: 'ChangePurchaseOrderEta' as const, data: { purchaseOrderId, expectedAt: body.expectedAt, now: new Date().toISOString() } };
    return submitCommand(this.purchaseOrders, context, { id: purchaseOrderId, command }, ({ state }) => purchaseOrderView(state)!).catch(
      notFoundAs(`purchase order ${purchaseOrderId} does not exist`),
    );
  }
}
