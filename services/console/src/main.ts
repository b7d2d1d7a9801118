import 'reflect-metadata';
import { runHttpApp } from '@fulfillment/platform';
import { loadConsoleConfig } from './console.config.js';
import { ConsoleModule } from './console.module.js';
import { serveWebUi } from './web/web.js';

await runHttpApp({
  app: 'console',
  loadConfig: loadConsoleConfig,
  module: (rt) => ConsoleModule.forRoot(rt),
  configureApp: (app) => serveWebUi(app),
});
