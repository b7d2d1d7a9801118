import { Body, Param } from '@nestjs/common';
import { CommandContextOf, CommandController, CommandRoute, SCOPES, submitCommand, ZodValidationPipe, type CommandContext } from '@fulfillment/platform';
import { skuViewSchema } from '../openapi/openapi.schemas.js';
import { skuParamPipe } from '../sku/sku.param.js';
import { SkuPipeline } from '../sku/sku.pipeline.js';
import { skuResponse, type SkuResponse } from '../sku/sku.response.js';
import { configureSkuRequest, type ConfigureSkuRequest } from './configure-sku.request.js';

@CommandController({ path: 'skus', tag: 'skus' })
export class ConfigureSkuHttpController {
  constructor(private readonly skus: SkuPipeline) {}

  @CommandRoute({
    scope: SCOPES.inventoryWrite,
    method: 'PUT',
    path: ':sku',
    status: 200,
    summary: 'Configure a SKU',
    description:
      'Replaces the whole configuration; a field left out takes its default (the four policies default to null). ' +
      'Lines already queued stay queued when backorderable is turned off or a cap or horizon is lowered. ' +
      '`maxBackorder` caps the units waiting at once, `maxWaitDays` refuses to queue a line promised later than that ' +
      '(or with no date), `autoCancelAfterDays` lets the expiry sweep (every EXPIRY_SWEEP_INTERVAL_MS) release lines ' +
      'that waited that long (reason expired), `releaseAt` makes the SKU a preorder SKU until the first sweep at or ' +
      'after it. The same configuration again changes nothing.',
    params: [{ name: 'sku', description: '1-100 letters, digits, ".", "_", ":" or "-"' }],
    body: { schema: configureSkuRequest },
    answer: { description: 'the SKU as configured', schema: skuViewSchema },
    refusals: { 400: '`field` names the bad field' },
  })
  configure(
    @Param('sku', skuParamPipe) sku: string,
    @Body(new ZodValidationPipe(configureSkuRequest)) body: ConfigureSkuRequest,
    @CommandContextOf() context: CommandContext,
  ): Promise<SkuResponse> {
    const command = { type: 'ConfigureSku' as const, data: { ...body, now: new Date().toISOString() } };
    return submitCommand(this.skus, context, { id: sku, command }, ({ state }) => skuResponse(sku, state));
  }
}
