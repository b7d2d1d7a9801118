import { isSpanContextValid, trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';

/**
 * Paths whose values never reach a log line: customer emails and credentials. pino replaces them with "[redacted]".
 * Message payloads are never logged at all; these paths guard the request/response metadata and error objects.
 */
export const REDACT_PATHS = [
  'email',
  '*.email',
  '*.*.email',
  'password',
  '*.password',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-webhook-signature"]',
  'databaseUrl',
  '*.databaseUrl',
  'smtpPassword',
  '*.smtpPassword',
  'webhookSecret',
  '*.webhookSecret',
];

export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service: `${service}-service` },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin: traceFields,
  });
}

/**
 * The trace and span a line was logged in (while tracing is on, see tracing.ts), under the names OpenTelemetry's
 * log data model gives them, so a line leads to its trace and a trace to its lines.
 */
export function traceFields(): { trace_id?: string; span_id?: string } {
  const span = trace.getActiveSpan()?.spanContext();
  return span !== undefined && isSpanContextValid(span) ? { trace_id: span.traceId, span_id: span.spanId } : {};
}
