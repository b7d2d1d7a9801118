import type { OutboxMessage, Tx } from '@fulfillment/eventstore';
import {
  decide,
  evolveCustomer,
  type Notification,
  type NotificationConfig,
  type NotificationFact,
  type NotificationInput,
} from '@fulfillment/notification-domain';
import type { CustomersRepository, LoadedCustomer } from '../customer-stream/customers.repository.js';
import { toCustomerNotified, type Cause } from './customer-notified.mapper.js';
import type { EmailDeliveryPlan, NotificationsRepository } from './notifications.repository.js';

export interface ChangeDependencies {
  readonly customers: CustomersRepository;
  readonly notifications: NotificationsRepository;
  readonly config: NotificationConfig;
  readonly emailDelivery: EmailDeliveryPlan;
  /** The deployment's notification.events topic. */
  readonly notificationTopic: string;
}

/** A customer as decided on in this unit of work: the stored stream, and the facts decided since, not written yet. */
interface CustomerInProgress {
  readonly stored: LoadedCustomer;
  state: LoadedCustomer['state'];
  readonly unwritten: NotificationFact[];
}

/**
 * The notification work of one transaction. Customers are loaded (and locked) once, many at a time, and kept here;
 * each input is decided on their current state in the order given, and what is decided is written by `flush`: one
 * append for all the customers' facts with their CustomerNotified outbox rows, one write per read model and one for
 * the notifications. A batch telling 500 customers thus costs a handful of round trips instead of a few per customer.
 * Call `flush` before the transaction commits; what was not flushed is lost with the transaction.
 */
export class CustomerChanges {
  private readonly customers = new Map<string, CustomerInProgress>();
  private readonly recorded: Notification[] = [];
  private unwrittenNotifications: Notification[] = [];
  private unwrittenOutbox: OutboxMessage[] = [];

  constructor(
    private readonly tx: Tx,
    private readonly deps: ChangeDependencies,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Everything decided by this unit of work so far, in decision order. */
  get notifications(): readonly Notification[] {
    return this.recorded;
  }

  /**
   * Loads and locks, in one go, the customers that inputs to come will name (those already here are kept as they
   * are). Optional: `apply` loads whoever is missing, but one customer at a time.
   */
  async load(customerIds: Iterable<string>): Promise<void> {
    const missing = [...new Set(customerIds)].filter((customerId) => !this.customers.has(customerId));
    if (missing.length === 0) return;
    for (const [customerId, stored] of await this.deps.customers.loadForUpdate(this.tx, missing)) {
      this.customers.set(customerId, { stored, state: stored.state, unwritten: [] });
    }
  }

  async apply(input: NotificationInput, cause: Cause): Promise<void> {
    let customerIds: string[];
    if (input.type === 'BackInStock') {
      // Who waits for the SKU is read from restock_waits, which must first reflect what this unit already decided.
      await this.flush();
      customerIds = await this.deps.customers.waitingForRestock(this.tx, input.data.sku);
    } else {
      customerIds = [input.data.customerId];
    }
    await this.load(customerIds);

    const decision = decide(
      input,
      { customers: new Map(customerIds.map((customerId) => [customerId, this.customers.get(customerId)!.state])) },
      this.deps.config,
    );
    if (decision.facts.length === 0) return;

    const notifiedAt = this.now();
    const given = new Set(customerIds);
    for (const [customerId, facts] of byCustomer(decision.facts)) {
      const customer = this.customers.get(customerId);
      // The decider only speaks of customers it was given; anything else is a bug, not a message to retry.
      if (customer === undefined || !given.has(customerId)) {
        throw new Error(`decision names customer ${customerId} that was not loaded`);
      }
      customer.unwritten.push(...facts);
      customer.state = facts.reduce(evolveCustomer, customer.state);
    }
    for (const notification of decision.notifications) {
      this.unwrittenOutbox.push(toCustomerNotified(notification, cause, notifiedAt, this.deps.notificationTopic));
    }
    this.unwrittenNotifications.push(...decision.notifications);
    this.recorded.push(...decision.notifications);
  }

  /** Writes everything decided since the last flush. */
  async flush(): Promise<void> {
    const changed = [...this.customers].filter(([, customer]) => customer.unwritten.length > 0);
    if (changed.length === 0 && this.unwrittenNotifications.length === 0) return;
    const versions = await this.deps.customers.append(
      this.tx,
      changed.map(([customerId, customer]) => ({
        customerId,
        expectedVersion: customer.stored.version,
        facts: customer.unwritten,
      })),
      this.unwrittenOutbox,
    );
    await this.deps.notifications.record(this.tx, this.unwrittenNotifications, this.deps.emailDelivery);
    for (const [customerId, customer] of changed) {
      this.customers.set(customerId, {
        stored: { state: customer.state, version: versions.get(customerId)! },
        state: customer.state,
        unwritten: [],
      });
    }
    this.unwrittenNotifications = [];
    this.unwrittenOutbox = [];
  }
}

function byCustomer(facts: readonly NotificationFact[]): Map<string, NotificationFact[]> {
  const grouped = new Map<string, NotificationFact[]>();
  for (const fact of facts) {
    const list = grouped.get(fact.data.customerId);
    if (list === undefined) grouped.set(fact.data.customerId, [fact]);
    else list.push(fact);
  }
  return grouped;
}
