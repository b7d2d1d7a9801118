import { z } from 'zod';
import type { DeliveryPolicy } from './deliver-notifications/delivery.worker.js';
import { webhookSecretProblem } from './deliver-notifications/webhook-signature.js';

// The service's own settings, validated by the platform with the base ones: a bad value stops the service with one
// line naming it (exit 78) instead of failing at the first email or webhook hours later.

function urlWithProtocol(protocols: readonly string[], hint: string) {
  return z.string().refine((value) => {
    try {
      const url = new URL(value);
      return protocols.includes(url.protocol) && url.hostname !== '';
    } catch {
      return false;
    }
  }, hint);
}

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const positiveMs = z.coerce.number().int().min(1);

/** A raw secret of 16+ characters, or a Standard Webhooks `whsec_<base64>` one. */
const webhookSecret = (base: z.ZodString) =>
  base.min(16, 'must be at least 16 characters').superRefine((secret, ctx) => {
    const problem = webhookSecretProblem(secret);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  });

/** An empty variable (as compose files and shells often leave them) means "not set", not "invalid". */
function optionalSetting<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

/**
 * The settings shape for `runService({ extraConfig })`. It is built from the environment because the platform takes a
 * shape, not an object schema, so a rule across two settings (a webhook URL needs a secret) has to be stated on the
 * dependent field itself.
 */
export function notificationConfigShape(env: NodeJS.ProcessEnv) {
  const webhookConfigured = env.WEBHOOK_URL !== undefined && env.WEBHOOK_URL !== '';
  return {
    SMTP_URL: optionalSetting(urlWithProtocol(['smtp:', 'smtps:'], 'must be an smtp://[user:password@]host:port or smtps:// URL')),
    EMAIL_FROM: z
      .string()
      .regex(/^[^\r\n]*@[^\r\n]*$/, 'must be an address such as "Shop <notifications@example.com>"')
      .default('Fulfillment <notifications@localhost>'),
    WEBHOOK_URL: optionalSetting(urlWithProtocol(['http:', 'https:'], 'must be an http:// or https:// URL')),
    WEBHOOK_SECRET: webhookConfigured
      ? webhookSecret(z.string({ error: 'is required when WEBHOOK_URL is set' }))
      : optionalSetting(webhookSecret(z.string())),
    NOTIFICATION_TIME_ZONE: z.string().refine(isTimeZone, 'must be an IANA time zone such as Europe/Paris').default('UTC'),
    DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
    DELIVERY_RETRY_INITIAL_MS: positiveMs.default(1_000),
    DELIVERY_RETRY_MAX_MS: positiveMs.default(60_000),
    DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
    DELIVERY_POLL_MS: positiveMs.default(250),
    DELIVERY_TIMEOUT_MS: positiveMs.default(10_000),
    PARK_TIMEOUT_MS: positiveMs.default(30_000),
  };
}

export type NotificationExtraConfig = z.infer<z.ZodObject<ReturnType<typeof notificationConfigShape>>>;

/** What the rest of the service needs, in its own words (no raw environment names past this point). */
export interface NotificationSettings {
  readonly smtpUrl: string | undefined;
  readonly emailFrom: string;
  readonly webhook: { readonly url: string; readonly secret: string } | undefined;
  readonly timeZone: string;
  readonly delivery: DeliveryPolicy;
  readonly parkTimeoutMs: number;
}

export function toSettings(extra: NotificationExtraConfig): NotificationSettings {
  return {
    smtpUrl: extra.SMTP_URL,
    emailFrom: extra.EMAIL_FROM,
    // The shape makes the secret required whenever the URL is set; the check restates it for the type system.
    webhook: extra.WEBHOOK_URL && extra.WEBHOOK_SECRET ? { url: extra.WEBHOOK_URL, secret: extra.WEBHOOK_SECRET } : undefined,
    timeZone: extra.NOTIFICATION_TIME_ZONE,
    delivery: {
      maxAttempts: extra.DELIVERY_MAX_ATTEMPTS,
      initialDelayMs: extra.DELIVERY_RETRY_INITIAL_MS,
      maxDelayMs: Math.max(extra.DELIVERY_RETRY_MAX_MS, extra.DELIVERY_RETRY_INITIAL_MS),
      concurrency: extra.DELIVERY_CONCURRENCY,
      pollMs: extra.DELIVERY_POLL_MS,
      timeoutMs: extra.DELIVERY_TIMEOUT_MS,
    },
    parkTimeoutMs: extra.PARK_TIMEOUT_MS,
  };
}

export const NOTIFICATION_SETTINGS = Symbol('NOTIFICATION_SETTINGS');
