import fs from 'node:fs';
import { GROUP_RECOVERY_DEFAULTS } from '@fulfillment/messaging';
import { z } from 'zod';
import { ConfigError, redactUrl } from './config-error.js';
import { authConfigOf, authConfigShape, type AuthConfig, type AuthSettings } from './auth/auth-settings.js';

export type ServiceName = 'order' | 'inventory' | 'supplier' | 'notification';

export const DEFAULT_PORTS: Record<ServiceName, number> = { order: 3001, inventory: 3002, supplier: 3003, notification: 3004 };

const brokerList = z
  .string()
  .transform((s) => s.split(',').map((b) => b.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'each broker must be host:port')).min(1, 'at least one broker'));

const postgresUrl = z
  .string()
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'postgres:' || u.protocol === 'postgresql:') && u.pathname.length > 1;
    } catch {
      return false;
    }
  }, 'must be a postgres://user[:password]@host:port/database URL');

const port = z.coerce.number().int().min(1).max(65535);
const milliseconds = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

const flag = z.enum(['true', 'false'], { error: 'must be true or false' }).transform((v) => v === 'true');

/** A file the service can read now that holds a PEM certificate: a wrong path fails at start, not at first connect. */
const pemFile = z.string().min(1).superRefine((file, ctx) => {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})` });
    return;
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) ctx.addIssue({ code: 'custom', message: 'holds no PEM certificate' });
});

export const KAFKA_SASL_MECHANISMS = ['scram-sha-512', 'scram-sha-256', 'plain'] as const;
export type KafkaSaslMechanism = (typeof KAFKA_SASL_MECHANISMS)[number];

/** Settings every service reads; a service may extend it with its own. */
export const baseConfigSchema = z.object({
  PORT: port.optional(),
  KAFKA_BROKERS: brokerList.default(['127.0.0.1:9092']),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  KAFKA_SSL: flag.default(false),
  /** PEM file of the CA that signed the brokers' certificates, when it is not in the system trust store. */
  KAFKA_SSL_CA_FILE: pemFile.optional(),
  KAFKA_SASL_MECHANISM: z.enum(KAFKA_SASL_MECHANISMS).optional(),
  KAFKA_SASL_USERNAME: z.string().min(1, 'must not be empty').optional(),
  KAFKA_SASL_PASSWORD: z.string().min(1, 'must not be empty').optional(),
  /** Namespaces every topic and the consumer group, e.g. `staging.` -> `staging.order.events` (tests use one each). */
  KAFKA_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only').default(''),
  DATABASE_URL: postgresUrl.optional(),
  PGHOST: z.string().min(1).default('127.0.0.1'),
  PGPORT: port.default(5432),
  PGUSER: z.string().min(1).default('postgres'),
  PGPASSWORD: z.string().optional(),
  PGDATABASE: z.string().regex(/^[A-Za-z0-9_]+$/, 'letters, digits and _ only').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  /** Inbox rows older than this are pruned; keep it above the consumed topics' Kafka retention. */
  INBOX_RETENTION_DAYS: z.coerce.number().int().min(1).default(14),
  /** A request repeated with its Idempotency-Key later than this is treated as a new request. */
  IDEMPOTENCY_KEY_RETENTION_DAYS: z.coerce.number().int().min(1).default(7),
  // How soon a dead instance's partitions move to the others (SPEC 14); see GROUP_RECOVERY_DEFAULTS.
  KAFKA_SESSION_TIMEOUT_MS: milliseconds(GROUP_RECOVERY_DEFAULTS.sessionTimeout),
  KAFKA_HEARTBEAT_INTERVAL_MS: milliseconds(GROUP_RECOVERY_DEFAULTS.heartbeatInterval),
  KAFKA_REBALANCE_TIMEOUT_MS: milliseconds(GROUP_RECOVERY_DEFAULTS.rebalanceTimeout),
  KAFKA_FETCH_MAX_WAIT_MS: milliseconds(GROUP_RECOVERY_DEFAULTS.maxWaitTimeInMs),
  /** Bytes a fetch waits for (up to KAFKA_FETCH_MAX_WAIT_MS) before the broker answers: bigger batches, fewer transactions. */
  KAFKA_FETCH_MIN_BYTES: z.coerce.number().int().min(1).max(52_428_800).default(1),
  /** How often `kafka_consumergroup_lag` is measured (SPEC 13). */
  METRICS_LAG_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(5_000),
});

/** How the Kafka clients connect; absent parts mean plaintext and no authentication. */
export interface KafkaSecurity {
  /** TLS to the brokers; `ca` (PEM) is trusted instead of the system's CAs. */
  ssl?: true | { ca: string };
  sasl?: { mechanism: KafkaSaslMechanism; username: string; password: string };
}

export interface ServiceConfig {
  service: ServiceName;
  port: number;
  kafka: {
    brokers: string[];
    clientId: string;
    topicPrefix: string;
    groupId: string;
    /** consumer group timing, in kafkajs' terms */
    group: { sessionTimeout: number; heartbeatInterval: number; rebalanceTimeout: number; maxWaitTimeInMs: number; minBytes: number };
  } & KafkaSecurity;
  /** this service's own database (created on first start if missing) */
  databaseUrl: string;
  logLevel: z.infer<typeof baseConfigSchema>['LOG_LEVEL'];
  shutdownTimeoutMs: number;
  retention: { inboxDays: number; idempotencyKeyDays: number };
  metrics: { lagIntervalMs: number };
  /** How HTTP bearer tokens are checked (SPEC 12). */
  auth: AuthConfig;
}

export { ConfigError, redactUrl };

/**
 * Reads and validates the environment. Throws a ConfigError whose message is one line naming the first bad setting.
 * `extra` validates service-specific settings and is returned as `extra`.
 */
export function loadConfig<E extends z.ZodRawShape = Record<string, never>>(
  service: ServiceName,
  env: NodeJS.ProcessEnv = process.env,
  extra?: E,
): ServiceConfig & { extra: z.infer<z.ZodObject<E>> } {
  const schema = baseConfigSchema.extend(authConfigShape(env)).extend(extra ?? ({} as E));
  const c = parseSettings(service, schema, env) as unknown as z.infer<typeof baseConfigSchema> & Record<string, unknown>;
  const security = kafkaSecurityOf(service, c);
  // kafkajs refuses these at the first consumer, and a broker would drop a member that waits a whole session.
  for (const setting of ['KAFKA_HEARTBEAT_INTERVAL_MS', 'KAFKA_FETCH_MAX_WAIT_MS'] as const) {
    if (c[setting] >= c.KAFKA_SESSION_TIMEOUT_MS) {
      throw new ConfigError(service, setting, `is invalid (${c[setting]}): must be below KAFKA_SESSION_TIMEOUT_MS (${c.KAFKA_SESSION_TIMEOUT_MS})`);
    }
  }
  const databaseUrl =
    c.DATABASE_URL ??
    `postgres://${encodeURIComponent(c.PGUSER)}${c.PGPASSWORD ? `:${encodeURIComponent(c.PGPASSWORD)}` : ''}@${c.PGHOST}:${c.PGPORT}/${c.PGDATABASE ?? `fulfillment_${service}`}`;
  const extraValues = Object.fromEntries(Object.keys(extra ?? {}).map((k) => [k, c[k]])) as z.infer<z.ZodObject<E>>;
  return {
    service,
    port: c.PORT ?? DEFAULT_PORTS[service],
    kafka: {
      brokers: c.KAFKA_BROKERS,
      clientId: c.KAFKA_CLIENT_ID ?? `${service}-service`,
      topicPrefix: c.KAFKA_TOPIC_PREFIX,
      groupId: `${c.KAFKA_TOPIC_PREFIX}${service}-service`,
      ...security,
      group: {
        sessionTimeout: c.KAFKA_SESSION_TIMEOUT_MS,
        heartbeatInterval: c.KAFKA_HEARTBEAT_INTERVAL_MS,
        rebalanceTimeout: c.KAFKA_REBALANCE_TIMEOUT_MS,
        maxWaitTimeInMs: c.KAFKA_FETCH_MAX_WAIT_MS,
        minBytes: c.KAFKA_FETCH_MIN_BYTES,
      },
    },
    databaseUrl,
    logLevel: c.LOG_LEVEL,
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    retention: { inboxDays: c.INBOX_RETENTION_DAYS, idempotencyKeyDays: c.IDEMPOTENCY_KEY_RETENTION_DAYS },
    metrics: { lagIntervalMs: c.METRICS_LAG_INTERVAL_MS },
    auth: authConfigOf(c as unknown as AuthSettings),
    extra: extraValues,
  };
}

/** The rules that span settings; the CA file's content is read here so clients never touch the file again. */
function kafkaSecurityOf(service: ServiceName, c: z.infer<typeof baseConfigSchema>): KafkaSecurity {
  const needs = `KAFKA_SASL_MECHANISM=${c.KAFKA_SASL_MECHANISM} needs a username and a password`;
  if (c.KAFKA_SASL_MECHANISM !== undefined) {
    if (c.KAFKA_SASL_USERNAME === undefined) throw new ConfigError(service, 'KAFKA_SASL_USERNAME', `is missing: ${needs}`);
    if (c.KAFKA_SASL_PASSWORD === undefined) throw new ConfigError(service, 'KAFKA_SASL_PASSWORD', `is missing: ${needs}`);
  } else if (c.KAFKA_SASL_USERNAME !== undefined || c.KAFKA_SASL_PASSWORD !== undefined) {
    const given = c.KAFKA_SASL_USERNAME !== undefined ? 'KAFKA_SASL_USERNAME' : 'KAFKA_SASL_PASSWORD';
    throw new ConfigError(service, 'KAFKA_SASL_MECHANISM', `is missing: ${given} is set, and a mechanism says how to use it`);
  }
  if (c.KAFKA_SSL_CA_FILE !== undefined && !c.KAFKA_SSL) {
    throw new ConfigError(service, 'KAFKA_SSL', 'is not true: KAFKA_SSL_CA_FILE is set, which only TLS uses');
  }
  return {
    ...(c.KAFKA_SSL ? { ssl: c.KAFKA_SSL_CA_FILE === undefined ? true : { ca: fs.readFileSync(c.KAFKA_SSL_CA_FILE, 'utf8') } } : {}),
    ...(c.KAFKA_SASL_MECHANISM !== undefined
      ? { sasl: { mechanism: c.KAFKA_SASL_MECHANISM, username: c.KAFKA_SASL_USERNAME!, password: c.KAFKA_SASL_PASSWORD! } }
      : {}),
  };
}

/**
 * The one rule for reading settings, of every app: the environment validated by `schema`, or a ConfigError whose
 * message is one line naming the first bad setting (its value shown, unless it is a secret).
 */
export function parseSettings<S extends z.ZodType>(app: string, schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const setting = String(issue.path[0] ?? 'environment');
  const value = env[setting];
  const shown = value === undefined ? 'is missing' : `is invalid (${JSON.stringify(redactSecret(setting, value))})`;
  throw new ConfigError(app, setting, `${shown}: ${issue.message}`);
}

/** An http(s) base URL (a path prefix allowed), kept without its trailing slash; credentials, a query or a fragment are refused. */
export const httpBaseUrl = z
  .string()
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '' && u.search === '' && u.hash === '';
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL such as http://127.0.0.1:3001, without credentials, query or fragment')
  .transform((s) => s.replace(/\/+$/, ''));

/** What every HTTP app reads, also one without a database or Kafka (the console). */
export const httpAppConfigSchema = baseConfigSchema.pick({ PORT: true, LOG_LEVEL: true, SHUTDOWN_TIMEOUT_MS: true });

function redactSecret(setting: string, value: string): string {
  if (/PASSWORD|SECRET|TOKEN/i.test(setting)) return '***';
  return redactUrl(value);
}

