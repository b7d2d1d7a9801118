import 'reflect-metadata';
import { runService, serveOpenApi } from '@fulfillment/platform';
import { NotificationSchema1795737600000 } from './migrations/notification-schema-1795737600000.js';
import { notificationConfigShape } from './notification.config.js';
import { NotificationModule } from './notification.module.js';
import { notificationApi } from './openapi/openapi.js';

await runService({
  service: 'notification',
  migrations: [NotificationSchema1795737600000],
  extraConfig: notificationConfigShape(process.env),
  // A restock fans out over every partition of inventory.events at once; each batch locks its orders and customers in
  // lock-key order, so partitions can be handled side by side without reordering anything a customer sees.
  consumer: { partitionsConsumedConcurrently: 3 },
  module: () => NotificationModule,
  configureApp: (app) => serveOpenApi(app, notificationApi),
});
