// SPEC 13, traces: one trace from POST /orders through inventory, order and notification. The services run as
// processes exporting over OTLP/HTTP to a receiver in this test; the W3C trace context travels in the outbox rows and
// the Kafka headers, so the spans of every service must join up into one tree under the POST /orders server span.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import {
  eventually,
  okBody,
  startOtlpReceiver,
  startSystem,
  type NotificationView,
  type OtlpReceiver,
  type ReceivedSpan,
  type RunningSystem,
  type ServiceKey,
} from '@fulfillment/testing';

const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

const run = randomUUID().slice(0, 8);
const SKU = `T-${run}`;
const customerId = `cust-trace-${run}`;

const isPostOrders = (span: ReceivedSpan) =>
  span.service === 'order-service' &&
  span.kind === SERVER &&
  (span.attributes['http.request.method'] ?? span.attributes['http.method']) === 'POST' &&
  ['url.path', 'http.target', 'http.route'].some((name) => span.attributes[name] === '/orders');

/** The spans of `traceId` whose parent is not among them (the root's parent is empty). */
const orphansOf = (spans: ReceivedSpan[]) => {
  const ids = new Set(spans.map((span) => span.spanId));
  return spans.filter((span) => span.parentSpanId !== '' && !ids.has(span.parentSpanId));
};

/** `from>to` for each consumer span whose parent is another service's send span: the trace crossed Kafka there. */
const kafkaHopsOf = (spans: ReceivedSpan[]) => {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const hops = new Set<string>();
  for (const span of spans) {
    const parent = byId.get(span.parentSpanId);
    if (span.kind === CONSUMER && parent?.kind === PRODUCER) hops.add(`${parent.service.replace('-service', '')}>${span.service.replace('-service', '')}`);
  }
  return hops;
};

describe('one trace from POST /orders through inventory, order and notification', () => {
  let receiver: OtlpReceiver;
  let system: RunningSystem;

  const http = async <T>(service: ServiceKey, method: string, path: string, body?: unknown) =>
    okBody(await system.http<T>(service, method, path, { body }), `${method} ${service}${path}`);

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    const tracing = {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
      // Spans leave in batches every 200 ms instead of 5 s.
      OTEL_BSP_SCHEDULE_DELAY: '200',
    };
    system = await startSystem({
      env: {
        order: tracing,
        // debug: the consumer's "batch applied" line, logged while the handler runs, shows the trace it belongs to.
        inventory: { ...tracing, LOG_LEVEL: 'debug' },
        supplier: tracing,
        notification: tracing,
      },
    });
  }, 240_000);

  afterAll(async () => {
    await system?.stop();
    await receiver?.close();
  }, 60_000);

  it('joins the spans of every service into one trace whose root is the POST /orders server span', async () => {
    // A SKU with no stock and a supplier lead time: the line is backordered and the customer told so.
    await http('inventory', 'PUT', `/skus/${SKU}`, { backorderable: true, leadTimeDays: 7, substitutes: [] });
    await eventually(async () => ((await system.http('inventory', 'GET', `/skus/${SKU}`)).status === 200 ? true : undefined), {
      what: 'the SKU configured',
    });
    const placed = await http<{ orderId: string }>('order', 'POST', '/orders', {
      customerId,
      email: `${customerId}@shop.example`,
      lines: [{ sku: SKU, quantity: 1 }],
    });
    await eventually(async () => {
      const list = await http<NotificationView[]>('notification', 'GET', `/customers/${customerId}/notifications`);
      return list.some((n) => n.kind === 'backordered' && n.orderId === placed.orderId) ? true : undefined;
    }, { timeoutMs: 90_000, what: 'the backordered notification' });

    const root = await eventually(() => receiver.spans.find(isPostOrders), { timeoutMs: 30_000, what: 'the POST /orders server span' });
    // Spans arrive from four processes in their own batches: wait until the trace has crossed Kafka from order to
    // inventory, back to order and on to notification, and every span's parent has arrived.
    const inTrace = () => receiver.spans.filter((span) => span.traceId === root.traceId);
    const trace = await eventually(
      () => {
        const spans = inTrace();
        const hops = kafkaHopsOf(spans);
        const complete = ['order>inventory', 'inventory>order'].every((hop) => hops.has(hop)) && [...hops].some((hop) => hop.endsWith('>notification'));
        return complete && orphansOf(spans).length === 0 ? spans : undefined;
      },
      { timeoutMs: 60_000, what: `the trace through every service, all parents exported (have ${JSON.stringify([...kafkaHopsOf(inTrace())])})` },
    );
    expect(receiver.refused).toEqual([]);
    expect(root.parentSpanId).toBe('');
    expect(trace.filter((span) => span.parentSpanId === '')).toEqual([root]);
    expect(orphansOf(trace)).toEqual([]);
    const hops = [...kafkaHopsOf(trace)];
    expect(hops).toEqual(expect.arrayContaining(['order>inventory', 'inventory>order']));
    expect(hops.filter((hop) => hop.endsWith('>notification')).length).toBeGreaterThan(0);
    // The send span of the order's first event is a child of the request that placed it (through the outbox row).
    expect(trace.some((span) => span.kind === PRODUCER && span.service === 'order-service' && span.parentSpanId === root.spanId)).toBe(true);
    // HTTP and PostgreSQL instrumentations: the request's queries are in the trace too.
    const isQuery = (span: ReceivedSpan) => span.kind === 3 && (span.attributes['db.system.name'] ?? span.attributes['db.system']) === 'postgresql';
    expect(trace.some((span) => span.service === 'order-service' && isQuery(span) && span.parentSpanId === root.spanId)).toBe(true);

    // A line the inventory consumer logged while handling the order carries the trace and span ids.
    const inventoryConsumerSpans = new Set(trace.filter((span) => span.service === 'inventory-service' && span.kind === CONSUMER).map((s) => s.spanId));
    const lines = system.services
      .inventory!.output()
      .split('\n')
      .flatMap((line) => {
        try {
          return [JSON.parse(line) as { msg?: string; trace_id?: string; span_id?: string }];
        } catch {
          return [];
        }
      });
    const handled = lines.filter((line) => line.msg === 'batch applied' && line.trace_id === root.traceId);
    expect(handled.length).toBeGreaterThan(0);
    expect(handled.some((line) => inventoryConsumerSpans.has(line.span_id!))).toBe(true);
  }, 240_000);
});
