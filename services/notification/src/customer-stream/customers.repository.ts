import type { OutboxMessage, PostgresEventStore, Tx } from '@fulfillment/eventstore';
import type { CustomerState, NotificationFact } from '@fulfillment/notification-domain';
import { customerFold, customerStreamId, toStoredFact, withEmailOnFile } from './customer.stream.js';
import { readModelChanges } from './read-model-changes.js';

export interface LoadedCustomer {
  readonly state: CustomerState;
  /** Stream version the state reflects: the expected version of the next append. */
  readonly version: number;
}

/** New facts of one customer, decided on the stream at `expectedVersion`. */
export interface CustomerFacts {
  readonly customerId: string;
  readonly expectedVersion: number;
  readonly facts: readonly NotificationFact[];
}

/**
 * The customers' streams, plus the tables projected from them in the same transaction. Everything works on many
 * customers at once: a restock tells thousands, and a round trip per customer is what would cost.
 */
export class CustomersRepository {
  constructor(private readonly store: PostgresEventStore) {}

  /**
   * Locks the customers' streams until `tx` ends (one statement, in a fixed order), so competing consumers decide for
   * a customer one after the other, and loads them with the address on file.
   */
  async loadForUpdate(tx: Tx, customerIds: readonly string[]): Promise<Map<string, LoadedCustomer>> {
    const customers = new Map<string, LoadedCustomer>();
    if (customerIds.length === 0) return customers;
    const streams = await this.store.loadMany(customerIds.map(customerStreamId), customerFold, { tx, forUpdate: true });
    const withAddress: string[] = [];
    for (const customerId of customerIds) {
      const { state, version } = streams.get(customerStreamId(customerId))!;
      customers.set(customerId, { state, version });
      if (state.email !== null) withAddress.push(customerId);
    }
    if (withAddress.length === 0) return customers;
    const { rows } = await tx.query<{ customer_id: string; email: string }>(
      'SELECT customer_id, email FROM customer_emails WHERE customer_id = ANY($1::text[])',
      [withAddress],
    );
    const addresses = new Map(rows.map((row) => [row.customer_id, row.email]));
    for (const customerId of withAddress) {
      const { state, version } = customers.get(customerId)!;
      customers.set(customerId, { state: withEmailOnFile(state, addresses.get(customerId)), version });
    }
    return customers;
  }

  /**
   * Appends the customers' facts and the CustomerNotified outbox rows (in the order given) in one statement, all or
   * nothing, then projects the facts; returns each customer's new stream version.
   */
  async append(tx: Tx, changes: readonly CustomerFacts[], outbox: OutboxMessage[]): Promise<Map<string, number>> {
    const versions = new Map<string, number>();
    if (changes.length === 0) return versions;
    const appended = await this.store.appendMany(
      changes.map(({ customerId, expectedVersion, facts }) => ({
        streamId: customerStreamId(customerId),
        expected: expectedVersion,
        events: facts.map(toStoredFact),
      })),
      { tx, outbox },
    );
    for (const { customerId } of changes) versions.set(customerId, appended.get(customerStreamId(customerId))!.nextVersion);
    await this.project(tx, changes.flatMap((change) => change.facts));
    return versions;
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
  private async project(tx: Tx, facts: readonly NotificationFact[]): Promise<void> {
    const { addresses, waits, cleared } = readModelChanges(facts);
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
