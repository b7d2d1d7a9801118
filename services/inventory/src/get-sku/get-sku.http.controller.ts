import { Controller, Get, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import {
  errorBodySchema,
  HttpFieldError,
  openApiSchemaOf,
  RequiresScope,
  SCOPES,
} from '@fulfillment/platform';
import { skuViewSchema } from '../openapi/openapi.schemas.js';
import { skuParamPipe } from '../sku/sku.param.js';
import { SkuPipeline } from '../sku/sku.pipeline.js';
import { skuResponse, type SkuResponse } from '../sku/sku.response.js';

@ApiTags('skus')
@Controller('skus')
export class GetSkuHttpController {
  constructor(private readonly skus: SkuPipeline) {}

  /** Read from the SKU's own stream (snapshot plus the events after it): always as current as the last commit. */
  @RequiresScope(SCOPES.inventoryRead)
  @Get(':sku')
  @ApiOperation({ summary: 'Stock, reservations, the FIFO backorder queue and incoming purchase orders of a SKU' })
  @ApiParam({ name: 'sku', description: '1-100 letters, digits, ".", "_", ":" or "-"' })
  @ApiOkResponse({ schema: openApiSchemaOf(skuViewSchema) })
  @ApiBadRequestResponse({ description: 'the sku path segment is invalid', schema: openApiSchemaOf(errorBodySchema) })
  @ApiNotFoundResponse({ description: 'inventory has never heard of this SKU', schema: openApiSchemaOf(errorBodySchema) })
  async get(@Param('sku', skuParamPipe) sku: string): Promise<SkuResponse> {
    const { state, version } = await this.skus.read(sku);
    if (version === 0) throw new HttpFieldError(404, undefined, `SKU ${sku} is unknown`);
    return skuResponse(sku, state);
  }
}
