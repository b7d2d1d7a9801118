import { expect, it } from '@jest/globals';
import { readCompose } from '@fulfillment/testing';
import { CONSOLE_PORT, loadConsoleConfig, UPSTREAMS } from '../src/console.config.js';

it('docker-compose.yml runs the console with settings its own configuration accepts, reading the services compose runs', () => {
  const { services } = readCompose();
  const config = loadConsoleConfig(services.console?.environment ?? {});
  expect(config.port).toBe(CONSOLE_PORT);
  for (const service of UPSTREAMS) {
    const url = new URL(config.upstreams[service]);
    expect({ service, host: url.hostname, port: url.port }).toEqual({ service, host: service, port: services[service]?.environment?.PORT });
  }
});
