import 'reflect-metadata';
import { runService, serveOpenApi } from '@fulfillment/platform';
import { OrderUpgrade1796083200000 } from './migrations/order-upgrade-1796083200000.js';
import { OrderReadModel1795737600000 } from './migrations/order-read-model1795737600000.js';
import { orderApi } from './openapi/openapi.js';
import { OrderModule } from './order.module.js';

await runService({
  service: 'order',
  migrations: [OrderReadModel1795737600000, OrderUpgrade1796083200000],
  module: () => OrderModule,
  configureApp: (app) => serveOpenApi(app, orderApi),
});
