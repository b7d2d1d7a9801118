import { Injectable } from '@nestjs/common';
import type { Outcome, Queryable, Tx } from '@fulfillment/eventstore';
import type { AnswerKind, ReplenishmentCommand, ReplenishmentEvent, ReplenishmentState } from '@fulfillment/supplier-domain';
import { listBySkuAndStatus, type Listing, type SkuStatusFilter } from '../listing.js';

export type ReplenishmentRequestStatus = 'open' | 'answered';

/** A replenishment request as `GET /replenishment-requests` lists it. */
export interface ReplenishmentRequestView {
  requestId: string;
  sku: string;
  quantity: number;
  reason: string;
  requestedAt: string;
  status: ReplenishmentRequestStatus;
  /** Why no purchase order could be planned for it (`no-lead-time`); null when one was. */
  unplannedReason: string | null;
  /** How it was answered: its own purchase order (`planned`), a later one (`superseded`), one placed by hand (`manual`). */
  answer: AnswerKind | null;
  purchaseOrderId: string | null;
  answeredAt: string | null;
}

export type ReplenishmentRequestFilter = SkuStatusFilter<ReplenishmentRequestStatus>;

interface Row {
  request_id: string;
  sku: string;
  quantity: string;
  reason: string;
  requested_at: Date;
  status: ReplenishmentRequestStatus;
  unplanned_reason: string | null;
  answer: AnswerKind | null;
  purchase_order_id: string | null;
  answered_at: Date | null;
}

const listing: Listing<Row, ReplenishmentRequestView> = {
  name: 'supplier_replenishment_list',
  columns: 'request_id, sku, quantity, reason, requested_at, status, unplanned_reason, answer, purchase_order_id, answered_at',
  table: 'supplier_replenishment_requests',
  orderBy: 'requested_at, request_id',
  toView: (row) => ({
    requestId: row.request_id,
    sku: row.sku,
    quantity: Number(row.quantity),
    reason: row.reason,
    requestedAt: row.requested_at.toISOString(),
    status: row.status,
    unplannedReason: row.unplanned_reason,
    answer: row.answer,
    purchaseOrderId: row.purchase_order_id,
    answeredAt: row.answered_at?.toISOString() ?? null,
  }),
};

/** The replenishment-request listing, written in the transaction that appends the events it reflects. */
@Injectable()
export class ReplenishmentRequestsRepository {
  /** The pipeline's projection: each decided event, in order. */
  async save(tx: Tx, changed: readonly Outcome<ReplenishmentCommand, ReplenishmentEvent, ReplenishmentState>[]): Promise<void> {
    for (const { decisions } of changed) {
      for (const event of decisions.flatMap((decision) => decision.events)) await this.apply(tx, event);
    }
  }

  private async apply(tx: Tx, event: ReplenishmentEvent): Promise<void> {
    switch (event.type) {
      case 'ReplenishmentRequestRecorded': {
        const { requestId, sku, quantity, reason, requestedAt } = event.data;
        await tx.query({
          name: 'supplier_replenishment_recorded',
          text: `INSERT INTO supplier_replenishment_requests (request_id, sku, quantity, reason, requested_at, status)
                 VALUES ($1, $2, $3, $4, $5, 'open') ON CONFLICT (request_id) DO NOTHING`,
          values: [requestId, sku, quantity, reason, requestedAt],
        });
        return;
      }
      case 'ReplenishmentUnplanned':
        await tx.query({
          name: 'supplier_replenishment_unplanned',
          text: 'UPDATE supplier_replenishment_requests SET unplanned_reason = $2 WHERE request_id = $1',
          values: [event.data.requestId, event.data.reason],
        });
        return;
      case 'ReplenishmentRequestAnswered': {
        const { requestId, purchaseOrderId, answer, answeredAt } = event.data;
        await tx.query({
          name: 'supplier_replenishment_answered',
          text: `UPDATE supplier_replenishment_requests
                 SET status = 'answered', answer = $2, purchase_order_id = $3, answered_at = $4
                 WHERE request_id = $1`,
          values: [requestId, answer, purchaseOrderId, answeredAt],
        });
        return;
      }
      default: {
        const unexpected: never = event;
        throw new Error(`no listing for replenishment event ${(unexpected as { type: string }).type}`);
      }
    }
  }

  /** Oldest request first. */
  list(db: Queryable, filter: ReplenishmentRequestFilter): Promise<ReplenishmentRequestView[]> {
    return listBySkuAndStatus(db, listing, filter);
  }
}
