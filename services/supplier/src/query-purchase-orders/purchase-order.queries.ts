import { Inject, Injectable } from '@nestjs/common';
import { HttpFieldError, RUNTIME, type ServiceRuntime } from '@fulfillment/platform';
import { purchaseOrderStreamName, purchaseOrderView, type PurchaseOrderView } from '@fulfillment/supplier-domain';
import { PurchaseOrderPipeline } from '../purchase-order/purchase-order.pipeline.js';
import { PurchaseOrdersRepository } from '../purchase-order/purchase-orders.repository.js';
import type { ListPurchaseOrdersQuery } from './query-purchase-orders.request.js';

export interface PurchaseOrderHistoryEntry {
  eventId: string;
  type: string;
  version: number;
  data: unknown;
  recordedAt: string;
}

const notFound = (purchaseOrderId: string) => new HttpFieldError(404, undefined, `purchase order ${purchaseOrderId} does not exist`);

@Injectable()
export class PurchaseOrderQueries {
  constructor(
    @Inject(RUNTIME) private readonly rt: ServiceRuntime,
    private readonly purchaseOrders: PurchaseOrderPipeline,
    private readonly repository: PurchaseOrdersRepository,
  ) {}

  /** Folded from the purchase order's own events, so it is never behind what was acknowledged. */
  async get(purchaseOrderId: string): Promise<PurchaseOrderView> {
    const { state } = await this.purchaseOrders.read(purchaseOrderId);
    const view = purchaseOrderView(state);
    if (!view) throw notFound(purchaseOrderId);
    return view;
  }

  list(query: ListPurchaseOrdersQuery): Promise<PurchaseOrderView[]> {
    return this.repository.list(this.rt.pool, query);
  }

  /** The purchase order's events, oldest first. */
  async history(purchaseOrderId: string): Promise<PurchaseOrderHistoryEntry[]> {
    const events = await this.rt.store.readStream(purchaseOrderStreamName(purchaseOrderId));
    if (events.length === 0) throw notFound(purchaseOrderId);
    return events.map((event) => ({
      eventId: event.id,
      type: event.type,
      version: event.streamVersion,
      data: event.data,
      recordedAt: event.createdAt.toISOString(),
    }));
  }
}
