import 'reflect-metadata';
import { TOPICS } from '@fulfillment/contracts';
import { runService, serveOpenApi } from '@fulfillment/platform';
import { NotificationModule } from './app.module.js';
import { NotificationSchema1795737600000 } from './migrations/notification-schema-1795737600000.js';
import { notificationConfigShape } from './notification.config.js';
import { notificationApi } from './openapi/openapi.js';

await runService({
  service: 'notification',
  migrations: [NotificationSchema1795737600000],
  extraConfig: notificationConfigShape(process.env),
  consumes: [TOPICS.orderEvents, TOPICS.inventoryEvents, TOPICS.supplierEvents],
  module: (rt) => NotificationModule.register(rt),
  configureApp: (app) => serveOpenApi(app, notificationApi),
});
