import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '@fulfillment/platform';
import { inventoryConfigShape } from './inventory.config.js';

const load = (env: Record<string, string>) => loadConfig('inventory', { AUTH_DISABLED: 'true', ...env }, inventoryConfigShape);

describe('inventory settings', () => {
  it('sweeps every minute unless told otherwise', () => {
    expect(load({}).extra.EXPIRY_SWEEP_INTERVAL_MS).toBe(60_000);
    expect(load({ EXPIRY_SWEEP_INTERVAL_MS: '500' }).extra.EXPIRY_SWEEP_INTERVAL_MS).toBe(500);
  });

  it.each(['', 'soon', '1.5', '99', '-1000', '86400001'])('refuses EXPIRY_SWEEP_INTERVAL_MS=%j with one line naming it', (value) => {
    let error: unknown;
    try {
      load({ EXPIRY_SWEEP_INTERVAL_MS: value });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^inventory-service: invalid configuration: EXPIRY_SWEEP_INTERVAL_MS is invalid .*: must be an integer number of milliseconds/);
  });
});
