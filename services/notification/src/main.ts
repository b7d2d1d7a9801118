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
  // A restock fans out over every partition of inventory.events at once; each batch locks its orders and customers in
  // lock-key order, so partitions can be handled side by side without reordering anything a customer sees.
  consumer: { partitionsConsumedConcurrently: 3 },
  module: (rt) => NotificationModule.register(rt),
  configureApp: (app) => serveOpenApi(app, notificationApi),
});
