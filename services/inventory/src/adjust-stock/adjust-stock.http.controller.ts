import { Body, Controller, HttpCode, Param, Post, UseFilters } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConflictResponse,
  ApiHeader,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { openApiSchemaOf, ZodValidationPipe } from '@fulfillment/platform';
import { CorrelationId } from '../http/correlation-id.decorator.js';
import { errorBodySchema, skuViewSchema } from '../openapi/openapi.schemas.js';
import { InventoryHttpErrorFilter } from '../http/inventory-http-error.filter.js';
import { skuParamPipe } from '../http/sku.param.js';
import { skuResponse, type SkuResponse } from '../http/sku.response.js';
import { SkuCommandsHandler } from '../sku/sku-commands.handler.js';
import { adjustStockRequest, type AdjustStockRequest } from './adjust-stock.request.js';

@ApiTags('skus')
@ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'echoed back; a new UUID when absent' })
@Controller('skus')
@UseFilters(InventoryHttpErrorFilter)
export class AdjustStockHttpController {
  constructor(private readonly commands: SkuCommandsHandler) {}

  /** 202 as SPEC.md asks; the adjustment and what it caused (allocations to the queue head) are already committed. */
  @Post(':sku/adjustments')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Correct the stock count',
    description:
      'A positive delta serves the backorder queue first (BackorderAllocated), then becomes free stock. A negative ' +
      'delta may only take free stock: units held for order lines are released by cancelling the line.',
  })
  @ApiParam({ name: 'sku', description: '1-100 letters, digits, ".", "_", ":" or "-"' })
  @ApiBody({ schema: openApiSchemaOf(adjustStockRequest, 'input') })
  @ApiAcceptedResponse({ description: 'applied; the SKU afterwards', schema: openApiSchemaOf(skuViewSchema) })
  @ApiBadRequestResponse({ description: '`field` names the bad field', schema: openApiSchemaOf(errorBodySchema) })
  @ApiConflictResponse({ description: 'code `insufficient-stock`: fewer free units than removed', schema: openApiSchemaOf(errorBodySchema) })
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
