import { afterAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, httpBaseUrl, loadConfig, parseSettings } from './config.js';

// Every service verifies tokens (SPEC 12); these tests are about other settings.
const TEST_AUTH = { AUTH_JWT_SECRET: 'a-test-secret-of-at-least-32-characters' };

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'config-spec-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const caFile = path.join(tmp, 'ca.pem');
fs.writeFileSync(caFile, PEM);
const notPem = path.join(tmp, 'ca.txt');
fs.writeFileSync(notPem, 'not a certificate');

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig('order', { ...TEST_AUTH, ...env });
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('gives sensible defaults: the SPEC port, the local broker and a database of the service own', () => {
    const c = loadConfig('inventory', { ...TEST_AUTH });
    expect(c.port).toBe(3002);
    expect(c.kafka.brokers).toEqual(['127.0.0.1:9092']);
    expect(c.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/fulfillment_inventory');
  });

  it('lets PORT, KAFKA_BROKERS and DATABASE_URL override', () => {
    const c = loadConfig('order', { ...TEST_AUTH, PORT: '4001', KAFKA_BROKERS: 'a:1, b:2', DATABASE_URL: 'postgres://u:p@db:5432/orders' });
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
      loadConfig('order', { ...TEST_AUTH, ...env });
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
    expect(loadConfig('order', { ...TEST_AUTH }).kafka.group).toEqual({
      sessionTimeout: 6_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 10_000,
      maxWaitTimeInMs: 1_000,
      minBytes: 1,
    });
    const c = loadConfig('order', {
      ...TEST_AUTH,
      KAFKA_SESSION_TIMEOUT_MS: '9000',
      KAFKA_HEARTBEAT_INTERVAL_MS: '3000',
      KAFKA_REBALANCE_TIMEOUT_MS: '20000',
      KAFKA_FETCH_MAX_WAIT_MS: '500',
      KAFKA_FETCH_MIN_BYTES: '65536',
    });
    expect(c.kafka.group).toEqual({ sessionTimeout: 9_000, heartbeatInterval: 3_000, rebalanceTimeout: 20_000, maxWaitTimeInMs: 500, minBytes: 65_536 });
  });

  it.each([
    ['KAFKA_SESSION_TIMEOUT_MS', { KAFKA_SESSION_TIMEOUT_MS: 'soon' }, /KAFKA_SESSION_TIMEOUT_MS is invalid \("soon"\)/],
    ['KAFKA_REBALANCE_TIMEOUT_MS', { KAFKA_REBALANCE_TIMEOUT_MS: '0' }, /KAFKA_REBALANCE_TIMEOUT_MS is invalid/],
    ['KAFKA_HEARTBEAT_INTERVAL_MS', { KAFKA_HEARTBEAT_INTERVAL_MS: '6000' }, /KAFKA_HEARTBEAT_INTERVAL_MS is invalid \(6000\): must be below KAFKA_SESSION_TIMEOUT_MS \(6000\)/],
    ['KAFKA_FETCH_MAX_WAIT_MS', { KAFKA_SESSION_TIMEOUT_MS: '7000', KAFKA_FETCH_MAX_WAIT_MS: '8000' }, /KAFKA_FETCH_MAX_WAIT_MS is invalid \(8000\): must be below/],
    ['KAFKA_FETCH_MIN_BYTES', { KAFKA_FETCH_MIN_BYTES: '0' }, /KAFKA_FETCH_MIN_BYTES is invalid \("0"\): Too small/],
  ])('refuses consumer group timing %s that kafkajs or the broker would not take', (setting, env, message) => {
    let error: unknown;
    try {
      loadConfig('inventory', { ...TEST_AUTH, ...env });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).setting).toBe(setting);
    expect((error as Error).message).toMatch(message);
  });

  it('names a missing required service setting', () => {
    expect(() => loadConfig('notification', { ...TEST_AUTH }, { WEBHOOK_SECRET: z.string().min(16) })).toThrow(
      'notification-service: invalid configuration: WEBHOOK_SECRET is missing',
    );
  });

  it('never echoes a password', () => {
    expect(() => loadConfig('order', { ...TEST_AUTH, DATABASE_URL: 'postgres://u:secret@db' })).toThrow(/u:\*\*\*@db/);
    expect(() => loadConfig('order', { ...TEST_AUTH, DATABASE_URL: 'postgres://u:secret@db' })).not.toThrow(/secret/);
  });
});

describe('loadConfig: Kafka security (SPEC 12)', () => {
  it('connects in plaintext without authentication by default', () => {
    const { kafka } = loadConfig('order', { ...TEST_AUTH });
    expect(kafka.ssl).toBeUndefined();
    expect(kafka.sasl).toBeUndefined();
  });

  it('turns on TLS with the system CAs, or with the CA file it reads at start', () => {
    expect(loadConfig('order', { ...TEST_AUTH, KAFKA_SSL: 'true' }).kafka.ssl).toBe(true);
    expect(loadConfig('order', { ...TEST_AUTH, KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: caFile }).kafka.ssl).toEqual({ ca: PEM });
    expect(loadConfig('order', { ...TEST_AUTH, KAFKA_SSL: 'false' }).kafka.ssl).toBeUndefined();
  });

  it.each(['scram-sha-512', 'scram-sha-256', 'plain'] as const)('passes SASL %s with its username and password', (mechanism) => {
    const env = { KAFKA_SSL: 'true', KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'order', KAFKA_SASL_PASSWORD: 's3cret' };
    expect(loadConfig('order', { ...TEST_AUTH, ...env }).kafka).toMatchObject({ ssl: true, sasl: { mechanism, username: 'order', password: 's3cret' } });
  });

  it.each([
    ['KAFKA_SSL', { KAFKA_SSL: 'yes' }, 'KAFKA_SSL is invalid ("yes"): must be true or false'],
    ['KAFKA_SSL_CA_FILE', { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: path.join(tmp, 'missing.pem') }, /KAFKA_SSL_CA_FILE is invalid \(".*missing\.pem"\): cannot be read \(ENOENT\)/],
    ['KAFKA_SSL_CA_FILE', { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: notPem }, /KAFKA_SSL_CA_FILE is invalid \(".*ca\.txt"\): holds no PEM certificate/],
    ['KAFKA_SSL', { KAFKA_SSL_CA_FILE: caFile }, 'KAFKA_SSL is not true: KAFKA_SSL_CA_FILE is set, which only TLS uses'],
    ['KAFKA_SASL_MECHANISM', { KAFKA_SASL_MECHANISM: 'gssapi' }, /KAFKA_SASL_MECHANISM is invalid \("gssapi"\)/],
    ['KAFKA_SASL_USERNAME', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_PASSWORD: 'p' }, 'KAFKA_SASL_USERNAME is missing: KAFKA_SASL_MECHANISM=plain needs a username and a password'],
    ['KAFKA_SASL_PASSWORD', { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'order' }, 'KAFKA_SASL_PASSWORD is missing: KAFKA_SASL_MECHANISM=scram-sha-512 needs a username and a password'],
    ['KAFKA_SASL_MECHANISM', { KAFKA_SASL_USERNAME: 'order', KAFKA_SASL_PASSWORD: 'p' }, 'KAFKA_SASL_MECHANISM is missing: KAFKA_SASL_USERNAME is set, and a mechanism says how to use it'],
  ])('refuses a wrong %s with one line naming it', (setting, env, message) => {
    const error = configError(env);
    expect(error.setting).toBe(setting);
    expect(error.message).toMatch(/^order-service: invalid configuration: /);
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
  });

  it('names a CA path it cannot read as a file', () => {
    expect(configError({ KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: tmp }).message).toMatch(/KAFKA_SSL_CA_FILE is invalid .*: cannot be read \(EISDIR\)/);
  });

  it('never echoes the SASL password', () => {
    const error = configError({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'order', KAFKA_SASL_PASSWORD: '' });
    expect(error.message).toBe('order-service: invalid configuration: KAFKA_SASL_PASSWORD is invalid ("***"): must not be empty');
    expect(configError({ KAFKA_SASL_USERNAME: 'order', KAFKA_SASL_PASSWORD: 'hunter2' }).message).not.toContain('hunter2');
  });
});

describe('loadConfig: authentication (SPEC 12)', () => {
  it('refuses to start without a way to verify tokens, naming the setting and what else would do', () => {
    expect(() => loadConfig('order', {})).toThrow(
      'order-service: invalid configuration: AUTH_JWT_SECRET is missing: set it or AUTH_JWKS_URL to verify tokens, or AUTH_DISABLED=true to turn checking off',
    );
  });

  it('checks tokens with the secret, or not at all when AUTH_DISABLED=true', () => {
    expect(loadConfig('order', { ...TEST_AUTH }).auth).toEqual({ disabled: false, jwtSecret: TEST_AUTH.AUTH_JWT_SECRET });
    expect(loadConfig('order', { AUTH_DISABLED: 'true' }).auth).toEqual({ disabled: true });
  });
});

describe('parseSettings and httpBaseUrl (apps without Kafka or a database: the console)', () => {
  const schema = z.object({ UPSTREAM_URL: httpBaseUrl.default('http://127.0.0.1:3001'), API_TOKEN: z.string().min(40).optional() });

  it('gives the validated settings, a base URL without its trailing slash', () => {
    expect(parseSettings('console', schema, {})).toEqual({ UPSTREAM_URL: 'http://127.0.0.1:3001' });
    expect(parseSettings('console', schema, { UPSTREAM_URL: 'https://gw.example.com/api/' })).toEqual({ UPSTREAM_URL: 'https://gw.example.com/api' });
  });

  it('refuses the first bad setting in one line naming it, a secret not shown', () => {
    expect(() => parseSettings('console', schema, { UPSTREAM_URL: 'mailto:x@y' })).toThrow(/^console-service: invalid configuration: UPSTREAM_URL is invalid \("mailto:x@y"\): must be an http/);
    expect(() => parseSettings('console', schema, { API_TOKEN: 'short-secret' })).toThrow('API_TOKEN is invalid ("***")');
    expect(() => parseSettings('console', schema, { UPSTREAM_URL: 'http://h:1/#top' })).toThrow(ConfigError);
  });
});
