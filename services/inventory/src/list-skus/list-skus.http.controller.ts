import { Controller, Get, Inject, Query } from '@nestjs/common';
import { SCOPES } from '@fulfillment/contracts';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiQueryOf, errorBodySchema, openApiSchemaOf, RequiresScope, ZodValidationPipe } from '@fulfillment/platform';
import { skuListingSchema } from '../openapi/openapi.schemas.js';
import { decodeCursor, encodeCursor } from '../planning/planning.cursor.js';
import { PlanningQueries, type SkuPlanningRow } from '../planning/planning.queries.js';
import { listSkusQuery, type ListSkusQuery } from './list-skus.request.js';

export interface SkuListingResponse {
  items: SkuPlanningRow[];
  nextCursor: string | null;
  asOf: string;
}

@ApiTags('planning')
@Controller('skus')
export class ListSkusHttpController {
  constructor(@Inject(PlanningQueries) private readonly planning: PlanningQueries) {}

  /** From the planning read models (a fraction of a second behind the SKUs' own streams). */
  @RequiresScope(SCOPES.inventoryRead)
  @Get()
  @ApiOperation({
    summary: 'SKUs with their stock, queue and demand, page by page',
    description:
      'demand7d / demand30d: units ordered (reserved + queued + unavailable) by lines first answered in the last 7 / 30 ' +
      'days. Paging is by an opaque cursor: pass nextCursor back with the same sort and filter; every page counts ' +
      "demand over the first page's windows (asOf), so rows neither repeat nor go missing between pages.",
  })
  @ApiQueryOf(listSkusQuery, 'backordered', 'sort', 'limit', 'cursor')
  @ApiOkResponse({ schema: openApiSchemaOf(skuListingSchema) })
  @ApiBadRequestResponse({ description: '`field` names the bad query parameter (a bad cursor: `cursor`)', schema: openApiSchemaOf(errorBodySchema) })
  async list(@Query(new ZodValidationPipe(listSkusQuery)) query: ListSkusQuery): Promise<SkuListingResponse> {
    const listing = { sort: query.sort, backordered: query.backordered ?? null };
    const after = query.cursor === undefined ? null : decodeCursor(query.cursor, listing);
    const asOf = after?.asOf ?? new Date().toISOString();
    const { rows, more } = await this.planning.listSkus({ ...listing, limit: query.limit, asOf, after });
    const last = rows.at(-1);
    return {
      items: rows,
      nextCursor: more && last ? encodeCursor({ ...listing, asOf, sku: last.sku, demand30d: last.demand30d, demand7d: last.demand7d }) : null,
      asOf,
    };
  }
}
