import { Controller, Get, Param, Query } from '@nestjs/common';
import { ZodValidationPipe } from '@fulfillment/platform';
import type { PurchaseOrderView } from '@fulfillment/supplier-domain';
import { PurchaseOrderQueries, type PurchaseOrderHistoryEntry } from './purchase-order.queries.js';
import { listPurchaseOrdersQuery, type ListPurchaseOrdersQuery } from './query-purchase-orders.request.js';

@Controller('purchase-orders')
export class QueryPurchaseOrdersHttpController {
  constructor(private readonly queries: PurchaseOrderQueries) {}

  /** Oldest placement first, optionally for one SKU and/or status. */
  @Get()
  list(@Query(new ZodValidationPipe(listPurchaseOrdersQuery)) query: ListPurchaseOrdersQuery): Promise<PurchaseOrderView[]> {
    return this.queries.list(query);
  }

  @Get(':purchaseOrderId')
  get(@Param('purchaseOrderId') purchaseOrderId: string): Promise<PurchaseOrderView> {
    return this.queries.get(purchaseOrderId);
  }

  @Get(':purchaseOrderId/events')
  history(@Param('purchaseOrderId') purchaseOrderId: string): Promise<PurchaseOrderHistoryEntry[]> {
    return this.queries.history(purchaseOrderId);
  }
}
