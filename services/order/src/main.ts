import 'reflect-metadata';
import { TOPICS } from '@fulfillment/contracts';
import { runService, serveOpenApi } from '@fulfillment/platform';
import { OrderModule } from './app.module.js';
import { OrderReadModel1795737600000 } from './migrations/order-read-model1795737600000.js';
import { orderApi } from './openapi/openapi.js';

await runService({
  service: 'order',
  migrations: [OrderReadModel1795737600000],
  module: (rt) => OrderModule.register(rt),
  consumes: [TOPICS.orderCommands, TOPICS.inventoryEvents],
  configureApp: (app) => serveOpenApi(app, orderApi),
});
