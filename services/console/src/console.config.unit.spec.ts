import { describe, expect, it } from '@jest/globals';
import { ConfigError } from '@fulfillment/platform';
import { loadConsoleConfig } from './console.config.js';

const refusal = (env: Record<string, string>): string => {
  try {
    loadConsoleConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConsoleConfig', () => {
  it('runs on port 3000 against the four services where npm start runs them', () => {
    expect(loadConsoleConfig({})).toEqual({
      port: 3000,
      logLevel: 'info',
      shutdownTimeoutMs: 10_000,
      upstreams: { order: 'http://127.0.0.1:3001', inventory: 'http://127.0.0.1:3002', supplier: 'http://127.0.0.1:3003', notification: 'http://127.0.0.1:3004' },
      upstreamTimeoutMs: 10_000,
      board: { sampleIntervalMs: 5_000, samplesKept: 720 },
    });
  });

  it('takes PORT and the services base URLs (a trailing slash dropped, a path prefix kept)', () => {
    const c = loadConsoleConfig({ PORT: '4000', ORDER_URL: 'http://order:3001/', INVENTORY_URL: 'https://gw.example.com/inventory/', BOARD_SAMPLES_KEPT: '10' });
    expect(c.port).toBe(4000);
    expect(c.upstreams.order).toBe('http://order:3001');
    expect(c.upstreams.inventory).toBe('https://gw.example.com/inventory');
    expect(c.board.samplesKept).toBe(10);
  });

  it('refuses a bad setting in one line that names it', () => {
    expect(refusal({ ORDER_URL: 'order:3001' })).toMatch(/^console-service: invalid configuration: ORDER_URL is invalid \("order:3001"\): must be an http:\/\/ or https:\/\/ URL/);
    expect(refusal({ NOTIFICATION_URL: 'ftp://n:21' })).toMatch(/NOTIFICATION_URL is invalid/);
    expect(refusal({ SUPPLIER_URL: 'http://s:3003/?x=1' })).toMatch(/SUPPLIER_URL is invalid/);
    // Credentials in a URL would end up in error messages and the status line: refused, and not shown back.
    expect(refusal({ INVENTORY_URL: 'http://user:secret@i:3002' })).toMatch(/INVENTORY_URL is invalid \("http:\/\/user:\*\*\*@i:3002"\)/);
    expect(refusal({ PORT: '70000' })).toMatch(/PORT is invalid/);
    expect(refusal({ UPSTREAM_TIMEOUT_MS: '0' })).toMatch(/UPSTREAM_TIMEOUT_MS is invalid/);
    expect(refusal({ LOG_LEVEL: 'loud' })).toMatch(/LOG_LEVEL is invalid/);
  });
});
