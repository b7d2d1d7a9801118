import { traceHeadersOf, withCauseContexts } from '@fulfillment/eventstore';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Attributes, type Context, type Span } from '@opentelemetry/api';
import type { ConsumedMessage } from './consumed-message.js';
import type { OutgoingMessage } from './outgoing-message.js';

// OpenTelemetry's messaging conventions (https://opentelemetry.io/docs/specs/semconv/messaging/kafka/). They are still
// "development" conventions, which the semantic-conventions package asks users to copy rather than import.
const ATTR = {
  system: 'messaging.system',
  operationType: 'messaging.operation.type',
  operationName: 'messaging.operation.name',
  destination: 'messaging.destination.name',
  partition: 'messaging.destination.partition.id',
  group: 'messaging.consumer.group.name',
  messageId: 'messaging.message.id',
  conversationId: 'messaging.message.conversation_id',
  batchCount: 'messaging.batch.message_count',
  key: 'messaging.kafka.message.key',
  offset: 'messaging.kafka.offset',
  eventType: 'cloudevents.event_type',
} as const;

const tracer = () => trace.getTracer('@fulfillment/messaging');

/** The trace context a record's `traceparent`/`tracestate` headers carry (none: the root context). */
export function contextOfHeaders(headers: Readonly<Record<string, string>>): Context {
  return propagation.extract(ROOT_CONTEXT, headers);
}

/**
 * The trace context a consumed record continues: its W3C `traceparent`/`tracestate` headers, or else the CloudEvents
 * Distributed Tracing extension (`traceparent`/`tracestate` attributes: JSON members in structured mode, `ce_traceparent`
 * headers in binary mode), as clients using a CloudEvents SDK send it. Neither: the root context.
 */
export function contextOfMessage(message: Pick<ConsumedMessage, 'headers' | 'envelope'>): Context {
  if (message.headers.traceparent !== undefined) return contextOfHeaders(message.headers);
  const { traceparent, tracestate } = message.envelope as { traceparent?: unknown; tracestate?: unknown };
  if (typeof traceparent !== 'string') return ROOT_CONTEXT;
  return contextOfHeaders(typeof tracestate === 'string' ? { traceparent, tracestate } : { traceparent });
}

export interface TracedSend {
  /** The messages to send: those that carried a trace now carry their send span's. */
  readonly messages: readonly OutgoingMessage[];
  end(error?: unknown): void;
}

/**
 * A producer span per message that carries a trace (the outbox row's `traceparent`), child of that trace; the message
 * then carries the span's context, so its consumer's span is a child of the send. Messages without a trace, and all
 * of them while tracing is off, go as they are.
 */
export function startSendSpans(messages: readonly OutgoingMessage[]): TracedSend {
  const spans: Span[] = [];
  const traced = messages.map((message) => {
    if (message.headers?.traceparent === undefined) return message;
    const span = tracer().startSpan(
      `send ${message.topic}`,
      {
        kind: SpanKind.PRODUCER,
        attributes: {
          [ATTR.system]: 'kafka',
          [ATTR.operationType]: 'send',
          [ATTR.operationName]: 'send',
          [ATTR.destination]: message.topic,
          [ATTR.key]: message.key,
        },
      },
      contextOfHeaders(message.headers),
    );
    const headers = traceHeadersOf(trace.setSpan(ROOT_CONTEXT, span));
    if (headers.traceparent === undefined) return message;
    spans.push(span);
    return { ...message, headers: { ...message.headers, ...headers } };
  });
  return { messages: traced, end: (error) => endAll(spans, error) };
}

/**
 * Runs a batch handler in consumer spans: one per record, child of the record's trace, so the work each record causes
 * continues its trace (see withCauseContexts: the command pipeline stamps each decision's outbox rows with the context
 * of the message that caused it). The handler's own work (queries, logs) runs in the record's span when it handles
 * one record, and in a batch span linked to the records' spans when it handles several in one transaction.
 */
export async function inProcessSpans<T>(messages: readonly ConsumedMessage[], groupId: string, handle: () => Promise<T>): Promise<T> {
  const spans = messages.map((message) =>
    tracer().startSpan(
      `process ${message.topic}`,
      { kind: SpanKind.CONSUMER, attributes: processAttributes(message, groupId) },
      contextOfMessage(message),
    ),
  );
  let active = spans[0]!;
  const ended = [...spans];
  if (spans.length > 1) {
    active = tracer().startSpan(
      `process ${messages[0]!.topic}`,
      {
        kind: SpanKind.CONSUMER,
        root: true,
        links: spans.map((span) => ({ context: span.spanContext() })),
        attributes: {
          [ATTR.system]: 'kafka',
          [ATTR.operationType]: 'process',
          [ATTR.operationName]: 'process',
          [ATTR.destination]: messages[0]!.topic,
          [ATTR.partition]: String(messages[0]!.partition),
          [ATTR.group]: groupId,
          [ATTR.batchCount]: messages.length,
        },
      },
      ROOT_CONTEXT,
    );
    ended.push(active);
  }
  const byMessageId = new Map(messages.map((message, index) => [message.envelope.id, trace.setSpan(ROOT_CONTEXT, spans[index]!)]));
  try {
    const result = await withCauseContexts(byMessageId, () => context.with(trace.setSpan(context.active(), active), handle));
    endAll(ended);
    return result;
  } catch (error) {
    endAll(ended, error);
    throw error;
  }
}

function processAttributes(message: ConsumedMessage, groupId: string): Attributes {
  return {
    [ATTR.system]: 'kafka',
    [ATTR.operationType]: 'process',
    [ATTR.operationName]: 'process',
    [ATTR.destination]: message.topic,
    [ATTR.partition]: String(message.partition),
    [ATTR.group]: groupId,
    [ATTR.offset]: Number(message.offset),
    [ATTR.messageId]: message.envelope.id,
    [ATTR.conversationId]: message.envelope.correlationid,
    [ATTR.eventType]: message.envelope.type,
    ...(message.key === null ? {} : { [ATTR.key]: message.key }),
  };
}

function endAll(spans: readonly Span[], error?: unknown): void {
  for (const span of spans) {
    if (error !== undefined) {
      span.recordException(error instanceof Error ? error : String(error));
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
    }
    span.end();
  }
}
