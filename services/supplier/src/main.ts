import 'reflect-metadata';
import { TOPICS } from '@fulfillment/contracts';
import { runService, serveOpenApi } from '@fulfillment/platform';
import { SupplierModule } from './app.module.js';
import { SupplierReadModel1795737600000 } from './migrations/supplier-read-model.migration.js';
import { supplierApi } from './openapi/openapi.js';

await runService({
  service: 'supplier',
  migrations: [SupplierReadModel1795737600000],
  module: (rt) => SupplierModule.register(rt),
  consumes: [TOPICS.supplierCommands, TOPICS.inventoryEvents],
  configureApp: (app) => serveOpenApi(app, supplierApi),
});
