import { Body, Param } from '@nestjs/common';
import { CommandContextOf, CommandController, CommandRoute, SCOPES, submitCommand, ZodValidationPipe, type CommandContext } from '@fulfillment/platform';
import { skuViewSchema } from '../openapi/openapi.schemas.js';
import { skuParamPipe } from '../sku/sku.param.js';
import { SkuPipeline } from '../sku/sku.pipeline.js';
import { skuResponse, type SkuResponse } from '../sku/sku.response.js';
import { adjustStockRequest, type AdjustStockRequest } from './adjust-stock.request.js';

@CommandController({ path: 'skus', tag: 'skus' })
export class AdjustStockHttpController {
  constructor(private readonly skus: SkuPipeline) {}

  /** 202 as docs/domain-rules.md asks; the adjustment and what it caused (allocations to the queue head) are already committed. */
  @CommandRoute({
    scope: SCOPES.inventoryWrite,
    method: 'POST',
    path: ':sku/adjustments',
    status: 202,
    summary: 'Correct the stock count',
    description:
      'A positive delta serves the backorder queue first (BackorderAllocated), then becomes free stock. A negative ' +
      'delta may only take free stock: units held for order lines are released by cancelling the line.',
    params: [{ name: 'sku', description: '1-100 letters, digits, ".", "_", ":" or "-"' }],
    body: { schema: adjustStockRequest },
    answer: { description: 'applied; the SKU afterwards', schema: skuViewSchema },
    refusals: { 400: '`field` names the bad field', 409: 'code `insufficient-stock`: fewer free units than removed' },
  })
  adjust(
    @Param('sku', skuParamPipe) sku: string,
    @Body(new ZodValidationPipe(adjustStockRequest)) body: AdjustStockRequest,
    @CommandContextOf() context: CommandContext,
  ): Promise<SkuResponse> {
    const command = { type: 'AdjustStock' as const, data: { delta: body.delta, reason: body.reason, now: new Date().toISOString() } };
    return submitCommand(this.skus, context, { id: sku, command }, ({ state }) => skuResponse(sku, state));
  }
}
