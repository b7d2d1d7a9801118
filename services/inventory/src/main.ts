import 'reflect-metadata';
import { TOPICS } from '@fulfillment/contracts';
import { runService, serveOpenApi } from '@fulfillment/platform';
import { InventoryModule } from './app.module.js';
import { InventorySchema1795737600000 } from './migrations/inventory-schema.migration.js';
import { inventoryApi } from './openapi/openapi.js';

await runService({
  service: 'inventory',
  migrations: [InventorySchema1795737600000],
  module: (rt) => InventoryModule.register(rt),
  consumes: [TOPICS.orderEvents, TOPICS.supplierEvents],
  configureApp: (app) => serveOpenApi(app, inventoryApi),
});
