import 'reflect-metadata';
import { runService, serveOpenApi } from '@fulfillment/platform';
import { inventoryConfigShape } from './inventory.config.js';
import { InventoryModule } from './inventory.module.js';
import { InventoryPoliciesPlanning1796169600000 } from './migrations/inventory-policies-planning.migration.js';
import { InventorySchema1795737600000 } from './migrations/inventory-schema.migration.js';
import { inventoryApi } from './openapi/openapi.js';

await runService({
  service: 'inventory',
  migrations: [InventorySchema1795737600000, InventoryPoliciesPlanning1796169600000],
  extraConfig: inventoryConfigShape,
  module: () => InventoryModule,
  configureApp: (app) => serveOpenApi(app, inventoryApi),
});
