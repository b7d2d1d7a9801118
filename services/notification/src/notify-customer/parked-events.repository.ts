import { Injectable } from '@nestjs/common';
import type { AnyEnvelope } from '@fulfillment/contracts';
import type { Queryable, Tx } from '@fulfillment/eventstore';

// Fixed class for the advisory lock of an order id; the event store uses its own classes for streams and migrations.
const ORDER_LOCK_CLASS = 0x4e4f5449; // "NOTI"

export interface ParkedEvent {
  readonly seq: string;
  readonly envelope: AnyEnvelope;
}

/**
 * Orders whose OrderPlaced was read, and the inventory events that arrived before it. Every method that decides
 * between parking and processing runs under the order's lock, so an event is never parked just after its order's
 * parked events were released.
 */
@Injectable()
export class ParkedEventsRepository {
  /** Serialises park / release decisions for one order until `tx` ends. */
  async lockOrder(tx: Tx, orderId: string): Promise<void> {
    await this.lockOrders(tx, [orderId]);
  }

  /**
   * Locks several orders in one round trip. Always in the order of the lock keys, so two transactions locking
   * overlapping sets cannot each hold what the other waits for; sorting the ids would not do, as two ids can share a
   * hashtext.
   */
  async lockOrders(tx: Tx, orderIds: readonly string[]): Promise<void> {
    if (orderIds.length === 0) return;
    await tx.query(
      `SELECT count(pg_advisory_xact_lock($1, key))
       FROM (SELECT DISTINCT hashtext(id) AS key FROM unnest($2::text[]) AS id ORDER BY key) keys`,
      [ORDER_LOCK_CLASS, [...new Set(orderIds)]],
    );
  }

  /**
   * Of the given (locked) orders: those whose OrderPlaced was read or given up on, and those with parked events. Read
   * after the locks were taken, so no other transaction can change either answer before this one ends.
   */
  async statusOf(tx: Tx, orderIds: readonly string[]): Promise<{ known: Set<string>; withParked: Set<string> }> {
    const known = new Set<string>();
    const withParked = new Set<string>();
    if (orderIds.length === 0) return { known, withParked };
    const { rows } = await tx.query<{ id: string; known: boolean; parked: boolean }>(
      `SELECT id,
              EXISTS (SELECT 1 FROM known_orders WHERE order_id = id) AS known,
              EXISTS (SELECT 1 FROM parked_events WHERE order_id = id) AS parked
       FROM unnest($1::text[]) AS id`,
      [[...new Set(orderIds)]],
    );
    for (const row of rows) {
      if (row.known) known.add(row.id);
      if (row.parked) withParked.add(row.id);
    }
    return { known, withParked };
  }

  /** Orders (id to customer) whose OrderPlaced was read, in one statement for a batch. */
  async markPlaced(tx: Tx, placed: ReadonlyMap<string, string>): Promise<void> {
    if (placed.size === 0) return;
    await tx.query(
      `INSERT INTO known_orders (order_id, customer_id, via)
       SELECT order_id, customer_id, 'placed' FROM unnest($1::text[], $2::text[]) AS p(order_id, customer_id)
       ON CONFLICT (order_id) DO UPDATE SET via = 'placed', known_at = now() WHERE known_orders.via <> 'placed'`,
      [[...placed.keys()], [...placed.values()]],
    );
  }

  /** Given up waiting for the OrderPlaced: later events of the order are processed without waiting again. */
  async markTimedOut(tx: Tx, orderId: string, customerId: string): Promise<void> {
    await tx.query(
      `INSERT INTO known_orders (order_id, customer_id, via) VALUES ($1, $2, 'timeout') ON CONFLICT (order_id) DO NOTHING`,
      [orderId, customerId],
    );
  }

  async park(tx: Tx, orderId: string, sku: string | null, envelope: AnyEnvelope): Promise<void> {
    await tx.query(
      `INSERT INTO parked_events (order_id, sku, event_id, event_type, envelope) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (order_id, event_id) DO NOTHING`,
      [orderId, sku, envelope.id, envelope.type, JSON.stringify(envelope)],
    );
  }

  /**
   * Parks a copy of `envelope` (a BackInStock) behind every order that has parked events for `sku`: a line told out of
   * stock only once its order is released must still hear of stock that came back after it ran out. Those orders are
   * not locked here (locking them outside the batch's sorted order could deadlock), so one may be released by a
   * transaction that has not committed yet: its customer is then neither waiting in restock_waits (not committed) nor
   * without a copy (this statement still sees the rows that transaction deletes). The copy then stays behind an order
   * already known, and `ordersToRelease` hands it to the sweep at once, without waiting for the timeout. Called before
   * the BackInStock is decided, so that a release committing in between leaves its customer in restock_waits for the
   * decision, or with a copy, or both (the customer's state tells the news once), never with neither.
   */
  async parkBehindWaitingLines(tx: Tx, sku: string, envelope: AnyEnvelope): Promise<number> {
    const { rowCount } = await tx.query(
      `INSERT INTO parked_events (order_id, sku, event_id, event_type, envelope)
       SELECT DISTINCT order_id, $1, $2, $3, $4::jsonb FROM parked_events WHERE sku = $1 AND event_type = 'StockUnavailable'
       ON CONFLICT (order_id, event_id) DO NOTHING`,
      [sku, envelope.id, envelope.type, JSON.stringify(envelope)],
    );
    return rowCount ?? 0;
  }

  /** Removes and returns the order's parked events in the order they arrived. */
  async takeAll(tx: Tx, orderId: string): Promise<ParkedEvent[]> {
    const { rows } = await tx.query<{ seq: string; envelope: AnyEnvelope }>(
      'DELETE FROM parked_events WHERE order_id = $1 RETURNING seq, envelope',
      [orderId],
    );
    return rows.sort((a, b) => compareSeq(a.seq, b.seq)).map((row) => ({ seq: row.seq, envelope: row.envelope }));
  }

  /**
   * Orders with parked events to decide now, oldest first: those whose oldest parked event has waited longer than
   * `timeoutMs`, and those whose OrderPlaced was read meanwhile (a copy parked while the order was being released, see
   * `parkBehindWaitingLines`), whatever their age.
   */
  async ordersToRelease(db: Queryable, timeoutMs: number, limit: number): Promise<string[]> {
    const { rows } = await db.query<{ order_id: string }>(
      `SELECT p.order_id FROM parked_events p
       GROUP BY p.order_id
       HAVING min(p.parked_at) <= now() - $1 * interval '1 millisecond'
           OR EXISTS (SELECT 1 FROM known_orders k WHERE k.order_id = p.order_id)
       ORDER BY min(p.parked_at)
       LIMIT $2`,
      [timeoutMs, limit],
    );
    return rows.map((row) => row.order_id);
  }
}

function compareSeq(a: string, b: string): number {
  const diff = BigInt(a) - BigInt(b);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}
