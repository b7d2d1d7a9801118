import 'reflect-metadata';
import { runService } from '@fulfillment/platform';
import { SupplierModule } from './app.module.js';

await runService({
  service: 'supplier',
  migrations: [],
  module: (rt) => SupplierModule.register(rt),
});
