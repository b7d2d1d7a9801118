import { Inject, Injectable } from '@nestjs/common';
import { TOPICS } from '@fulfillment/contracts';
import { CommandPipeline, type PostgresEventStore, type Work } from '@fulfillment/eventstore';
import type { CustomerState, Notification } from '@fulfillment/notification-domain';
import { EVENT_STORE, RUNTIME, type ServiceRuntime } from '@fulfillment/platform';
import { NOTIFICATION_SETTINGS, type NotificationSettings } from '../notification.config.js';
import { customerAggregate, type CustomerCommand, type CustomerFact } from './customer.aggregate.js';
import { causeOfDecision, toCustomerNotified } from './customer-notified.mapper.js';
import { CustomersRepository } from './customers.repository.js';
import { NotificationsRepository, type EmailDeliveryPlan } from './notifications.repository.js';

export type CustomerWork = Work<CustomerCommand, CustomerState>;

/**
 * Every decision about a customer: the customers a batch names are locked and loaded together (with the address on
 * file), each input decided on their current state in order, the facts appended in one statement with their
 * CustomerNotified outbox rows, and the read models and notifications written in the same transaction.
 */
@Injectable()
export class CustomerPipeline extends CommandPipeline<CustomerCommand, CustomerFact, CustomerState, readonly Notification[]> {
  constructor(
    @Inject(EVENT_STORE) store: PostgresEventStore,
    @Inject(RUNTIME) rt: ServiceRuntime,
    @Inject(NOTIFICATION_SETTINGS) settings: NotificationSettings,
    customers: CustomersRepository,
    notifications: NotificationsRepository,
  ) {
    const topic = rt.topics.name(TOPICS.notificationEvents);
    const emailDelivery: EmailDeliveryPlan =
      settings.smtpUrl === undefined ? { status: 'skipped', reason: 'SMTP_URL is not set' } : { status: 'pending' };
    super(store, {
      aggregate: customerAggregate({ webhookEnabled: settings.webhook !== undefined, timeZone: settings.timeZone }),
      prepare: (tx, states) => customers.withEmailsOnFile(tx, states),
      publish: (decision) => {
        const notifiedAt = new Date();
        return decision.output.map((notification) => toCustomerNotified(notification, causeOfDecision(decision.cause), notifiedAt, topic));
      },
      project: async (tx, changed) => {
        const decisions = changed.flatMap((outcome) => outcome.decisions);
        await customers.project(tx, decisions.flatMap((decision) => decision.events));
        await notifications.record(tx, decisions.flatMap((decision) => decision.output), emailDelivery);
      },
    });
  }
}
