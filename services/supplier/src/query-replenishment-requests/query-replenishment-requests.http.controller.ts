import { Controller, Get, Inject, Query } from '@nestjs/common';
import { SCOPES } from '@fulfillment/contracts';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiQueryOf, openApiSchemaOf, RequiresScope, RUNTIME, ZodValidationPipe, type ServiceRuntime } from '@fulfillment/platform';
import { z } from 'zod';
import { errorResponse, replenishmentRequestViewSchema } from '../openapi/openapi.schemas.js';
import { ReplenishmentRequestsRepository, type ReplenishmentRequestView } from '../replenishment-request/replenishment-requests.repository.js';
import { listReplenishmentRequestsQuery, type ListReplenishmentRequestsQuery } from './query-replenishment-requests.request.js';

@ApiTags('replenishment-requests')
@Controller('replenishment-requests')
export class QueryReplenishmentRequestsHttpController {
  constructor(
    @Inject(RUNTIME) private readonly rt: ServiceRuntime,
    private readonly requests: ReplenishmentRequestsRepository,
  ) {}

  @RequiresScope(SCOPES.purchasingRead)
  @Get()
  @ApiOperation({
    summary: "Inventory's replenishment requests, oldest first",
    description:
      'open: no purchase order answers the request yet; a request no supplier terms could plan (unplannedReason ' +
      'no-lead-time) stays open until a later planned request supersedes it or a purchase order placed by hand ' +
      'covers it in full (answer manual, oldest requests first).',
  })
  @ApiQueryOf(listReplenishmentRequestsQuery, 'status', 'sku', 'limit')
  @ApiOkResponse({ schema: openApiSchemaOf(z.array(replenishmentRequestViewSchema)) })
  @ApiBadRequestResponse(errorResponse('an invalid query parameter; `field` names it'))
  list(@Query(new ZodValidationPipe(listReplenishmentRequestsQuery)) query: ListReplenishmentRequestsQuery): Promise<ReplenishmentRequestView[]> {
    return this.requests.list(this.rt.pool, query);
  }
}
