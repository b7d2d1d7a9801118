import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '@fulfillment/platform';
import { notificationConfigShape, toSettings } from './notification.config.js';

// Every service verifies tokens (SPEC 12); these tests are about other settings.
const TEST_AUTH = { AUTH_JWT_SECRET: 'a-test-secret-of-at-least-32-characters' };

function load(env: Record<string, string>) {
  return loadConfig('notification', { ...TEST_AUTH, ...env }, notificationConfigShape(env));
}

function problem(env: Record<string, string>): string {
  try {
    load(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a configuration error');
}

describe('notification settings', () => {
  it('default to in-app only, UTC, 5 attempts from 1 s', () => {
    const settings = toSettings(load({}).extra);
    expect(settings).toMatchObject({
      smtpUrl: undefined,
      webhook: undefined,
      timeZone: 'UTC',
      delivery: { maxAttempts: 5, initialDelayMs: 1000, maxDelayMs: 60000 },
      parkTimeoutMs: 30000,
    });
  });

  it('take an SMTP URL and a webhook with its secret', () => {
    const settings = toSettings(
      load({ SMTP_URL: 'smtp://127.0.0.1:1025', WEBHOOK_URL: 'https://hooks.example.com/in', WEBHOOK_SECRET: 'sixteen-chars-ok' }).extra,
    );
    expect(settings.smtpUrl).toBe('smtp://127.0.0.1:1025');
    expect(settings.webhook).toEqual({ url: 'https://hooks.example.com/in', secret: 'sixteen-chars-ok' });
  });

  it('read empty variables as unset', () => {
    const settings = toSettings(load({ SMTP_URL: '', WEBHOOK_URL: '', WEBHOOK_SECRET: '' }).extra);
    expect(settings.smtpUrl).toBeUndefined();
    expect(settings.webhook).toBeUndefined();
  });

  it.each([
    [{ SMTP_URL: 'http://mail:25' }, /^notification-service: invalid configuration: SMTP_URL is invalid .*smtp:\/\//],
    [{ SMTP_URL: 'not a url' }, /^notification-service: invalid configuration: SMTP_URL is invalid/],
    [{ WEBHOOK_URL: 'ftp://hooks', WEBHOOK_SECRET: 'sixteen-chars-ok' }, /WEBHOOK_URL is invalid .*http:\/\//],
    [{ WEBHOOK_URL: 'https://hooks.example.com' }, /WEBHOOK_SECRET is missing: is required when WEBHOOK_URL is set$/],
    [{ WEBHOOK_URL: 'https://hooks.example.com', WEBHOOK_SECRET: 'short' }, /WEBHOOK_SECRET is invalid \("\*\*\*"\): must be at least 16/],
    [{ WEBHOOK_URL: 'https://hooks.example.com', WEBHOOK_SECRET: 'whsec_not-base64-at-all!' }, /WEBHOOK_SECRET is invalid \("\*\*\*"\): after "whsec_" must be base64$/],
    [{ NOTIFICATION_TIME_ZONE: 'Mars/Olympus' }, /NOTIFICATION_TIME_ZONE is invalid .*IANA/],
    [{ DELIVERY_MAX_ATTEMPTS: '0' }, /DELIVERY_MAX_ATTEMPTS is invalid/],
  ])('refuse %j with one line naming the setting', (env, message) => {
    const text = problem(env);
    expect(text).toMatch(message);
    expect(text).not.toContain('\n');
  });

  it('never show the password of a malformed SMTP URL', () => {
    expect(problem({ SMTP_URL: 'http://user:hunter2hunter2@mail:25' })).not.toContain('hunter2');
  });
});
