import 'reflect-metadata';
import { runService, serveOpenApi } from '@fulfillment/platform';
import { SupplierOneInbox1796083200000 } from './migrations/supplier-one-inbox-1796083200000.js';
import { SupplierReadModel1795737600000 } from './migrations/supplier-read-model.migration.js';
import { SupplierReplenishmentRequests1796169600000 } from './migrations/supplier-replenishment-requests-1796169600000.js';
import { supplierApi } from './openapi/openapi.js';
import { SupplierModule } from './supplier.module.js';

await runService({
  service: 'supplier',
  migrations: [SupplierReadModel1795737600000, SupplierOneInbox1796083200000, SupplierReplenishmentRequests1796169600000],
  module: () => SupplierModule,
  configureApp: (app) => serveOpenApi(app, supplierApi),
});
