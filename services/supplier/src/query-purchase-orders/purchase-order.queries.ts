import { Inject, Injectable } from '@nestjs/common';
import { RUNTIME, type ServiceRuntime } from '@fulfillment/platform';
import { purchaseOrderStreamName, purchaseOrderView, type PurchaseOrderView } from '@fulfillment/supplier-domain';
import { purchaseOrderNotFound } from '../shared/not-found.js';
import { PurchaseOrdersRepository } from '../shared/purchase-orders.repository.js';
import { purchaseOrderFold } from '../shared/supplier-unit-of-work.js';
import type { ListPurchaseOrdersQuery } from './query-purchase-orders.request.js';

export interface PurchaseOrderHistoryEntry {
  eventId: string;
  type: string;
  version: number;
  data: unknown;
  recordedAt: string;
}

@Injectable()
export class PurchaseOrderQueries {
  constructor(
    @Inject(RUNTIME) private readonly rt: ServiceRuntime,
    private readonly repository: PurchaseOrdersRepository,
  ) {}

  /** Folded from the purchase order's own events, so it is never behind what was acknowledged. */
  async get(purchaseOrderId: string): Promise<PurchaseOrderView> {
    const { state } = await this.rt.store.load(purchaseOrderStreamName(purchaseOrderId), purchaseOrderFold);
    const view = purchaseOrderView(state);
    if (!view) throw purchaseOrderNotFound(purchaseOrderId);
    return view;
  }

  list(query: ListPurchaseOrdersQuery): Promise<PurchaseOrderView[]> {
    return this.repository.list(this.rt.pool, query);
  }

  /** The purchase order's events, oldest first. */
  async history(purchaseOrderId: string): Promise<PurchaseOrderHistoryEntry[]> {
    const events = await this.rt.store.readStream(purchaseOrderStreamName(purchaseOrderId));
    if (events.length === 0) throw purchaseOrderNotFound(purchaseOrderId);
    return events.map((event) => ({
      eventId: event.id,
      type: event.type,
      version: event.streamVersion,
      data: event.data,
      recordedAt: event.createdAt.toISOString(),
    }));
  }
}
