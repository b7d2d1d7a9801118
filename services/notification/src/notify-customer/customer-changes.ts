import type { Tx } from '@fulfillment/eventstore';
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

/**
 * The notification work of one transaction: decides each input on the customers it concerns and records the outcome.
 * Customers are loaded (and locked) once per transaction and then kept here, so a batch with many events for one
 * customer folds its stream once and appends in message order.
 */
export class CustomerChanges {
  private readonly loaded = new Map<string, LoadedCustomer>();
  private readonly recorded: Notification[] = [];

  constructor(
    private readonly tx: Tx,
    private readonly deps: ChangeDependencies,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Everything recorded by this unit of work so far, in decision order. */
  get notifications(): readonly Notification[] {
    return this.recorded;
  }

  async apply(input: NotificationInput, cause: Cause): Promise<void> {
    const customerIds =
      input.type === 'BackInStock'
        ? await this.deps.customers.waitingForRestock(this.tx, input.data.sku)
        : [input.data.customerId];
    const customers = new Map<string, LoadedCustomer>();
    for (const customerId of customerIds) customers.set(customerId, await this.customer(customerId));

    const decision = decide(input, { customers: new Map([...customers].map(([id, c]) => [id, c.state])) }, this.deps.config);
    if (decision.facts.length === 0) return;

    const notifiedAt = this.now();
    for (const [customerId, facts] of byCustomer(decision.facts)) {
      const customer = customers.get(customerId);
      // The decider only speaks of customers it was given; anything else is a bug, not a message to retry.
      if (customer === undefined) throw new Error(`decision names customer ${customerId} that was not loaded`);
      const outbox = decision.notifications
        .filter((notification) => notification.customerId === customerId)
        .map((notification) => toCustomerNotified(notification, cause, notifiedAt, this.deps.notificationTopic));
      const version = await this.deps.customers.append(this.tx, customerId, customer.version, facts, outbox);
      this.loaded.set(customerId, { state: facts.reduce(evolveCustomer, customer.state), version });
    }
    await this.deps.notifications.record(this.tx, decision.notifications, this.deps.emailDelivery);
    this.recorded.push(...decision.notifications);
  }

  private async customer(customerId: string): Promise<LoadedCustomer> {
    let customer = this.loaded.get(customerId);
    if (customer === undefined) {
      customer = await this.deps.customers.loadForUpdate(this.tx, customerId);
      this.loaded.set(customerId, customer);
    }
    return customer;
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
