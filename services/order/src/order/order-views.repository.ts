import { Inject, Injectable } from '@nestjs/common';
import type { Outcome, Queryable, Tx } from '@fulfillment/eventstore';
import {
  isPlaced,
  orderView,
  type OrderCommand,
  type OrderEvent,
  type OrderLineView,
  type OrderState,
  type OrderStatus,
  type OrderView,
} from '@fulfillment/order-domain';
import { ensureOwnData, PG_POOL, type Caller } from '@fulfillment/platform';
import type pg from 'pg';

interface OrderViewRow {
  order_id: string;
  customer_id: string;
  status: OrderStatus;
  lines: OrderLineView[];
}

// The rows as one JSON document (json_to_recordset), not one array per column: node-postgres builds an array parameter
// by escaping every element, which costs more than the statement for JSON values such as the lines.
const UPSERT_SQL = `INSERT INTO order_views (order_id, customer_id, status, lines, version, placed_at)
  SELECT r.order_id, r.customer_id, r.status, r.lines, r.version, r.placed_at
  FROM json_to_recordset($1::json) AS r(order_id text, customer_id text, status text, lines jsonb, version bigint, placed_at timestamptz)
  ON CONFLICT (order_id) DO UPDATE
    SET status = EXCLUDED.status, lines = EXCLUDED.lines, version = EXCLUDED.version, updated_at = now()
    WHERE order_views.version < EXCLUDED.version`;

const viewOf = (row: OrderViewRow): OrderView => ({
  orderId: row.order_id,
  customerId: row.customer_id,
  status: row.status,
  lines: row.lines,
});

/** `GET /orders/:orderId` reads this table; it is written in the transaction of every append. */
@Injectable()
export class OrderViewRepository {
  constructor(@Inject(PG_POOL) private readonly pool: pg.Pool) {}

  /** Stores the view of each changed order as of the stream `version` it was folded to; an older version never wins. */
  async save(tx: Tx, changed: readonly Outcome<OrderCommand, OrderEvent, OrderState>[]): Promise<void> {
    const orders = changed.flatMap(({ state, version }) => (isPlaced(state) ? [{ order: state, version }] : []));
    if (orders.length === 0) return;
    await tx.query({
      name: 'order_views_upsert_json',
      text: UPSERT_SQL,
      values: [
        JSON.stringify(
          orders.map(({ order, version }) => ({
            order_id: order.orderId,
            customer_id: order.customerId,
            status: order.status,
            lines: orderView(order)!.lines,
            version,
            placed_at: order.placedAt,
          })),
        ),
      ],
    });
  }

  /** A customer token reaches only its own orders: anyone else's is a 404, as one that does not exist; staff pass. */
  async ensureVisibleTo(caller: Caller, orderId: string): Promise<void> {
    if (caller.customerId !== null) ensureOwnData(caller, (await this.find(orderId))?.customerId, `order ${orderId} not found`);
  }

  async find(orderId: string, db: Queryable = this.pool): Promise<OrderView | null> {
    const { rows } = await db.query<OrderViewRow>({
      name: 'order_views_find',
      text: 'SELECT order_id, customer_id, status, lines FROM order_views WHERE order_id = $1',
      values: [orderId],
    });
    return rows[0] ? viewOf(rows[0]) : null;
  }

  /** A customer's orders, newest first. */
  async listByCustomer(customerId: string, limit: number): Promise<OrderView[]> {
    const { rows } = await this.pool.query<OrderViewRow>({
      name: 'order_views_by_customer',
      text: `SELECT order_id, customer_id, status, lines FROM order_views
             WHERE customer_id = $1 ORDER BY placed_at DESC, order_id LIMIT $2`,
      values: [customerId, limit],
    });
    return rows.map(viewOf);
  }
}
