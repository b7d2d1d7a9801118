import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { openApiSchemaOf } from '@fulfillment/platform';
import { errorBodySchema, skuViewSchema } from '../openapi/openapi.schemas.js';
import { skuParamPipe } from '../http/sku.param.js';
import { skuResponse, type SkuResponse } from '../http/sku.response.js';
import { SkuRepository } from '../sku/sku.repository.js';

@ApiTags('skus')
@Controller('skus')
export class GetSkuHttpController {
  constructor(private readonly skus: SkuRepository) {}

  /** Read from the SKU's own stream (snapshot plus the events after it): always as current as the last commit. */
  @Get(':sku')
  @ApiOperation({ summary: 'Stock, reservations, the FIFO backorder queue and incoming purchase orders of a SKU' })
  @ApiParam({ name: 'sku', description: '1-100 letters, digits, ".", "_", ":" or "-"' })
  @ApiOkResponse({ schema: openApiSchemaOf(skuViewSchema) })
  @ApiBadRequestResponse({ description: 'the sku path segment is invalid', schema: openApiSchemaOf(errorBodySchema) })
  @ApiNotFoundResponse({ description: 'inventory has never heard of this SKU', schema: openApiSchemaOf(errorBodySchema) })
  async get(@Param('sku', skuParamPipe) sku: string): Promise<SkuResponse> {
    const { state, version } = await this.skus.load(sku);
    if (version === 0) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `SKU ${sku} is unknown` });
    return skuResponse(sku, state);
  }
}
