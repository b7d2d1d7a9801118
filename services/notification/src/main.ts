import 'reflect-metadata';
import { runService } from '@fulfillment/platform';
import { NotificationModule } from './app.module.js';

await runService({
  service: 'notification',
  migrations: [],
  module: (rt) => NotificationModule.register(rt),
});
