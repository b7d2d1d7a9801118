import { context, createContextKey, propagation, type Context } from '@opentelemetry/api';
import type { OutboxMessage } from './types.js';

/** The W3C Trace Context headers (https://www.w3.org/TR/trace-context/): what an outbox row keeps of its trace. */
export const TRACE_HEADERS = ['traceparent', 'tracestate'] as const;

const CAUSE_CONTEXTS = createContextKey('fulfillment.cause-contexts');

/**
 * The trace headers of `ctx` as the registered propagator writes them: empty when tracing is off (the API's no-op
 * propagator) or `ctx` holds no valid span.
 */
export function traceHeadersOf(ctx: Context): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  const headers: Record<string, string> = {};
  for (const name of TRACE_HEADERS) if (carrier[name] !== undefined) headers[name] = carrier[name];
  return headers;
}

/**
 * Runs `fn` with the context each causing message was handled in, by message id: a batch of messages from many traces
 * is handled in one transaction, and the work of each message must continue that message's trace, not the batch's.
 */
export function withCauseContexts<T>(byMessageId: ReadonlyMap<string, Context>, fn: () => T): T {
  return context.with(context.active().setValue(CAUSE_CONTEXTS, byMessageId), fn);
}

/** The context a message was handled in (see withCauseContexts), else the active one. */
export function contextOfCause(causationId: string | null): Context {
  const active = context.active();
  if (causationId === null) return active;
  const byMessageId = active.getValue(CAUSE_CONTEXTS) as ReadonlyMap<string, Context> | undefined;
  return byMessageId?.get(causationId) ?? active;
}

/**
 * The messages, each carrying the trace of `ctx` unless it names a trace of its own: what the outbox rows of a piece of
 * work keep, so that a published message continues the trace that caused it. The same array when there is nothing to
 * add (tracing off, or every message traced already).
 */
export function withTrace<M extends OutboxMessage>(messages: readonly M[], ctx: Context): readonly M[] {
  if (!messages.some((m) => m.headers?.traceparent === undefined)) return messages;
  const trace = traceHeadersOf(ctx);
  if (trace.traceparent === undefined) return messages;
  return messages.map((m) => (m.headers?.traceparent !== undefined ? m : { ...m, headers: { ...m.headers, ...trace } }));
}
