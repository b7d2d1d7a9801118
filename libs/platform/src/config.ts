import { GROUP_RECOVERY_DEFAULTS } from '@fulfillment/messaging';
import { z } from 'zod';

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

/** Settings every service reads; a service may extend it with its own. */
export const baseConfigSchema = z.object({
  PORT: port.optional(),
  KAFKA_BROKERS: brokerList.default(['127.0.0.1:9092']),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
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
  // How soon a dead instance's partitions move to the others (SPEC 14); see GROUP_RECOVERY_DEFAULTS.
  KAFKA_SESSION_TIMEOUT_MS: milliseconds(GROUP_RECOVERY_DEFAULTS.sessionTimeout),
  KAFKA_HEARTBEAT_INTERVAL_MS: milliseconds(GROUP_RECOVERY_DEFAULTS.heartbeatInterval),
  KAFKA_REBALANCE_TIMEOUT_MS: milliseconds(GROUP_RECOVERY_DEFAULTS.rebalanceTimeout),
  KAFKA_FETCH_MAX_WAIT_MS: milliseconds(GROUP_RECOVERY_DEFAULTS.maxWaitTimeInMs),
});

export interface ServiceConfig {
  service: ServiceName;
  port: number;
  kafka: {
    brokers: string[];
    clientId: string;
    topicPrefix: string;
    groupId: string;
    /** consumer group timing, in kafkajs' terms */
    group: { sessionTimeout: number; heartbeatInterval: number; rebalanceTimeout: number; maxWaitTimeInMs: number };
  };
  /** this service's own database (created on first start if missing) */
  databaseUrl: string;
  logLevel: z.infer<typeof baseConfigSchema>['LOG_LEVEL'];
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(service: string, readonly setting: string, problem: string) {
    super(`${service}-service: invalid configuration: ${setting} ${problem}`);
  }
}

/**
 * Reads and validates the environment. Throws a ConfigError whose message is one line naming the first bad setting.
 * `extra` validates service-specific settings and is returned as `extra`.
 */
export function loadConfig<E extends z.ZodRawShape = Record<string, never>>(
  service: ServiceName,
  env: NodeJS.ProcessEnv = process.env,
  extra?: E,
): ServiceConfig & { extra: z.infer<z.ZodObject<E>> } {
  const schema = baseConfigSchema.extend(extra ?? ({} as E));
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const setting = String(issue.path[0] ?? 'environment');
    const value = env[setting];
    const shown = value === undefined ? 'is missing' : `is invalid (${JSON.stringify(redactSecret(setting, value))})`;
    throw new ConfigError(service, setting, `${shown}: ${issue.message}`);
  }
  const c = parsed.data as z.infer<typeof baseConfigSchema> & Record<string, unknown>;
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
      group: {
        sessionTimeout: c.KAFKA_SESSION_TIMEOUT_MS,
        heartbeatInterval: c.KAFKA_HEARTBEAT_INTERVAL_MS,
        rebalanceTimeout: c.KAFKA_REBALANCE_TIMEOUT_MS,
        maxWaitTimeInMs: c.KAFKA_FETCH_MAX_WAIT_MS,
      },
    },
    databaseUrl,
    logLevel: c.LOG_LEVEL,
    shutdownTimeoutMs: c.SHUTDOWN_TIMEOUT_MS,
    extra: extraValues,
  };
}

function redactSecret(setting: string, value: string): string {
  if (/PASSWORD|SECRET|TOKEN/i.test(setting)) return '***';
  return redactUrl(value);
}

/** Hides the password of a URL, for logs and error messages. */
export function redactUrl(value: string): string {
  return value.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
