import { Body, Controller, HttpCode, Param, Put, UseFilters } from '@nestjs/common';
import { ZodValidationPipe } from '@fulfillment/platform';
import { CorrelationId } from '../http/correlation-id.decorator.js';
import { InventoryHttpErrorFilter } from '../http/inventory-http-error.filter.js';
import { skuParamPipe } from '../http/sku.param.js';
import { skuResponse, type SkuResponse } from '../http/sku.response.js';
import { SkuCommandsHandler } from '../sku/sku-commands.handler.js';
import { configureSkuRequest, type ConfigureSkuRequest } from './configure-sku.request.js';

@Controller('skus')
@UseFilters(InventoryHttpErrorFilter)
export class ConfigureSkuHttpController {
  constructor(private readonly commands: SkuCommandsHandler) {}

  @Put(':sku')
  @HttpCode(200)
  async configure(
    @Param('sku', skuParamPipe) sku: string,
    @Body(new ZodValidationPipe(configureSkuRequest)) body: ConfigureSkuRequest,
    @CorrelationId() correlationId: string,
  ): Promise<SkuResponse> {
    const outcomes = await this.commands.executeAlone([
      {
        sku,
        command: { type: 'ConfigureSku', data: { ...body, now: new Date().toISOString() } },
        cause: { messageId: null, correlationId },
      },
    ]);
    return skuResponse(sku, outcomes.get(sku)!.state);
  }
}
