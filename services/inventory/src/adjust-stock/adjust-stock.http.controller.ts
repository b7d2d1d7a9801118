import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
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
import {
  CorrelationId,
  errorBodySchema,
  IdempotencyOf,
  IdempotencyRecorder,
  Idempotent,
  type IdempotentRequest,
  openApiSchemaOf,
  RequiresScope,
  SCOPES,
  ZodValidationPipe,
} from '@fulfillment/platform';
import { skuViewSchema } from '../openapi/openapi.schemas.js';
import { skuParamPipe } from '../sku/sku.param.js';
import { SkuPipeline } from '../sku/sku.pipeline.js';
import { skuResponse, type SkuResponse } from '../sku/sku.response.js';
import { adjustStockRequest, type AdjustStockRequest } from './adjust-stock.request.js';

@ApiTags('skus')
@ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'echoed back; a new UUID when absent' })
@Controller('skus')
export class AdjustStockHttpController {
  constructor(
    private readonly skus: SkuPipeline,
    private readonly idempotency: IdempotencyRecorder,
  ) {}

  /** 202 as docs/domain-rules.md asks; the adjustment and what it caused (allocations to the queue head) are already committed. */
  @RequiresScope(SCOPES.inventoryWrite)
  @Post(':sku/adjustments')
  @HttpCode(202)
  @Idempotent()
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
  adjust(
    @Param('sku', skuParamPipe) sku: string,
    @Body(new ZodValidationPipe(adjustStockRequest)) body: AdjustStockRequest,
    @CorrelationId() correlationId: string,
    @IdempotencyOf() idempotency: IdempotentRequest | undefined,
  ): Promise<SkuResponse> {
    const command = { type: 'AdjustStock' as const, data: { delta: body.delta, reason: body.reason, now: new Date().toISOString() } };
    return this.skus.submit([{ id: sku, command, cause: { correlationId, causationId: null } }], (tx, { outcomes }) =>
      this.idempotency.record(tx, idempotency, skuResponse(sku, outcomes.get(sku)!.state)),
    );
  }
}
