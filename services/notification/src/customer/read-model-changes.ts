import type { NotificationFact } from '@fulfillment/notification-domain';

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

/** What `facts` leave in the read models, one entry per row: the last address per customer, the last say per wait. */
export function readModelChanges(facts: readonly NotificationFact[]): {
  addresses: AddressGiven[];
  waits: RestockWaitRow[];
  cleared: { sku: string; customerId: string }[];
} {
  const addresses = new Map<string, AddressGiven>();
  const restock = new Map<string, RestockWaitRow | { sku: string; customerId: string; cleared: true }>();
  for (const fact of facts) {
    if (fact.type === 'EmailAddressGiven') {
      const { customerId, email, givenAt } = fact.data;
      addresses.set(customerId, { customerId, email, givenAt });
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
  return { addresses: [...addresses.values()], waits, cleared };
}
