import { expect, it } from '@jest/globals';
import { DEFAULT_PORTS, loadConfig } from '@fulfillment/platform';
import { composeProblems } from '@fulfillment/testing';

it('docker-compose.yml runs the order service with settings its own configuration accepts', () => {
  expect(composeProblems('order', DEFAULT_PORTS.order, (env) => loadConfig('order', env))).toEqual([]);
});
