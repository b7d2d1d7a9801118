import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { skuParamPipe } from '../http/sku.param.js';
import { skuResponse, type SkuResponse } from '../http/sku.response.js';
import { SkuRepository } from '../sku/sku.repository.js';

@Controller('skus')
export class GetSkuHttpController {
  constructor(private readonly skus: SkuRepository) {}

  /** Read from the SKU's own stream (snapshot plus the events after it): always as current as the last commit. */
  @Get(':sku')
  async get(@Param('sku', skuParamPipe) sku: string): Promise<SkuResponse> {
    const { state, version } = await this.skus.load(sku);
    if (version === 0) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `SKU ${sku} is unknown` });
    return skuResponse(sku, state);
  }
}
