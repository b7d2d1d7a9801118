import type { Fold, NewEvent, StoredEvent } from '@fulfillment/eventstore';
import {
  evolveCustomer,
  initialCustomerState,
  type CustomerState,
  type NotificationFact,
  type OrderMemory,
  type RestockWait,
} from '@fulfillment/notification-domain';

// How one customer's facts are kept in the event store. Every fact names one customer, so each customer is a stream
// of its own: work for different customers never waits on one global stream.

export function customerStreamId(customerId: string): string {
  return `customer-${customerId}`;
}

/**
 * A fact as it is stored. EmailAddressGiven keeps only when an address was given: the address itself is kept in
 * `customer_emails` alone, so it can be erased although the stream cannot be rewritten.
 */
export function toStoredFact(fact: NotificationFact): NewEvent {
  if (fact.type === 'EmailAddressGiven') {
    return { type: fact.type, data: { customerId: fact.data.customerId, givenAt: fact.data.givenAt } };
  }
  return { type: fact.type, data: fact.data };
}

/** The stored fact back as the domain's; an EmailAddressGiven comes back without its address (see `withEmailOnFile`). */
export function fromStoredFact(event: Pick<StoredEvent, 'type' | 'data'>): NotificationFact {
  if (event.type === 'EmailAddressGiven') {
    const data = event.data as { customerId: string; givenAt: string };
    return { type: 'EmailAddressGiven', data: { customerId: data.customerId, givenAt: data.givenAt, email: '' } };
  }
  if (event.type === 'OrderBackorderNoted' || event.type === 'ChangeNotified') {
    return { type: event.type, data: event.data } as NotificationFact;
  }
  // A type this code does not know means the stream was written by a newer version: folding on would lose state.
  throw new Error(`unknown fact type ${event.type} in a customer stream`);
}

/**
 * The customer as loaded, with the address on file (or none once it was erased). The domain compares `givenAt` to
 * decide whether a newer address replaces it, so a state with a date but no address must not reach it.
 */
export function withEmailOnFile(state: CustomerState, address: string | undefined): CustomerState {
  if (state.email === null) return state;
  if (address === undefined) return { ...state, email: null };
  return { ...state, email: { address, givenAt: state.email.givenAt } };
}

interface CustomerSnapshot {
  readonly emailGivenAt: string | null;
  readonly handledEventIds: readonly string[];
  readonly orders: readonly (readonly [string, OrderMemory])[];
  readonly awaitingRestock: readonly (readonly [string, RestockWait])[];
}

export function toSnapshot(state: CustomerState): CustomerSnapshot {
  return {
    emailGivenAt: state.email?.givenAt ?? null,
    handledEventIds: [...state.handledEventIds],
    orders: [...state.orders],
    awaitingRestock: [...state.awaitingRestock],
  };
}

export function fromSnapshot(stored: unknown): CustomerState {
  const snapshot = stored as CustomerSnapshot;
  return {
    email: snapshot.emailGivenAt === null ? null : { address: '', givenAt: snapshot.emailGivenAt },
    handledEventIds: new Set(snapshot.handledEventIds),
    orders: new Map(snapshot.orders),
    awaitingRestock: new Map(snapshot.awaitingRestock),
  };
}

/** Snapshots keep loads short for customers with a long history; bump `schemaVersion` when the state's shape changes. */
export const customerFold: Fold<CustomerState> = {
  initialState: () => initialCustomerState,
  evolve: (state, event) => evolveCustomer(state, fromStoredFact(event)),
  snapshot: { every: 50, schemaVersion: 1, toSnapshot, fromSnapshot },
};
