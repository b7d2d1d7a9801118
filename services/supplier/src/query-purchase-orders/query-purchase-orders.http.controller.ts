import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiQueryOf, openApiSchemaOf, RequiresScope, SCOPES, ZodValidationPipe } from '@fulfillment/platform';
import { z } from 'zod';
import type { PurchaseOrderView } from '@fulfillment/supplier-domain';
import { errorResponse, historyEntrySchema, purchaseOrderViewSchema } from '../openapi/openapi.schemas.js';
import { PurchaseOrderQueries, type PurchaseOrderHistoryEntry } from './purchase-order.queries.js';
import { listPurchaseOrdersQuery, type ListPurchaseOrdersQuery } from './query-purchase-orders.request.js';

@ApiTags('purchase-orders')
@Controller('purchase-orders')
export class QueryPurchaseOrdersHttpController {
  constructor(private readonly queries: PurchaseOrderQueries) {}

  /** Oldest placement first, optionally for one SKU and/or status. */
  @RequiresScope(SCOPES.purchasingRead)
  @Get()
  @ApiOperation({ summary: 'Purchase orders, oldest placement first' })
  @ApiQueryOf(listPurchaseOrdersQuery, 'sku', 'status', 'limit')
  @ApiOkResponse({ schema: openApiSchemaOf(z.array(purchaseOrderViewSchema)) })
  @ApiBadRequestResponse(errorResponse('an invalid query parameter; `field` names it'))
  list(@Query(new ZodValidationPipe(listPurchaseOrdersQuery)) query: ListPurchaseOrdersQuery): Promise<PurchaseOrderView[]> {
    return this.queries.list(query);
  }

  @RequiresScope(SCOPES.purchasingRead)
  @Get(':purchaseOrderId')
  @ApiOperation({ summary: 'A purchase order, folded from its own events (never behind what was acknowledged)' })
  @ApiOkResponse({ schema: openApiSchemaOf(purchaseOrderViewSchema) })
  @ApiNotFoundResponse(errorResponse('no such purchase order'))
  get(@Param('purchaseOrderId') purchaseOrderId: string): Promise<PurchaseOrderView> {
    return this.queries.get(purchaseOrderId);
  }

  @RequiresScope(SCOPES.purchasingRead)
  @Get(':purchaseOrderId/events')
  @ApiOperation({ summary: "The purchase order's events, oldest first" })
  @ApiOkResponse({ schema: openApiSchemaOf(z.array(historyEntrySchema)) })
  @ApiNotFoundResponse(errorResponse('no such purchase order'))
  history(@Param('purchaseOrderId') purchaseOrderId: string): Promise<PurchaseOrderHistoryEntry[]> {
    return this.queries.history(purchaseOrderId);
  }
}
