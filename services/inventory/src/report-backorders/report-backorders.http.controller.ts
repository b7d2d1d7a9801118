import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { SCOPES } from '@fulfillment/contracts';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { errorBodySchema, openApiSchemaOf, RequiresScope, ZodValidationPipe } from '@fulfillment/platform';
import { backorderReportSchema } from '../openapi/openapi.schemas.js';
import { PlanningQueries, type BackorderReportRow } from '../planning/planning.queries.js';
import { BACKORDER_REPORT_COLUMNS, backordersCsv } from './backorders.csv.js';
import { reportBackordersQuery, type ReportBackordersQuery } from './report-backorders.request.js';

interface HttpResponse {
  setHeader(name: string, value: string): void;
}

export interface BackorderReport {
  asOf: string;
  skus: BackorderReportRow[];
}

@ApiTags('planning')
@Controller('reports')
export class ReportBackordersHttpController {
  constructor(@Inject(PlanningQueries) private readonly planning: PlanningQueries) {}

  @RequiresScope(SCOPES.inventoryRead)
  @Get('backorders')
  @ApiOperation({
    summary: 'Every SKU with units waiting: queue, coverage by purchase orders, demand and promises kept',
    description:
      'The longest wait first. coveredByIncoming: queued units open purchase orders cover; uncovered: queued units ' +
      'that neither open purchase orders nor stock held for a release cover; promiseKeptRatio: of the lines filled ' +
      'from the queue in the last 30 days, the share filled on or before the day (UTC) first promised to them ' +
      '(lines queued without a date do not count; null when none was filled). `?format=csv`: the same columns as CSV ' +
      '(header row first, empty cell for null).',
  })
  @ApiQuery({ name: 'format', required: false, schema: openApiSchemaOf(reportBackordersQuery.shape.format, 'input') })
  @ApiOkResponse({
    description: 'JSON by default; with format=csv, CSV with a header row',
    content: {
      'application/json': { schema: openApiSchemaOf(backorderReportSchema) },
      'text/csv': { schema: { type: 'string', example: `${BACKORDER_REPORT_COLUMNS.join(',')}\r\n` } },
    },
  })
  @ApiBadRequestResponse({ description: '`field` names the bad query parameter', schema: openApiSchemaOf(errorBodySchema) })
  async report(
    @Query(new ZodValidationPipe(reportBackordersQuery)) query: ReportBackordersQuery,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<BackorderReport | string> {
    const asOf = new Date().toISOString();
    const skus = await this.planning.backorderReport(asOf);
    if (query.format === 'json') return { asOf, skus };
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader('Content-Disposition', `inline; filename="backorders-${asOf.replace(/[:.]/g, '-')}.csv"`);
    return backordersCsv(skus);
  }
}
