import 'reflect-metadata';
import { runService } from '@fulfillment/platform';
import { InventoryModule } from './app.module.js';

await runService({
  service: 'inventory',
  migrations: [],
  module: (rt) => InventoryModule.register(rt),
});
