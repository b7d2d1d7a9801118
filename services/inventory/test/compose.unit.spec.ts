import { expect, it } from '@jest/globals';
import { DEFAULT_PORTS, loadConfig } from '@fulfillment/platform';
import { composeProblems } from '@fulfillment/testing';
import { inventoryConfigShape } from '../src/inventory.config.js';

it('docker-compose.yml runs the inventory service with settings its own configuration accepts', () => {
  expect(composeProblems('inventory', DEFAULT_PORTS.inventory, (env) => loadConfig('inventory', env, inventoryConfigShape))).toEqual([]);
});
