import 'reflect-metadata';
import { runService } from '@fulfillment/platform';
import { OrderModule } from './app.module.js';

await runService({
  service: 'order',
  migrations: [],
  module: (rt) => OrderModule.register(rt),
});
