import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ROOT_CONTEXT, context, propagation, trace, type Context } from '@opentelemetry/api';
import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';
import { contextOfCause, traceHeadersOf, withCauseContexts } from './trace-context.js';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

describe('trace context of outbox rows', () => {
  it('writes no header while tracing is off (the API is a no-op until a provider registers)', () => {
    const remote = trace.setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 });
    expect(traceHeadersOf(remote)).toEqual({});
  });

  describe('with a registered provider', () => {
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(new InMemorySpanExporter())] });
    const tracer = () => trace.getTracer('test');
    beforeAll(() => provider.register());
    afterAll(async () => {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    });

    it("writes the span's traceparent, and the tracestate it carries", () => {
      const span = tracer().startSpan('work');
      const parent = propagation.extract(ROOT_CONTEXT, { traceparent: `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01`, tracestate: 'vendor=x' });
      const child = tracer().startSpan('child', {}, parent);
      const headers = traceHeadersOf(trace.setSpan(ROOT_CONTEXT, span));
      expect(headers.traceparent).toMatch(TRACEPARENT);
      expect(headers.traceparent).toBe(`00-${span.spanContext().traceId}-${span.spanContext().spanId}-01`);
      expect(headers.tracestate).toBeUndefined();
      expect(traceHeadersOf(trace.setSpan(ROOT_CONTEXT, child))).toEqual({
        traceparent: `00-${'c'.repeat(32)}-${child.spanContext().spanId}-01`,
        tracestate: 'vendor=x',
      });
      span.end();
      child.end();
    });

    it('writes nothing for a context without a span', () => {
      expect(traceHeadersOf(ROOT_CONTEXT)).toEqual({});
    });

    it("finds the context a causing message was handled in, else the active one", () => {
      const [a, b, active] = ['a', 'b', 'active'].map((name) => tracer().startSpan(name));
      const contexts = new Map<string, Context>([
        ['message-a', trace.setSpan(ROOT_CONTEXT, a!)],
        ['message-b', trace.setSpan(ROOT_CONTEXT, b!)],
      ]);
      const spanOf = (ctx: Context) => trace.getSpan(ctx)?.spanContext().spanId;
      context.with(trace.setSpan(ROOT_CONTEXT, active!), () =>
        withCauseContexts(contexts, () => {
          expect(spanOf(contextOfCause('message-a'))).toBe(a!.spanContext().spanId);
          expect(spanOf(contextOfCause('message-b'))).toBe(b!.spanContext().spanId);
          expect(spanOf(contextOfCause('another-message'))).toBe(active!.spanContext().spanId);
          expect(spanOf(contextOfCause(null))).toBe(active!.spanContext().spanId);
        }),
      );
      // Outside withCauseContexts the messages' contexts are gone.
      expect(trace.getSpan(contextOfCause('message-a'))).toBeUndefined();
    });
  });
});
