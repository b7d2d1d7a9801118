import { Body, Controller, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import { ZodValidationPipe } from '@fulfillment/platform';
import { CorrelationId } from '../http/correlation-id.decorator.js';
import { InventoryHttpErrorFilter } from '../http/inventory-http-error.filter.js';
import { skuParamPipe } from '../http/sku.param.js';
import { skuResponse, type SkuResponse } from '../http/sku.response.js';
import { SkuCommandsHandler } from '../sku/sku-commands.handler.js';
import { adjustStockRequest, type AdjustStockRequest } from './adjust-stock.request.js';

@Controller('skus')
@UseFilters(InventoryHttpErrorFilter)
export class AdjustStockHttpController {
  constructor(private readonly commands: SkuCommandsHandler) {}

  /** 202 as SPEC.md asks; the adjustment and what it caused (allocations to the queue head) are already committed. */
  @Post(':sku/adjustments')
  @HttpCode(202)
  async adjust(
    @Param('sku', skuParamPipe) sku: string,
    @Body(new ZodValidationPipe(adjustStockRequest)) body: AdjustStockRequest,
    @CorrelationId() correlationId: string,
  ): Promise<SkuResponse> {
    const outcomes = await this.commands.executeAlone([
      {
        sku,
        command: { type: 'AdjustStock', data: { delta: body.delta, reason: body.reason, now: new Date().toISOString() } },
        cause: { messageId: null, correlationId },
      },
    ]);
    return skuResponse(sku, outcomes.get(sku)!.state);
  }
}
