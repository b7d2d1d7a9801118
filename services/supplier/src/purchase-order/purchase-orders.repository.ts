import { Injectable } from '@nestjs/common';
import type { Outcome, Queryable, Tx } from '@fulfillment/eventstore';
import {
  purchaseOrderView,
  type PurchaseOrderCommand,
  type PurchaseOrderEvent,
  type PurchaseOrderPlaced,
  type PurchaseOrderState,
  type PurchaseOrderStatus,
  type PurchaseOrderView,
} from '@fulfillment/supplier-domain';
import { listBySkuAndStatus, type Listing, type SkuStatusFilter } from '../listing.js';

export type PurchaseOrderFilter = SkuStatusFilter<PurchaseOrderStatus>;

interface Row {
  purchase_order_id: string;
  sku: string;
  quantity: string;
  received: string;
  expected_at: Date;
  status: PurchaseOrderStatus;
}

const listing: Listing<Row, PurchaseOrderView> = {
  name: 'supplier_po_list',
  columns: 'purchase_order_id, sku, quantity, received, expected_at, status',
  table: 'supplier_purchase_orders',
  orderBy: 'placed_at, purchase_order_id',
  toView: (row) => ({
    purchaseOrderId: row.purchase_order_id,
    sku: row.sku,
    quantity: Number(row.quantity),
    received: Number(row.received),
    expectedAt: row.expected_at.toISOString(),
    status: row.status,
  }),
};

/** The purchase-order listing, written in the transaction that appends the events it reflects. */
@Injectable()
export class PurchaseOrdersRepository {
  /** The pipeline's projection: each changed purchase order as it stands after the batch. */
  async save(tx: Tx, changed: readonly Outcome<PurchaseOrderCommand, PurchaseOrderEvent, PurchaseOrderState>[]): Promise<void> {
    for (const { state, version, decisions } of changed) {
      const view = purchaseOrderView(state);
      if (view === null) continue;
      const placed = decisions.flatMap((decision) => decision.events).find((event): event is PurchaseOrderPlaced => event.type === 'PurchaseOrderPlaced');
      await this.saveOne(tx, view, version, placed);
    }
  }

  /**
   * Stores the purchase order as `view` shows it after `streamVersion`. `placed` is the placement when it is among
   * the events being stored; reason and placement time never change afterwards, so updates leave them alone.
   */
  private async saveOne(
    tx: Tx,
    view: PurchaseOrderView,
    streamVersion: number,
    placed: PurchaseOrderPlaced | undefined,
  ): Promise<void> {
    const values = [
      view.purchaseOrderId,
      view.sku,
      view.quantity,
      view.received,
      view.expectedAt,
      view.status,
      streamVersion,
    ];
    if (placed) {
      await tx.query({
        name: 'supplier_po_insert',
        text: `INSERT INTO supplier_purchase_orders
                 (purchase_order_id, sku, quantity, received, expected_at, status, stream_version, reason, placed_at,
                  updated_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, now())`,
        values: [...values, placed.data.reason, placed.data.placedAt],
      });
      return;
    }
    const { rowCount } = await tx.query({
      name: 'supplier_po_update',
      text: `UPDATE supplier_purchase_orders
             SET sku = $2, quantity = $3, received = $4, expected_at = $5, status = $6, stream_version = $7,
                 updated_at = now()
             WHERE purchase_order_id = $1`,
      values,
    });
    // The row is written with the placement, in the same transaction: its absence means the read model was lost.
    if (rowCount !== 1) throw new Error(`read model has no row for purchase order ${view.purchaseOrderId}`);
  }

  list(db: Queryable, filter: PurchaseOrderFilter): Promise<PurchaseOrderView[]> {
    return listBySkuAndStatus(db, listing, filter);
  }
}
