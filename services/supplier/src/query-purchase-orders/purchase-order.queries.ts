import { Injectable } from '@nestjs/common';
import { purchaseOrderStreamName, purchaseOrderView, type PurchaseOrderView } from '@fulfillment/supplier-domain';
import { purchaseOrderNotFound } from '../shared/not-found.js';
import { SupplierTransactions } from '../shared/supplier-transactions.js';
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
  constructor(private readonly transactions: SupplierTransactions) {}

  /** Folded from the purchase order's own events, so it is never behind what was acknowledged. */
  async get(purchaseOrderId: string): Promise<PurchaseOrderView> {
    const { state } = await this.transactions.store.load(purchaseOrderStreamName(purchaseOrderId), purchaseOrderFold);
    const view = purchaseOrderView(state);
    if (!view) throw purchaseOrderNotFound(purchaseOrderId);
    return view;
  }

  list(query: ListPurchaseOrdersQuery): Promise<PurchaseOrderView[]> {
    return this.transactions.repository.list(this.transactions.pool, query);
  }

  /** The purchase order's events, oldest first. */
  async history(purchaseOrderId: string): Promise<PurchaseOrderHistoryEntry[]> {
    const events = await this.transactions.store.readStream(purchaseOrderStreamName(purchaseOrderId));
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
