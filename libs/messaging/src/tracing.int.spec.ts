import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { dlqTopicOf } from '@fulfillment/contracts';
import { OutboxRelay, PostgresEventStore, contextOfCause, runEventStoreMigrations, sessionPool } from '@fulfillment/eventstore';
import { createTestDatabase } from '@fulfillment/testing';
import { ROOT_CONTEXT, SpanKind, context, propagation, trace, type SpanContext } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
import pg from 'pg';
import type { ConsumedMessage } from './consumed-message.js';
import type { KafkaBatchConsumer } from './kafka-batch-consumer.js';
import { KafkaPublisher } from './kafka-publisher.js';
import { backInStock } from './test-support/envelopes.js';
import { libraryKafka, testConsumer, testLogger } from './test-support/harness.js';
import { headerOf, produce, readTopic, useKafkaFixture, waitFor } from './test-support/kafka-fixtures.js';

jest.setTimeout(90_000);

// SPEC 13 on real Kafka and PostgreSQL: an outbox row keeps the trace context it was written in, the relay sends it as
// the `traceparent` header (under a send span), and the consumer handles the record in a span whose parent is that
// header's context, so what the handler writes continues the same trace.
const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = () => trace.getTracer('test');
const traceparentOf = (span: SpanContext) => `00-${span.traceId}-${span.spanId}-01`;
const spanOfHeader = (traceparent: string | undefined) => {
  const [, traceId, spanId] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(traceparent ?? '') ?? [];
  return { traceId, spanId };
};
const finished = (predicate: (span: ReadableSpan) => boolean) => exporter.getFinishedSpans().filter(predicate);

const started: KafkaBatchConsumer[] = [];
const publishers: KafkaPublisher[] = [];
const relays: OutboxRelay[] = [];
afterAll(async () => {
  await Promise.all(started.map((c) => c.stop()));
  await Promise.all(relays.map((r) => r.stop()));
  await Promise.all(publishers.map((p) => p.disconnect()));
});
const { fixtures, newTopic } = useKafkaFixture();

describe('trace context across the outbox and Kafka', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let pool: pg.Pool;
  let store: PostgresEventStore;

  beforeAll(async () => {
    provider.register();
    database = await createTestDatabase('test_messaging_trace');
    await runEventStoreMigrations(database.url);
    pool = sessionPool({ connectionString: database.url, max: 5 });
    pool.on('error', () => undefined);
    store = new PostgresEventStore(pool);
  });
  afterAll(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
    await pool.end();
    await database.drop();
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
  });

  const relayTo = async () => {
    const publisher = new KafkaPublisher(libraryKafka('trace-relay'));
    publishers.push(publisher);
    await publisher.connect();
    const relay = new OutboxRelay(pool, (batch) => publisher.publish(batch), { logger: testLogger, pollIntervalMs: 100 });
    relays.push(relay);
    await relay.start();
    return relay;
  };

  it('continues the trace of an outbox row through the send, the consumer and the rows the consumer writes', async () => {
    const [source, onward] = [await newTopic('trace-in'), await newTopic('trace-out')];
    const request = tracer().startSpan('POST /orders', { kind: SpanKind.SERVER });
    const event = backInStock();
    await context.with(trace.setSpan(ROOT_CONTEXT, request), () =>
      store.transaction((tx) => store.enqueueOutbox(tx, [{ topic: source, key: event.key, value: event.value }])),
    );
    request.end();
    const { rows } = await pool.query<{ headers: Record<string, string> }>('SELECT headers FROM es_outbox WHERE topic = $1', [source]);
    expect(rows).toEqual([{ headers: { traceparent: traceparentOf(request.spanContext()) } }]);

    await relayTo();
    const [record] = await readTopic(fixtures, source, 1);
    const sentAs = spanOfHeader(headerOf(record!, 'traceparent'));
    const [send] = finished((span) => span.kind === SpanKind.PRODUCER && span.name === `send ${source}`);
    // The header carries the send span, a child of the request the row was written in.
    expect(send!.spanContext()).toMatchObject(sentAs);
    expect(send!.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(sentAs.traceId).toBe(request.spanContext().traceId);

    const handled: { traceId: string | undefined; spanId: string | undefined }[] = [];
    testConsumer(
      libraryKafka('trace-consumer'),
      {
        topics: [source],
        handle: async (messages) => {
          handled.push(...messages.map(() => ({ traceId: trace.getActiveSpan()?.spanContext().traceId, spanId: trace.getActiveSpan()?.spanContext().spanId })));
          await store.transaction((tx) =>
            store.enqueueOutbox(tx, messages.map((m) => ({ topic: onward, key: m.key ?? 'k', value: JSON.stringify(m.envelope) }))),
          );
        },
      },
      started,
    ).start();
    const [next] = await readTopic(fixtures, onward, 1, 60_000);
    const [processed] = finished((span) => span.kind === SpanKind.CONSUMER && span.name === `process ${source}`);
    expect(processed!.parentSpanContext?.spanId).toBe(sentAs.spanId);
    expect(processed!.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(processed!.attributes).toMatchObject({ 'messaging.system': 'kafka', 'messaging.destination.name': source, 'messaging.message.id': event.id });
    // The handler ran in the record's span, and the row it wrote went out under a send span that is its child.
    expect(handled).toEqual([{ traceId: request.spanContext().traceId, spanId: processed!.spanContext().spanId }]);
    const onwardSend = finished((span) => span.name === `send ${onward}`)[0]!;
    expect(onwardSend.parentSpanContext?.spanId).toBe(processed!.spanContext().spanId);
    expect(spanOfHeader(headerOf(next!, 'traceparent'))).toEqual({ traceId: request.spanContext().traceId, spanId: onwardSend.spanContext().spanId });
  });

  it("handles a batch of records from two traces in a span per record, each record's work in its own trace", async () => {
    const [source, onward] = [await newTopic('trace-batch-in'), await newTopic('trace-batch-out')];
    const upstream = [tracer().startSpan('upstream 1'), tracer().startSpan('upstream 2')];
    const events = [backInStock({ sku: 'SKU-T' }), backInStock({ sku: 'SKU-T' })];
    // Produced before the consumer starts, on one key: the consumer's first fetch holds both.
    await produce(
      fixtures,
      source,
      events.map((event, i) => ({ key: event.key, value: event.value, headers: { traceparent: traceparentOf(upstream[i]!.spanContext()) } })),
    );
    let batchSizes: number[] = [];
    testConsumer(
      libraryKafka('trace-batch'),
      {
        topics: [source],
        handle: async (messages: ConsumedMessage[]) => {
          batchSizes = [...batchSizes, messages.length];
          await store.transaction(async (tx) => {
            // What the command pipeline does for each decision: the row takes the context of its causing message.
            for (const m of messages) {
              await context.with(contextOfCause(m.envelope.id), () => store.enqueueOutbox(tx, [{ topic: onward, key: 'k', value: m.envelope.id }]));
            }
          });
        },
      },
      started,
    ).start();
    const out = await readTopic(fixtures, onward, 2, 60_000);
    expect(batchSizes).toEqual([2]);
    const perRecord = finished((span) => span.name === `process ${source}` && span.attributes['messaging.message.id'] !== undefined);
    const batch = finished((span) => span.name === `process ${source}` && span.attributes['messaging.batch.message_count'] === 2);
    expect(perRecord).toHaveLength(2);
    events.forEach((event, i) => {
      const span = perRecord.find((s) => s.attributes['messaging.message.id'] === event.id)!;
      expect(span.parentSpanContext?.spanId).toBe(upstream[i]!.spanContext().spanId);
      expect(span.spanContext().traceId).toBe(upstream[i]!.spanContext().traceId);
      const row = out.find((r) => r.value?.toString() === event.id)!;
      const send = finished((s) => s.name === `send ${onward}` && s.parentSpanContext?.spanId === span.spanContext().spanId);
      expect(send).toHaveLength(1);
      expect(spanOfHeader(headerOf(row, 'traceparent'))).toEqual({ traceId: upstream[i]!.spanContext().traceId, spanId: send[0]!.spanContext().spanId });
    });
    // The batch's own span (its transaction) is a trace of its own, linked to both records' spans.
    expect(batch).toHaveLength(1);
    expect(batch[0]!.parentSpanContext).toBeUndefined();
    expect(batch[0]!.links.map((link) => link.context.spanId).sort()).toEqual(perRecord.map((s) => s.spanContext().spanId).sort());
  });

  it('continues the trace a CloudEvents client sends in the Distributed Tracing extension, in structured and binary mode', async () => {
    const source = await newTopic('trace-ce');
    const [structuredUpstream, binaryUpstream] = [tracer().startSpan('structured client'), tracer().startSpan('binary client')];
    // Structured mode: the extension is a member of the JSON event, with a tracestate beside it.
    const structured = backInStock({}, { traceparent: traceparentOf(structuredUpstream.spanContext()), tracestate: 'vendor=1' });
    // Binary mode: the attributes are ce_ headers and the value is the data alone.
    const binary = backInStock();
    const { data, ...attributes } = JSON.parse(binary.value) as Record<string, unknown>;
    const headers: Record<string, string> = { 'content-type': 'application/json', ce_traceparent: traceparentOf(binaryUpstream.spanContext()) };
    for (const [name, value] of Object.entries(attributes)) if (value !== null && name !== 'datacontenttype') headers[`ce_${name}`] = String(value);
    await produce(fixtures, source, [
      { key: structured.key, value: structured.value },
      { key: binary.key, value: JSON.stringify(data), headers },
    ]);
    const handled: string[] = [];
    testConsumer(libraryKafka('trace-ce'), { topics: [source], handle: async (messages) => void handled.push(...messages.map((m) => m.envelope.id)) }, started).start();
    await waitFor(() => handled.length === 2, { what: 'both records handled' });
    const parentOf = (id: string) => {
      const span = finished((s) => s.name === `process ${source}` && s.attributes['messaging.message.id'] === id)[0]!;
      return { traceId: span.spanContext().traceId, parentSpanId: span.parentSpanContext?.spanId };
    };
    expect(parentOf(structured.id)).toEqual({ traceId: structuredUpstream.spanContext().traceId, parentSpanId: structuredUpstream.spanContext().spanId });
    expect(parentOf(binary.id)).toEqual({ traceId: binaryUpstream.spanContext().traceId, parentSpanId: binaryUpstream.spanContext().spanId });
  });

  it('keeps the traceparent header on a dead letter', async () => {
    const source = await newTopic('trace-dlq');
    const upstream = tracer().startSpan('upstream');
    await produce(fixtures, source, [{ key: 'k', value: 'not an envelope', headers: { traceparent: traceparentOf(upstream.spanContext()) } }]);
    testConsumer(libraryKafka('trace-dlq'), { topics: [source], handle: async () => undefined }, started).start();
    const [dead] = await readTopic(fixtures, dlqTopicOf(source), 1, 60_000);
    expect(headerOf(dead!, 'traceparent')).toBe(traceparentOf(upstream.spanContext()));
  });

  it('marks the record spans of a failed handling as errors', async () => {
    const source = await newTopic('trace-fail');
    const upstream = tracer().startSpan('upstream');
    const event = backInStock();
    await produce(fixtures, source, [{ key: event.key, value: event.value, headers: { traceparent: traceparentOf(upstream.spanContext()) } }]);
    let calls = 0;
    testConsumer(
      libraryKafka('trace-fail'),
      {
        topics: [source],
        handle: async () => {
          calls++;
          if (calls === 1) throw new Error('first attempt fails');
        },
      },
      started,
    ).start();
    await waitFor(() => finished((span) => span.name === `process ${source}`).length >= 2, { what: 'two handlings' });
    const [failed, retried] = finished((span) => span.name === `process ${source}`);
    expect(failed!.status).toMatchObject({ code: 2, message: 'first attempt fails' });
    expect(failed!.events.map((e) => e.name)).toContain('exception');
    expect(retried!.status.code).not.toBe(2);
    expect([failed, retried].map((s) => s!.parentSpanContext?.spanId)).toEqual([upstream.spanContext().spanId, upstream.spanContext().spanId]);
  });
});
