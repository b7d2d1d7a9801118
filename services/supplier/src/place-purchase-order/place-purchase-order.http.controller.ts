import { randomUUID } from 'node:crypto';
import { Body, Inject, Res } from '@nestjs/common';
import {
  CommandContextOf,
  CommandController,
  CommandRoute,
  HttpFieldError,
  IDEMPOTENCY_KEY_HEADER,
  LOGGER,
  REPLAYED_HEADER,
  SCOPES,
  submitCommand,
  ZodValidationPipe,
  type CommandContext,
} from '@fulfillment/platform';
import { isPlaced, purchaseOrderView, type PurchaseOrderView } from '@fulfillment/supplier-domain';
import type { Logger } from 'pino';
import { commandResponse, correlationIdHeader, purchaseOrderViewSchema } from '../openapi/openapi.schemas.js';
import { keyedPurchaseOrderId } from '../purchase-order/derived-ids.js';
import { PurchaseOrderPipeline } from '../purchase-order/purchase-order.pipeline.js';
import { ReplenishmentPipeline } from '../replenishment-request/replenishment.pipeline.js';
import { placePurchaseOrderRequest, type PlacePurchaseOrderRequest } from './place-purchase-order.request.js';

interface HttpResponse {
  setHeader(name: string, value: string): void;
}

@CommandController({ path: 'purchase-orders', tag: 'purchase-orders', correlationHeader: correlationIdHeader })
export class PlacePurchaseOrderHttpController {
  constructor(
    private readonly purchaseOrders: PurchaseOrderPipeline,
    private readonly requests: ReplenishmentPipeline,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * A manual purchase order. With an Idempotency-Key its id is derived from the key, as the release before did: a key
   * that release recorded still finds the purchase order it placed. In the same transaction it answers the SKU's open
   * replenishment requests it covers in full, oldest first.
   */
  @CommandRoute({
    scope: SCOPES.purchasingWrite,
    method: 'POST',
    status: 201,
    idempotent: { headers: (body) => ({ Location: `/purchase-orders/${encodeURIComponent((body as PurchaseOrderView).purchaseOrderId)}` }) },
    summary: 'Place a purchase order',
    description:
      "Publishes PurchaseOrderPlaced (reason manual), and answers the SKU's open replenishment requests it covers in " +
      'full, oldest first (GET /replenishment-requests: answer manual).',
    body: { schema: placePurchaseOrderRequest() },
    answer: commandResponse({
      description: 'placed (or, with a repeated Idempotency-Key, the one placed before)',
      schema: purchaseOrderViewSchema,
      headers: {
        Location: { description: '/purchase-orders/<purchaseOrderId>' },
        [REPLAYED_HEADER]: { description: 'true when a repeated Idempotency-Key found the purchase order placed before' },
      },
    }),
    refusals: { 400: 'an invalid field or header; `field` names it' },
  })
  async place(
    @CommandContextOf() context: CommandContext,
    @Body(new ZodValidationPipe(placePurchaseOrderRequest())) body: PlacePurchaseOrderRequest,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<PurchaseOrderView> {
    const { sku, quantity, expectedAt } = body;
    const { correlationId, idempotency } = context;
    const purchaseOrderId = idempotency ? keyedPurchaseOrderId(idempotency.key) : randomUUID();
    const command = {
      type: 'PlacePurchaseOrder' as const,
      data: { purchaseOrderId, sku, quantity, expectedAt, reason: 'manual' as const, now: new Date().toISOString() },
    };
    const work = { id: purchaseOrderId, command, ...(idempotency ? { skipIf: isPlaced } : {}) };
    return submitCommand(this.purchaseOrders, context, work, async ({ state }, tx, { results }) => {
      if (!isPlaced(state)) throw new Error(`purchase order ${purchaseOrderId} is not placed after PlacePurchaseOrder`);
      const [result] = results;
      if (result?.ok && result.decision === null) {
        // Placed under this key by the release before, which recorded no answer: the same request is a replay.
        if (state.sku !== sku || state.quantity !== quantity) {
          throw new HttpFieldError(422, IDEMPOTENCY_KEY_HEADER, 'was already used for a different request');
        }
        response.setHeader(REPLAYED_HEADER, 'true');
      } else {
        this.logger.info({ purchaseOrderId, sku, quantity }, 'purchase order placed');
        const answer = { type: 'AnswerReplenishmentRequests' as const, data: { sku, purchaseOrderId, quantity, now: command.data.now } };
        await this.requests.handle(tx, [{ id: sku, command: answer, cause: { correlationId, causationId: null } }]);
      }
      return purchaseOrderView(state)!;
    });
  }
}
