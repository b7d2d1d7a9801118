import type { CustomerFact } from './customer.aggregate.js';

export interface AddressGiven {
  readonly customerId: string;
  readonly email: string;
  readonly givenAt: string;
}
export interface RestockWaitRow {
  readonly sku: string;
  readonly customerId: string;
  readonly orderId: string;
  readonly since: string;
}

/**
 * What `facts` leave in the read models, one entry per row: the last address per customer (or its erasure: `erased`
 * are the customers whose address row goes), the last say per wait.
 */
export function readModelChanges(facts: readonly CustomerFact[]): {
  addresses: AddressGiven[];
  erased: string[];
  waits: RestockWaitRow[];
  cleared: { sku: string; customerId: string }[];
} {
  const addresses = new Map<string, AddressGiven>();
  const erased = new Set<string>();
  const restock = new Map<string, RestockWaitRow | { sku: string; customerId: string; cleared: true }>();
  for (const fact of facts) {
    if (fact.type === 'EmailAddressGiven') {
      const { customerId, email, givenAt } = fact.data;
      addresses.set(customerId, { customerId, email, givenAt });
      erased.delete(customerId);
    } else if (fact.type === 'ContactErased') {
      addresses.delete(fact.data.customerId);
      erased.add(fact.data.customerId);
    } else if (fact.type === 'ChangeNotified' && fact.data.kind === 'out-of-stock') {
      const { sku, customerId, orderId, occurredAt } = fact.data;
      restock.set(JSON.stringify([sku, customerId]), { sku, customerId, orderId, since: occurredAt });
    } else if (fact.type === 'ChangeNotified' && fact.data.kind === 'back-in-stock') {
      const { sku, customerId } = fact.data;
      restock.set(JSON.stringify([sku, customerId]), { sku, customerId, cleared: true });
    }
  }
  const waits: RestockWaitRow[] = [];
  const cleared: { sku: string; customerId: string }[] = [];
  for (const change of restock.values()) {
    if ('cleared' in change) cleared.push({ sku: change.sku, customerId: change.customerId });
    else waits.push(change);
  }
  return { addresses: [...addresses.values()], erased: [...erased], waits, cleared };
}
