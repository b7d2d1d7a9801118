import { expect, it } from '@jest/globals';
import { DEFAULT_PORTS, loadConfig } from '@fulfillment/platform';
import { composeProblems } from '@fulfillment/testing';

it('docker-compose.yml runs the supplier service with settings its own configuration accepts', () => {
  expect(composeProblems('supplier', DEFAULT_PORTS.supplier, (env) => loadConfig('supplier', env))).toEqual([]);
});
