import { Body, Controller, HttpCode, Param, Put, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
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
import { configureSkuRequest, type ConfigureSkuRequest } from './configure-sku.request.js';

@ApiTags('skus')
@ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'echoed back; a new UUID when absent' })
@Controller('skus')
@UseFilters(InventoryHttpErrorFilter)
export class ConfigureSkuHttpController {
  constructor(private readonly commands: SkuCommandsHandler) {}

  @Put(':sku')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Configure a SKU',
    description:
      'Replaces the whole configuration; a field left out takes its default. Lines already queued stay queued. ' +
      'The same configuration again changes nothing.',
  })
  @ApiParam({ name: 'sku', description: '1-100 letters, digits, ".", "_", ":" or "-"' })
  @ApiBody({ schema: openApiSchemaOf(configureSkuRequest, 'input') })
  @ApiOkResponse({ description: 'the SKU as configured', schema: openApiSchemaOf(skuViewSchema) })
  @ApiBadRequestResponse({ description: '`field` names the bad field', schema: openApiSchemaOf(errorBodySchema) })
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
