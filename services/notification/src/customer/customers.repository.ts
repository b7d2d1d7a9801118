import { Injectable } from '@nestjs/common';
import type { Tx } from '@fulfillment/eventstore';
import type { CustomerState } from '@fulfillment/notification-domain';
import { withEmailOnFile, type CustomerFact } from './customer.aggregate.js';
import { readModelChanges } from './read-model-changes.js';

/**
 * The tables projected from the customers' streams, written in the same transaction as the facts they follow from, and
 * the addresses kept beside the streams (an address can be erased; a stream cannot be rewritten).
 */
@Injectable()
export class CustomersRepository {
  /** The pipeline's `prepare`: each loaded customer with the address on file (or none once it was erased). */
  async withEmailsOnFile(tx: Tx, states: ReadonlyMap<string, CustomerState>): Promise<ReadonlyMap<string, CustomerState>> {
    const withAddress = [...states].filter(([, state]) => state.email !== null).map(([customerId]) => customerId);
    if (withAddress.length === 0) return states;
    const { rows } = await tx.query<{ customer_id: string; email: string }>(
      'SELECT customer_id, email FROM customer_emails WHERE customer_id = ANY($1::text[])',
      [withAddress],
    );
    const addresses = new Map(rows.map((row) => [row.customer_id, row.email]));
    const completed = new Map(states);
    for (const customerId of withAddress) completed.set(customerId, withEmailOnFile(states.get(customerId)!, addresses.get(customerId)));
    return completed;
  }

  /** Customers told `sku` is out of stock and not yet told it is back, in a stable order. */
  async waitingForRestock(tx: Tx, sku: string): Promise<string[]> {
    const { rows } = await tx.query<{ customer_id: string }>(
      'SELECT customer_id FROM restock_waits WHERE sku = $1 ORDER BY customer_id',
      [sku],
    );
    return rows.map((row) => row.customer_id);
  }

  /**
   * The read models after `facts`, applied in order, with one statement per kind of change: only the last change of
   * each row counts, exactly as if each fact had been written on its own.
   */
  async project(tx: Tx, facts: readonly CustomerFact[]): Promise<void> {
    const { addresses, erased, waits, cleared } = readModelChanges(facts);
    if (erased.length > 0) {
      // The only copy of the address: once this row is gone the service cannot email it or show it again.
      await tx.query('DELETE FROM customer_emails WHERE customer_id = ANY($1::text[])', [erased]);
    }
    if (addresses.length > 0) {
      await tx.query(
        `INSERT INTO customer_emails (customer_id, email, given_at)
         SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[])
         ON CONFLICT (customer_id) DO UPDATE SET email = EXCLUDED.email, given_at = EXCLUDED.given_at, updated_at = now()`,
        [addresses.map((a) => a.customerId), addresses.map((a) => a.email), addresses.map((a) => a.givenAt)],
      );
    }
    if (waits.length > 0) {
      await tx.query(
        `INSERT INTO restock_waits (sku, customer_id, order_id, since)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
         ON CONFLICT (sku, customer_id) DO UPDATE SET order_id = EXCLUDED.order_id, since = EXCLUDED.since`,
        [waits.map((w) => w.sku), waits.map((w) => w.customerId), waits.map((w) => w.orderId), waits.map((w) => w.since)],
      );
    }
    if (cleared.length > 0) {
      await tx.query(
        `DELETE FROM restock_waits w USING unnest($1::text[], $2::text[]) AS c(sku, customer_id)
         WHERE w.sku = c.sku AND w.customer_id = c.customer_id`,
        [cleared.map((c) => c.sku), cleared.map((c) => c.customerId)],
      );
    }
  }
}
