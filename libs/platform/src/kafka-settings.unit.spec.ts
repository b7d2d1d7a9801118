// The services validate the Kafka security settings with loadConfig; the scripts (infra:up, demo, benches) and the test
// helpers read the same settings with infra/local/kafka-security.mjs. Both must take and refuse the same things.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '@fulfillment/testing';
import { ConfigError, loadConfig } from './config.js';

// Every service verifies tokens (SPEC 12); these tests are about other settings.
const TEST_AUTH = { AUTH_JWT_SECRET: 'a-test-secret-of-at-least-32-characters' };

type FromEnv = (env: Record<string, string>) => { ssl?: unknown; sasl?: unknown };
let kafkaSecurityFromEnv: FromEnv;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-settings-'));
const caFile = path.join(tmp, 'ca.pem');
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

beforeAll(async () => {
  fs.writeFileSync(caFile, PEM);
  ({ kafkaSecurityFromEnv } = (await import(path.join(repoRoot(), 'infra/local/kafka-security.mjs'))) as { kafkaSecurityFromEnv: FromEnv });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const sasl = { KAFKA_SASL_MECHANISM: 'scram-sha-256', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'pa55word' };

describe('Kafka security settings: the services and the scripts agree', () => {
  it.each([
    ['nothing', {}],
    ['TLS', { KAFKA_SSL: 'true' }],
    ['TLS with a CA file', { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: caFile }],
    ['SASL over TLS', { KAFKA_SSL: 'true', ...sasl }],
    ['PLAIN', { ...sasl, KAFKA_SASL_MECHANISM: 'plain' }],
  ])('take %s to the same client options', (_what, env: Record<string, string>) => {
    const { ssl, sasl: saslOptions } = loadConfig('order', { ...TEST_AUTH, ...env }).kafka;
    const expected = {
      ...(ssl === undefined ? {} : { ssl: ssl === true ? true : { ca: [ssl.ca] } }),
      ...(saslOptions === undefined ? {} : { sasl: saslOptions }),
    };
    expect(kafkaSecurityFromEnv(env)).toEqual(expected);
  });

  it.each([
    ['KAFKA_SSL', { KAFKA_SSL: 'on' }],
    ['KAFKA_SSL_CA_FILE', { KAFKA_SSL: 'true', KAFKA_SSL_CA_FILE: path.join(tmp, 'missing.pem') }],
    ['KAFKA_SSL', { KAFKA_SSL_CA_FILE: caFile }],
    ['KAFKA_SASL_MECHANISM', { ...sasl, KAFKA_SASL_MECHANISM: 'scram' }],
    ['KAFKA_SASL_USERNAME', { ...sasl, KAFKA_SASL_USERNAME: '' }],
    ['KAFKA_SASL_PASSWORD', { KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' }],
    ['KAFKA_SASL_MECHANISM', { KAFKA_SASL_PASSWORD: 'pa55word' }],
  ])('refuse a wrong %s, naming it, without the password', (setting, env: Record<string, string>) => {
    let config: unknown;
    try {
      loadConfig('order', { ...TEST_AUTH, ...env });
    } catch (error) {
      config = error;
    }
    expect(config).toBeInstanceOf(ConfigError);
    expect((config as ConfigError).setting).toBe(setting);
    expect(() => kafkaSecurityFromEnv(env)).toThrow(new RegExp(`^${setting} `));
    expect(() => kafkaSecurityFromEnv(env)).not.toThrow(/pa55word/);
    expect((config as Error).message).not.toContain('pa55word');
  });
});
