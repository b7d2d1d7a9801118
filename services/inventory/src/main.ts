import 'reflect-metadata';
import { runService, serveOpenApi } from '@fulfillment/platform';
import { InventoryModule } from './inventory.module.js';
import { InventorySchema1795737600000 } from './migrations/inventory-schema.migration.js';
import { inventoryApi } from './openapi/openapi.js';

await runService({
  service: 'inventory',
  migrations: [InventorySchema1795737600000],
  module: () => InventoryModule,
  configureApp: (app) => serveOpenApi(app, inventoryApi),
});
