import 'reflect-metadata';
import { runService, serveOpenApi } from '@fulfillment/platform';
import { OrderOneInbox1796083200000 } from './migrations/order-one-inbox-1796083200000.js';
import { OrderReadModel1795737600000 } from './migrations/order-read-model1795737600000.js';
import { orderApi } from './openapi/openapi.js';
import { OrderModule } from './order.module.js';

await runService({
  service: 'order',
  migrations: [OrderReadModel1795737600000, OrderOneInbox1796083200000],
  module: () => OrderModule,
  configureApp: (app) => serveOpenApi(app, orderApi),
});
