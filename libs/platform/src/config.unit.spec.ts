import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives sensible defaults: the SPEC port, the local broker and a database of the service own', () => {
    const c = loadConfig('inventory', {});
    expect(c.port).toBe(3002);
    expect(c.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/fulfillment_inventory');
  });

  it('lets PORT, KAFKA_BROKERS and DATABASE_URL override', () => {
    const c = loadConfig('order', { PORT: '4001', KAFKA_BROKERS: 'a:1, b:2', DATABASE_URL: 'postgres://u:p@db:5432/orders' });
    expect(c).toMatchObject({ port: 4001, kafka: { brokers: ['a:1', 'b:2'] }, databaseUrl: 'postgres://u:p@db:5432/orders' });
  });

  it.each([
    ['KAFKA_BROKERS', { KAFKA_BROKERS: 'nonsense' }, /KAFKA_BROKERS is invalid \("nonsense"\): each broker must be host:port/],
    ['PORT', { PORT: '70000' }, /PORT is invalid/],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x' }, /DATABASE_URL is invalid .*postgres:\/\//],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /LOG_LEVEL is invalid/],
  ])('refuses a malformed %s with one line naming it', (setting, env, message) => {
    let error: unknown;
    try {
      loadConfig('order', env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe(setting);
    expect((error as Error).message).toMatch(/^order-service: invalid configuration: /);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('takes the consumer group timing that moves a dead instance\'s partitions within seconds, overridable', () => {
    expect(loadConfig('order', {}).kafka.group).toEqual({ sessionTimeout: 6_000, heartbeatInterval: 1_000, rebalanceTimeout: 10_000, maxWaitTimeInMs: 1_000 });
    const c = loadConfig('order', {
      KAFKA_SESSION_TIMEOUT_MS: '9000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '3000',
      KAFKA_REBALANCE_TIMEOUT_MS: '20000',
      KAFKA_FETCH_MAX_WAIT_MS: '500',
    });
    expect(c.kafka.group).toEqual({ sessionTimeout: 9_000, heartbeatInterval: 3_000, rebalanceTimeout: 20_000, maxWaitTimeInMs: 500 });
  });

  it.each([
    ['KAFKA_SESSION_TIMEOUT_MS', { KAFKA_SESSION_TIMEOUT_MS: 'soon' }, /KAFKA_SESSION_TIMEOUT_MS is invalid \("soon"\)/],
    ['KAFKA_REBALANCE_TIMEOUT_MS', { KAFKA_REBALANCE_TIMEOUT_MS: '0' }, /KAFKA_REBALANCE_TIMEOUT_MS is invalid/],
    ['KAFKA_HEARTBEAT_INTERVAL_MS', { KAFKA_HEARTBEAT_INTERVAL_MS: '6000' }, /KAFKA_HEARTBEAT_INTERVAL_MS is invalid \(6000\): must be below KAFKA_SESSION_TIMEOUT_MS \(6000\)/],
    ['KAFKA_FETCH_MAX_WAIT_MS', { KAFKA_SESSION_TIMEOUT_MS: '7000', KAFKA_FETCH_MAX_WAIT_MS: '8000' }, /KAFKA_FETCH_MAX_WAIT_MS is invalid \(8000\): must be below/],
  ])('refuses consumer group timing %s that kafkajs or the broker would not take', (setting, env, message) => {
    let error: unknown;
    try {
      loadConfig('inventory', env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe(setting);
    expect((error as Error).message).toMatch(message);
  });

  it('names a missing required service setting', () => {
    expect(() => loadConfig('notification', {}, { WEBHOOK_SECRET: z.string().min(16) })).toThrow(
      'notification-service: invalid configuration: WEBHOOK_SECRET is missing',
    );
  });

  it('never echoes a password', () => {
    expect(() => loadConfig('order', { DATABASE_URL: 'postgres://u:secret@db' })).toThrow(/u:\*\*\*@db/);
    expect(() => loadConfig('order', { DATABASE_URL: 'postgres://u:secret@db' })).not.toThrow(/secret/);
  });
});
