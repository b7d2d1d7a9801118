import { Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@fulfillment/contracts';
import type { ServiceRuntime } from '@fulfillment/platform';
import { Counter } from 'prom-client';
import { BackgroundJobs } from './background-jobs.js';
import { CustomersRepository } from './customer-stream/customers.repository.js';
import type { ChannelSender } from './deliver-notifications/channel-sender.js';
import { DeliveriesRepository } from './deliver-notifications/deliveries.repository.js';
import { DeliveryWorker } from './deliver-notifications/delivery.worker.js';
import { EmailSender } from './deliver-notifications/email.sender.js';
import { WebhookSender } from './deliver-notifications/webhook.sender.js';
import { ListNotificationsHttpController } from './list-notifications/list-notifications.http.controller.js';
import { ListNotificationsRepository } from './list-notifications/list-notifications.repository.js';
import { toSettings, type NotificationExtraConfig } from './notification.config.js';
import type { ChangeDependencies } from './notify-customer/customer-changes.js';
import { NotificationsRepository } from './notify-customer/notifications.repository.js';
import { NotifyCustomerHandler } from './notify-customer/notify-customer.handler.js';
import { NotifyCustomerKafkaController } from './notify-customer/notify-customer.kafka.controller.js';
import { ParkedEventsRepository } from './notify-customer/parked-events.repository.js';
import { ParkedEventsSweeper } from './notify-customer/parked-events.sweeper.js';

@Module({})
export class NotificationModule {
  static register(rt: ServiceRuntime<NotificationExtraConfig>): DynamicModule {
    const settings = toSettings(rt.config.extra);
    const logger = rt.logger;

    const notificationsRecorded = new Counter({
      name: 'notifications_recorded_total',
      help: 'Notifications decided and recorded, by kind and channel',
      labelNames: ['kind', 'channel'],
      registers: [rt.registry],
    });
    const deliveryAttempts = new Counter({
      name: 'notification_delivery_attempts_total',
      help: 'Email and webhook delivery attempts by channel and outcome (sent, retry, failed, skipped)',
      labelNames: ['channel', 'outcome'],
      registers: [rt.registry],
    });

    const deps: ChangeDependencies = {
      customers: new CustomersRepository(rt.store),
      notifications: new NotificationsRepository(),
      config: { webhookEnabled: settings.webhook !== undefined, timeZone: settings.timeZone },
      emailDelivery: settings.smtpUrl === undefined ? { status: 'skipped', reason: 'SMTP_URL is not set' } : { status: 'pending' },
      notificationTopic: rt.topics.name(TOPICS.notificationEvents),
    };
    const parked = new ParkedEventsRepository();
    const handler = new NotifyCustomerHandler(rt.store, parked, deps, logger, notificationsRecorded);
    const sweeper = new ParkedEventsSweeper(rt.pool, parked, handler, settings.parkTimeoutMs, logger);

    const deliveries = new DeliveriesRepository(rt.pool);
    const senders: ChannelSender[] = [];
    if (settings.smtpUrl !== undefined) {
      senders.push(new EmailSender({ smtpUrl: settings.smtpUrl, from: settings.emailFrom, timeoutMs: settings.delivery.timeoutMs }));
    }
    if (settings.webhook !== undefined) {
      senders.push(new WebhookSender({ ...settings.webhook, timeoutMs: settings.delivery.timeoutMs }));
    }
    const workers = senders.map((sender) => new DeliveryWorker(sender, deliveries, settings.delivery, logger, deliveryAttempts));
    logger.info(
      { emailChannel: settings.smtpUrl !== undefined, webhookChannel: settings.webhook !== undefined, timeZone: settings.timeZone },
      'notification channels',
    );

    return {
      module: NotificationModule,
      controllers: [NotifyCustomerKafkaController, ListNotificationsHttpController],
      providers: [
        { provide: NotifyCustomerHandler, useValue: handler },
        { provide: ListNotificationsRepository, useValue: new ListNotificationsRepository(rt.pool) },
        { provide: BackgroundJobs, useValue: new BackgroundJobs(sweeper, workers) },
      ],
    };
  }
}
