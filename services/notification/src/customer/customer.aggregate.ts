import { storedEvents, type Aggregate, type DomainEvent } from '@fulfillment/eventstore';
import {
  decide,
  evolveCustomer,
  initialCustomerState,
  type CustomerState,
  type Notification,
  type NotificationConfig,
  type NotificationFact,
  type NotificationInput,
  type OrderMemory,
  type RestockWait,
} from '@fulfillment/notification-domain';

// How one customer's facts are kept in the event store. Every fact names one customer, so each customer is a stream
// of its own: work for different customers never waits on one global stream.

const FACT_TYPES = ['EmailAddressGiven', 'OrderBackorderNoted', 'ChangeNotified', 'SubstitutionNoted', 'OrderClosed', 'ContactErased'] as const;

/**
 * The customer's email address was erased (`DELETE /customers/:customerId/contact`, SPEC 13 retention): from then on
 * the customer has no address on file, so nothing is emailed until a later order gives one again.
 */
export interface ContactErased {
  readonly type: 'ContactErased';
  readonly data: { readonly customerId: string; readonly erasedAt: string };
}

/** What a customer's stream holds: the domain's facts and the erasure the service records. */
export type CustomerFact = NotificationFact | ContactErased;

export function customerStreamId(customerId: string): string {
  return `customer-${customerId}`;
}

/**
 * A fact as it is stored. EmailAddressGiven keeps only when an address was given: the address itself is kept in
 * `customer_emails` alone, so it can be erased although the stream cannot be rewritten.
 */
export function toStoredFact(fact: CustomerFact): DomainEvent {
  if (fact.type === 'EmailAddressGiven') {
    return { type: fact.type, data: { customerId: fact.data.customerId, givenAt: fact.data.givenAt } };
  }
  return { type: fact.type, data: fact.data };
}

/** The stored fact back as the domain's; an EmailAddressGiven comes back without its address (see `withEmailOnFile`). */
export function fromStoredFact(event: DomainEvent): CustomerFact {
  if (event.type === 'EmailAddressGiven') {
    const data = event.data as { customerId: string; givenAt: string };
    return { type: 'EmailAddressGiven', data: { customerId: data.customerId, givenAt: data.givenAt, email: '' } };
  }
  // storedEvents has checked the type against FACT_TYPES.
  return { type: event.type, data: event.data } as CustomerFact;
}

/** The domain's fold, and an erasure forgets the address on file. */
export function evolveCustomerFact(state: CustomerState, fact: CustomerFact): CustomerState {
  return fact.type === 'ContactErased' ? { ...state, email: null } : evolveCustomer(state, fact);
}

/** An erasure records a fact only while an address is on file: erasing again (or a customer without one) is a no-op. */
export function decideErasure(command: EraseContact, state: CustomerState): ContactErased[] {
  if (state.email === null) return [];
  return [{ type: 'ContactErased', data: { customerId: command.customerId, erasedAt: command.eraseContact.at } }];
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

/** One input as it concerns one customer: the pipeline decides for each customer an input names (or awaits restock). */
export interface NotifyCommand {
  readonly customerId: string;
  readonly input: NotificationInput;
}

/** Erase the customer's email address (an admin's request, at `at`). */
export interface EraseContact {
  readonly customerId: string;
  readonly eraseContact: { readonly at: string };
}

export type CustomerCommand = NotifyCommand | EraseContact;

/**
 * The customer aggregate: one stream per customer (the domain's state is a map of customers, and every fact names one).
 * The decider also renders the notifications it decides, which the mapper publishes and the read models store.
 * Snapshots keep loads short for customers with a long history; bump `schemaVersion` when the state's shape changes.
 */
export function customerAggregate(config: NotificationConfig): Aggregate<CustomerCommand, CustomerFact, CustomerState, readonly Notification[]> {
  const decideFor = (command: CustomerCommand, state: CustomerState): { events: readonly CustomerFact[]; output: readonly Notification[] } => {
    if ('eraseContact' in command) return { events: decideErasure(command, state), output: [] };
    const decision = decide(command.input, { customers: new Map([[command.customerId, state]]) }, config);
    const stranger = decision.facts.find((fact) => fact.data.customerId !== command.customerId);
    // The decider only speaks of customers it was given; anything else is a bug, not a message to retry.
    if (stranger) throw new Error(`decision for customer ${command.customerId} names customer ${stranger.data.customerId}`);
    return { events: decision.facts, output: decision.notifications };
  };
  return {
    name: 'customer',
    decider: {
      initialState: () => initialCustomerState,
      evolve: evolveCustomerFact,
      decide: (command, state) => decideFor(command, state).events,
    },
    decideWithOutput: decideFor,
    streamName: customerStreamId,
    events: storedEvents<CustomerFact>({
      types: FACT_TYPES,
      toStored: toStoredFact,
      fromStored: fromStoredFact,
    }),
    // 2: event ids are kept per order (issue 12, bounded memory); version-1 snapshots are folded anew from the facts.
    snapshot: { every: 50, schemaVersion: 2, toSnapshot, fromSnapshot },
  };
}
