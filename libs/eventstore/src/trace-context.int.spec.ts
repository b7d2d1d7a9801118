import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROOT_CONTEXT, context, propagation, trace, type Span } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { CommandPipeline, type Aggregate, type Work } from './command-pipeline.js';
import { storedEvents } from './stored-events.js';
import { createTestStore, type TestStore } from './testing-env.js';
import { withCauseContexts } from './trace-context.js';

// Outbox rows carry the W3C trace context of the work that wrote them (SPEC 13): a row read back shows it.
type Counted = { type: 'Counted'; data: { by: number } };
const counter: Aggregate<{ by: number }, Counted, number> = {
  name: 'counter',
  decider: { initialState: () => 0, evolve: (n, e) => n + e.data.by, decide: (c) => [{ type: 'Counted', data: { by: c.by } }] },
  streamName: (id) => `counter-${id}`,
  events: storedEvents<Counted>({ types: ['Counted'] }),
};

const traceparentOf = (span: Span) => `00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`;

describe('trace context in the outbox', () => {
  let t: TestStore;
  let pipeline: CommandPipeline<{ by: number }, Counted, number>;
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
  const tracer = () => trace.getTracer('test');

  beforeAll(async () => {
    t = await createTestStore();
    pipeline = new CommandPipeline(t.store, {
      aggregate: counter,
      // One transaction at a time: requests that arrive meanwhile are committed together, as one group.
      groupCommit: { inFlight: 1 },
      publish: (decision) => [{ topic: 'counted', key: decision.id, value: JSON.stringify(decision.command) }],
    });
  });
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    propagation.disable();
    context.disable();
    await t.close();
  });

  const rowsOf = async (keys: string[]) =>
    new Map(
      (await t.pool.query<{ key: string; headers: Record<string, string> }>('SELECT key, headers FROM es_outbox WHERE key = ANY($1)', [keys])).rows.map(
        (row) => [row.key, row.headers],
      ),
    );
  const work = (id: string, causationId: string | null = null): Work<{ by: number }> => ({
    id,
    command: { by: 1 },
    cause: { correlationId: 'corr', causationId },
  });

  it('writes rows without trace headers while tracing is off', async () => {
    await pipeline.run([work('off')]);
    await t.store.transaction((tx) => t.store.enqueueOutbox(tx, [{ topic: 'counted', key: 'off-direct', value: '{}' }]));
    const rows = await rowsOf(['off', 'off-direct']);
    expect(rows.get('off')).toEqual({});
    expect(rows.get('off-direct')).toEqual({});
  });

  describe('with tracing on', () => {
    beforeAll(() => provider.register());

    it("stamps each decision with the context of the message that caused it, else the active span's", async () => {
      const [a, b, batch] = ['message a', 'message b', 'batch'].map((name) => tracer().startSpan(name)) as [Span, Span, Span];
      const byMessage = new Map([
        ['m-a', trace.setSpan(ROOT_CONTEXT, a)],
        ['m-b', trace.setSpan(ROOT_CONTEXT, b)],
      ]);
      await context.with(trace.setSpan(ROOT_CONTEXT, batch), () =>
        withCauseContexts(byMessage, () => t.store.transaction((tx) => pipeline.handle(tx, [work('from-a', 'm-a'), work('from-b', 'm-b'), work('from-elsewhere', 'm-c')]))),
      );
      const rows = await rowsOf(['from-a', 'from-b', 'from-elsewhere']);
      expect(rows.get('from-a')).toEqual({ traceparent: traceparentOf(a) });
      expect(rows.get('from-b')).toEqual({ traceparent: traceparentOf(b) });
      expect(rows.get('from-elsewhere')).toEqual({ traceparent: traceparentOf(batch) });
    });

    it('keeps each request of a group commit in its own trace', async () => {
      const spans = ['r1', 'r2', 'r3', 'r4'].map((name) => tracer().startSpan(name));
      // The first request takes the only transaction; the others wait for it and then go as one group.
      await Promise.all(spans.map((span, i) => context.with(trace.setSpan(ROOT_CONTEXT, span), () => pipeline.submit([work(`request-${i}`)]))));
      const rows = await rowsOf(spans.map((_, i) => `request-${i}`));
      spans.forEach((span, i) => expect(rows.get(`request-${i}`)).toEqual({ traceparent: traceparentOf(span) }));
    });

    it('stamps rows written outside a pipeline with the active span, and keeps a trace a row brings', async () => {
      const span = tracer().startSpan('direct');
      const own = `00-${'e'.repeat(32)}-${'f'.repeat(16)}-01`;
      await context.with(trace.setSpan(ROOT_CONTEXT, span), () =>
        t.store.transaction((tx) =>
          t.store.enqueueOutbox(tx, [
            { topic: 'counted', key: 'direct', value: '{}', headers: { 'ce-type': 'Counted' } },
            { topic: 'counted', key: 'own-trace', value: '{}', headers: { traceparent: own } },
          ]),
        ),
      );
      const rows = await rowsOf(['direct', 'own-trace']);
      expect(rows.get('direct')).toEqual({ 'ce-type': 'Counted', traceparent: traceparentOf(span) });
      expect(rows.get('own-trace')).toEqual({ traceparent: own });
    });
  });
});
