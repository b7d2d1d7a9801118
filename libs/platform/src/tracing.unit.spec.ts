import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { ConfigError } from './config-error.js';
import { traceFields } from './logging.js';
import { tracingSettingsOf } from './tracing.js';

const errorOf = (env: Record<string, string>): ConfigError => {
  try {
    tracingSettingsOf('order', env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('tracingSettingsOf', () => {
  it('is off without an OTLP endpoint', () => {
    expect(tracingSettingsOf('order', {})).toEqual({ enabled: false });
  });

  it('is off when OTEL_SDK_DISABLED is true, whatever the endpoint', () => {
    expect(tracingSettingsOf('order', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318', OTEL_SDK_DISABLED: 'true' })).toEqual({ enabled: false });
  });

  it("sends the service's spans to <endpoint>/v1/traces under <service>-service", () => {
    expect(tracingSettingsOf('inventory', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://jaeger:4318/', OTEL_SDK_DISABLED: 'false' })).toEqual({
      enabled: true,
      serviceName: 'inventory-service',
      tracesUrl: 'http://jaeger:4318/v1/traces',
    });
  });

  it('takes OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and OTEL_SERVICE_NAME when given', () => {
    expect(
      tracingSettingsOf('order', {
        OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otel.example:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://traces.example/otlp/v1/traces',
        OTEL_SERVICE_NAME: 'order-eu',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      }),
    ).toEqual({ enabled: true, serviceName: 'order-eu', tracesUrl: 'https://traces.example/otlp/v1/traces' });
  });

  it.each([
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'jaeger:4318' }, 'OTEL_EXPORTER_OTLP_ENDPOINT', 'http:// or https:// URL'],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'grpc://jaeger:4317' }, 'OTEL_EXPORTER_OTLP_ENDPOINT', 'http:// or https:// URL'],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'nope' }, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', 'http:// or https:// URL'],
    [{ OTEL_SDK_DISABLED: 'yes' }, 'OTEL_SDK_DISABLED', 'true or false'],
    [{ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }, 'OTEL_EXPORTER_OTLP_PROTOCOL', 'http/json'],
    [{ OTEL_SERVICE_NAME: '' }, 'OTEL_SERVICE_NAME', 'must not be empty'],
  ])('refuses %j naming %s', (env, setting, problem) => {
    const error = errorOf(env);
    expect(error.setting).toBe(setting);
    expect(error.message).toContain(`order-service: invalid configuration: ${setting}`);
    expect(error.message).toContain(problem);
  });

  it('hides a password in a refused endpoint', () => {
    expect(errorOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://user:secret@host' }).message).not.toContain('secret');
  });
});

describe('startTracing', () => {
  it('ends the process with exit code 78 and one line naming a bad setting', () => {
    const tracing = path.join(__dirname, '..', 'dist', 'tracing.js');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', `import { startTracing } from ${JSON.stringify(tracing)}; startTracing('order');`], {
      env: { PATH: process.env.PATH, OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' },
      encoding: 'utf8',
    });
    expect(child.status).toBe(78);
    expect(child.stderr.trim()).toMatch(/^order-service: invalid configuration: OTEL_EXPORTER_OTLP_ENDPOINT is invalid \("not a url"\)/);
  });
});

describe('log lines', () => {
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
  beforeAll(() => provider.register());
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  it('carry the trace and span they were logged in, and nothing outside one', () => {
    const span = trace.getTracer('test').startSpan('work');
    expect(context.with(trace.setSpan(ROOT_CONTEXT, span), traceFields)).toEqual({ trace_id: span.spanContext().traceId, span_id: span.spanContext().spanId });
    expect(traceFields()).toEqual({});
    span.end();
  });
});
