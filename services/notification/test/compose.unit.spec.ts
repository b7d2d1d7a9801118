import { expect, it } from '@jest/globals';
import { DEFAULT_PORTS, loadConfig } from '@fulfillment/platform';
import { composeProblems, readCompose } from '@fulfillment/testing';
import { notificationConfigShape, toSettings } from '../src/notification.config.js';

const load = (env: NodeJS.ProcessEnv) => loadConfig('notification', env, notificationConfigShape(env));

it('docker-compose.yml runs the notification service with settings its own configuration accepts', () => {
  expect(composeProblems('notification', DEFAULT_PORTS.notification, load)).toEqual([]);
});

it('sends its email to the Mailpit service of the compose file', () => {
  const compose = readCompose();
  const settings = toSettings(load(compose.services.notification.environment ?? {}).extra);
  expect(new URL(settings.smtpUrl ?? '').hostname).toBe('mailpit');
  expect(compose.services.mailpit.image).toMatch(/^axllent\/mailpit:v\d/);
  expect(compose.services.notification.depends_on?.mailpit?.condition).toBe('service_healthy');
});
