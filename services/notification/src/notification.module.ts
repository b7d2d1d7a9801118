import { Module } from '@nestjs/common';
import { LOGGER, PG_POOL, RUNTIME, type ServiceRuntime } from '@fulfillment/platform';
import type pg from 'pg';
import type { Logger } from 'pino';
import { Counter, type Registry } from 'prom-client';
import { METRICS_REGISTRY } from '@fulfillment/platform';
import { BackgroundJobs } from './background-jobs.js';
import { CustomerPipeline } from './customer/customer.pipeline.js';
import { CustomersRepository } from './customer/customers.repository.js';
import { NotificationsRepository } from './customer/notifications.repository.js';
import type { ChannelSender } from './deliver-notifications/channel-sender.js';
import { DeliveriesRepository } from './deliver-notifications/deliveries.repository.js';
import { DeliveryWorker } from './deliver-notifications/delivery.worker.js';
import { EraseContactHttpController } from './erase-contact/erase-contact.http.controller.js';
import { EmailSender } from './deliver-notifications/email.sender.js';
import { WebhookSender } from './deliver-notifications/webhook.sender.js';
import { ListNotificationsHttpController } from './list-notifications/list-notifications.http.controller.js';
import { ListNotificationsRepository } from './list-notifications/list-notifications.repository.js';
import { NOTIFICATION_SETTINGS, toSettings, type NotificationExtraConfig, type NotificationSettings } from './notification.config.js';
import { NOTIFICATIONS_RECORDED, NotifyCustomerHandler } from './notify-customer/notify-customer.handler.js';
import { NotifyCustomerKafkaController } from './notify-customer/notify-customer.kafka.controller.js';
import { ParkedEventsRepository } from './notify-customer/parked-events.repository.js';
import { ParkedEventsSweeper } from './notify-customer/parked-events.sweeper.js';

const DELIVERY_ATTEMPTS = Symbol('DELIVERY_ATTEMPTS');

/** The runtime reaches the providers through the platform's global tokens (RUNTIME, EVENT_STORE, PG_POOL, ...). */
@Module({
  controllers: [NotifyCustomerKafkaController, ListNotificationsHttpController, EraseContactHttpController],
  providers: [
    {
      provide: NOTIFICATION_SETTINGS,
      inject: [RUNTIME, LOGGER],
      useFactory: (rt: ServiceRuntime<NotificationExtraConfig>, logger: Logger): NotificationSettings => {
        const settings = toSettings(rt.config.extra);
        logger.info(
          { emailChannel: settings.smtpUrl !== undefined, webhookChannel: settings.webhook !== undefined, timeZone: settings.timeZone },
          'notification channels',
        );
        return settings;
      },
    },
    {
      provide: NOTIFICATIONS_RECORDED,
      inject: [METRICS_REGISTRY],
      useFactory: (registry: Registry) =>
        new Counter({ name: 'notifications_recorded_total', help: 'Notifications decided and recorded, by kind and channel', labelNames: ['kind', 'channel'], registers: [registry] }),
    },
    {
      provide: DELIVERY_ATTEMPTS,
      inject: [METRICS_REGISTRY],
      useFactory: (registry: Registry) =>
        new Counter({
          name: 'notification_delivery_attempts_total',
          help: 'Email and webhook delivery attempts by channel and outcome (sent, retry, failed, skipped)',
          labelNames: ['channel', 'outcome'],
          registers: [registry],
        }),
    },
    CustomersRepository,
    NotificationsRepository,
    ParkedEventsRepository,
    CustomerPipeline,
    NotifyCustomerHandler,
    { provide: ListNotificationsRepository, inject: [PG_POOL], useFactory: (pool: pg.Pool) => new ListNotificationsRepository(pool) },
    {
      provide: BackgroundJobs,
      inject: [PG_POOL, NOTIFICATION_SETTINGS, ParkedEventsRepository, NotifyCustomerHandler, LOGGER, DELIVERY_ATTEMPTS],
      useFactory: (
        pool: pg.Pool,
        settings: NotificationSettings,
        parked: ParkedEventsRepository,
        handler: NotifyCustomerHandler,
        logger: Logger,
        attempts: Counter<'channel' | 'outcome'>,
      ) => {
        const senders: ChannelSender[] = [];
        if (settings.smtpUrl !== undefined) {
          senders.push(
            new EmailSender({ smtpUrl: settings.smtpUrl, from: settings.emailFrom, timeoutMs: settings.delivery.timeoutMs, connections: settings.delivery.concurrency }),
          );
        }
        if (settings.webhook !== undefined) senders.push(new WebhookSender({ ...settings.webhook, timeoutMs: settings.delivery.timeoutMs }));
        const deliveries = new DeliveriesRepository(pool);
        const workers = senders.map((sender) => new DeliveryWorker(sender, deliveries, settings.delivery, logger, attempts));
        return new BackgroundJobs(new ParkedEventsSweeper(pool, parked, handler, settings.parkTimeoutMs, logger), workers);
      },
    },
  ],
})
export class NotificationModule {}
