import { Body, Controller, HttpCode, Param, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
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
import { configureSkuRequest, type ConfigureSkuRequest } from './configure-sku.request.js';

@ApiTags('skus')
@ApiHeader({ name: 'X-Correlation-Id', required: false, description: 'echoed back; a new UUID when absent' })
@Controller('skus')
export class ConfigureSkuHttpController {
  constructor(
    private readonly skus: SkuPipeline,
    private readonly idempotency: IdempotencyRecorder,
  ) {}

  @RequiresScope(SCOPES.inventoryWrite)
  @Put(':sku')
  @HttpCode(200)
  @Idempotent()
  @ApiOperation({
    summary: 'Configure a SKU',
    description:
      'Replaces the whole configuration; a field left out takes its default (the four policies default to null). ' +
      'Lines already queued stay queued when backorderable is turned off or a cap or horizon is lowered. ' +
      '`maxBackorder` caps the units waiting at once, `maxWaitDays` refuses to queue a line promised later than that ' +
      '(or with no date), `autoCancelAfterDays` lets the expiry sweep (every EXPIRY_SWEEP_INTERVAL_MS) release lines ' +
      'that waited that long (reason expired), `releaseAt` makes the SKU a preorder SKU until the first sweep at or ' +
      'after it. The same configuration again changes nothing.',
  })
  @ApiParam({ name: 'sku', description: '1-100 letters, digits, ".", "_", ":" or "-"' })
  @ApiBody({ schema: openApiSchemaOf(configureSkuRequest, 'input') })
  @ApiOkResponse({ description: 'the SKU as configured', schema: openApiSchemaOf(skuViewSchema) })
  @ApiBadRequestResponse({ description: '`field` names the bad field', schema: openApiSchemaOf(errorBodySchema) })
  configure(
    @Param('sku', skuParamPipe) sku: string,
    @Body(new ZodValidationPipe(configureSkuRequest)) body: ConfigureSkuRequest,
    @CorrelationId() correlationId: string,
    @IdempotencyOf() idempotency: IdempotentRequest | undefined,
  ): Promise<SkuResponse> {
    const command = { type: 'ConfigureSku' as const, data: { ...body, now: new Date().toISOString() } };
    return this.skus.submit([{ id: sku, command, cause: { correlationId, causationId: null } }], (tx, { outcomes }) =>
      this.idempotency.record(tx, idempotency, skuResponse(sku, outcomes.get(sku)!.state)),
    );
  }
}
