import type { OutboxMessage, PostgresEventStore, Tx } from '@fulfillment/eventstore';
import type { CustomerState, NotificationFact } from '@fulfillment/notification-domain';
import { customerFold, customerStreamId, toStoredFact, withEmailOnFile } from './customer.stream.js';

export interface LoadedCustomer {
  readonly state: CustomerState;
  /** Stream version the state reflects: the expected version of the next append. */
  readonly version: number;
}

/** One customer's stream, plus the tables projected from it in the same transaction. */
export class CustomersRepository {
  constructor(private readonly store: PostgresEventStore) {}

  /** Locks the customer's stream until `tx` ends, so competing consumers decide for one customer one after the other. */
  async loadForUpdate(tx: Tx, customerId: string): Promise<LoadedCustomer> {
    const { state, version } = await this.store.load(customerStreamId(customerId), customerFold, { tx, forUpdate: true });
    if (state.email === null) return { state, version };
    const { rows } = await tx.query<{ email: string }>('SELECT email FROM customer_emails WHERE customer_id = $1', [customerId]);
    return { state: withEmailOnFile(state, rows[0]?.email), version };
  }

  /** Appends the customer's facts with their CustomerNotified outbox rows; returns the new stream version. */
  async append(
    tx: Tx,
    customerId: string,
    expectedVersion: number,
    facts: readonly NotificationFact[],
    outbox: OutboxMessage[],
  ): Promise<number> {
    const { nextVersion } = await this.store.append(customerStreamId(customerId), expectedVersion, facts.map(toStoredFact), {
      tx,
      outbox,
    });
    await this.project(tx, facts);
    return nextVersion;
  }

  /** Customers told `sku` is out of stock and not yet told it is back, in a stable order (the order they are locked in). */
  async waitingForRestock(tx: Tx, sku: string): Promise<string[]> {
    const { rows } = await tx.query<{ customer_id: string }>(
      'SELECT customer_id FROM restock_waits WHERE sku = $1 ORDER BY customer_id',
      [sku],
    );
    return rows.map((row) => row.customer_id);
  }

  private async project(tx: Tx, facts: readonly NotificationFact[]): Promise<void> {
    for (const fact of facts) {
      if (fact.type === 'EmailAddressGiven') {
        const { customerId, email, givenAt } = fact.data;
        await tx.query(
          `INSERT INTO customer_emails (customer_id, email, given_at) VALUES ($1, $2, $3)
           ON CONFLICT (customer_id) DO UPDATE SET email = EXCLUDED.email, given_at = EXCLUDED.given_at, updated_at = now()`,
          [customerId, email, givenAt],
        );
      } else if (fact.type === 'ChangeNotified' && fact.data.kind === 'out-of-stock') {
        const { sku, customerId, orderId, occurredAt } = fact.data;
        await tx.query(
          `INSERT INTO restock_waits (sku, customer_id, order_id, since) VALUES ($1, $2, $3, $4)
           ON CONFLICT (sku, customer_id) DO UPDATE SET order_id = EXCLUDED.order_id, since = EXCLUDED.since`,
          [sku, customerId, orderId, occurredAt],
        );
      } else if (fact.type === 'ChangeNotified' && fact.data.kind === 'back-in-stock') {
        await tx.query('DELETE FROM restock_waits WHERE sku = $1 AND customer_id = $2', [fact.data.sku, fact.data.customerId]);
      }
    }
  }
}
