import { Injectable } from '@nestjs/common';
import type { Tx } from '@fulfillment/eventstore';

export interface OrderLine {
  readonly orderId: string;
  readonly lineId: string;
  readonly sku: string;
  readonly customerId: string;
}

/** Which SKU each line of an order went to, so that a cancellation (which names only the order) reaches them all. */
@Injectable()
export class OrderLinesRepository {
  async record(tx: Tx, lines: readonly OrderLine[]): Promise<void> {
    if (lines.length === 0) return;
    await tx.query({
      name: 'inventory_order_lines_record',
      text: `INSERT INTO order_lines (order_id, line_id, sku, customer_id)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
             ON CONFLICT (order_id, line_id) DO NOTHING`,
      values: [
        lines.map((line) => line.orderId),
        lines.map((line) => line.lineId),
        lines.map((line) => line.sku),
        lines.map((line) => line.customerId),
      ],
    });
  }

  /** The lines of these orders, in line order per order (`<orderId>-2` before `<orderId>-10`). */
  async linesOf(tx: Tx, orderIds: readonly string[]): Promise<OrderLine[]> {
    if (orderIds.length === 0) return [];
    const { rows } = await tx.query<{ order_id: string; line_id: string; sku: string; customer_id: string }>({
      name: 'inventory_order_lines_of',
      text: `SELECT order_id, line_id, sku, customer_id FROM order_lines
             WHERE order_id = ANY($1::text[]) ORDER BY order_id, length(line_id), line_id`,
      values: [orderIds],
    });
    return rows.map((row) => ({ orderId: row.order_id, lineId: row.line_id, sku: row.sku, customerId: row.customer_id }));
  }
}
