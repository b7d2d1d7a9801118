import { DiagLogLevel, diag } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { z } from 'zod';
import { ConfigError, redactUrl } from './config-error.js';
import type { ServiceName } from './config.js';
import { createLogger } from './logging.js';

// Only what this module needs is imported above (no Nest, no pg, no kafkajs): it runs before the service loads them.

const httpUrl = z.string().refine((s) => {
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}, 'must be an http:// or https:// URL');

/** The OpenTelemetry settings a service reads (their standard names), checked like the rest of its configuration. */
export const tracingConfigSchema = z.object({
  /** OTLP/HTTP receiver, e.g. `http://jaeger:4318`: spans go to `<endpoint>/v1/traces`. Unset: no tracing. */
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl.optional(),
  /** Where spans go when they do not go to `<endpoint>/v1/traces`. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: httpUrl.optional(),
  OTEL_SDK_DISABLED: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
  // The exporter speaks OTLP/HTTP with JSON bodies, which every OTLP receiver (Jaeger, the Collector) accepts.
  OTEL_EXPORTER_OTLP_PROTOCOL: z.enum(['http/json'], { error: 'must be http/json (the only OTLP protocol these services export with)' }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1, 'must not be empty').optional(),
});

export type TracingSettings =
  | { readonly enabled: false }
  | { readonly enabled: true; readonly serviceName: string; readonly tracesUrl: string };

/** Tracing is on when an OTLP endpoint is set and OTEL_SDK_DISABLED is not `true`. Throws a ConfigError on a bad setting. */
export function tracingSettingsOf(service: ServiceName, env: NodeJS.ProcessEnv): TracingSettings {
  const parsed = tracingConfigSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const setting = String(issue.path[0]);
    throw new ConfigError(service, setting, `is invalid (${JSON.stringify(redactUrl(env[setting] ?? ''))}): ${issue.message}`);
  }
  const c = parsed.data;
  if (c.OTEL_SDK_DISABLED === 'true' || c.OTEL_EXPORTER_OTLP_ENDPOINT === undefined) return { enabled: false };
  return {
    enabled: true,
    serviceName: c.OTEL_SERVICE_NAME ?? `${service}-service`,
    tracesUrl: c.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? `${c.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`,
  };
}

let provider: NodeTracerProvider | undefined;

/**
 * Starts OpenTelemetry tracing (SPEC 13) when it is configured: spans of HTTP requests, PostgreSQL queries and the
 * Kafka sends and handlings of libs/messaging, exported over OTLP/HTTP in batches. Call it before anything loads
 * `http` or `pg` (first thing in main.ts, the service itself imported afterwards), so their instrumentations see them
 * loaded. When tracing is off nothing is registered: the OpenTelemetry API stays a no-op and no trace headers are
 * written. A bad setting ends the process with exit code 78, as any other bad setting does.
 */
export function startTracing(service: ServiceName, env: NodeJS.ProcessEnv = process.env): TracingSettings {
  let settings: TracingSettings;
  try {
    settings = tracingSettingsOf(service, env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`${e.message}\n`);
    process.exit(78); // EX_CONFIG
  }
  if (!settings.enabled || provider !== undefined) return settings;
  // The SDK reports export failures (an unreachable receiver) here instead of throwing.
  const log = createLogger(service, 'warn').child({ component: 'opentelemetry' });
  diag.setLogger(
    {
      error: (message, ...args) => log.error({ args }, message),
      warn: (message, ...args) => log.warn({ args }, message),
      info: () => undefined,
      debug: () => undefined,
      verbose: () => undefined,
    },
    DiagLogLevel.WARN,
  );
  provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url: settings.tracesUrl }))],
  });
  // W3C trace context and baggage propagation, AsyncLocalStorage context.
  provider.register();
  registerInstrumentations({
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes would bury the requests that matter.
        ignoreIncomingRequestHook: (req) => /^\/(health|metrics)(\?|$)/.test(req.url ?? ''),
      }),
      // Queries outside any request or message (the outbox relay's polls, projections) would each be a trace of their own.
      new PgInstrumentation({ requireParentSpan: true }),
    ],
  });
  return settings;
}

/** Exports the spans still buffered and stops tracing; a no-op when tracing is off. */
export async function stopTracing(): Promise<void> {
  const running = provider;
  provider = undefined;
  await running?.shutdown();
}
