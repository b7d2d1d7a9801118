// SPEC 11 as another team would try it: PlaceOrder commands sent with the official CloudEvents JavaScript SDK
// (`cloudevents`, its Kafka binding, in binary and in structured mode, produced with kafkajs) and with Debian's kcat
// (a hand-written minimal envelope: specversion, id, source, type, data), none of them carrying our own attributes
// (correlationid, dataversion, subject, time). The services run as processes on the real broker and databases; each
// order must be answered by inventory, as GET /orders/:id shows.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { TOPICS } from '@fulfillment/contracts';
import { eventually, httpRequest, okBody, startSystem, testInfra, testKafka, type RunningSystem, type TopicRecorder } from '@fulfillment/testing';
import { CloudEvent, Kafka as CloudEventsKafka } from 'cloudevents';
import type { Producer } from 'kafkajs';

const KCAT = process.env.KCAT ?? 'kcat';
const run = randomUUID().slice(0, 8);
const SKU = `CE-${run}`;

interface OrderView {
  orderId: string;
  customerId: string;
  status: string;
  lines: { sku: string; quantity: number; reserved: number }[];
}

describe('PlaceOrder from the CloudEvents SDK (binary and structured mode) and from kcat (minimal envelope)', () => {
  let system: RunningSystem;
  let producer: Producer;
  let orderEvents: TopicRecorder;
  let brokers: string;

  const http = async <T>(url: string, method = 'GET', body?: unknown): Promise<T> => {
    const { origin, pathname, search } = new URL(url);
    return okBody(await httpRequest<T>(origin, method, `${pathname}${search}`, { body }), `${method} ${url}`);
  };

  /** GET /orders/:id until inventory has answered every line (the status leaves `pending`). */
  const answered = (orderId: string): Promise<OrderView> =>
    eventually(
      async () => {
        const res = await system.http<OrderView>('order', 'GET', `/orders/${orderId}`);
        if (res.status === 404) return undefined;
        const order = res.body;
        return order.status === 'pending' ? undefined : order;
      },
      { timeoutMs: 60_000, intervalMs: 250, what: `order ${orderId} answered by inventory` },
    );

  /** What an SDK user writes to send with kafkajs: kafkajs refuses undefined header values, so every one is text. */
  const sendWithSdk = async (mode: 'binary' | 'structured', event: CloudEvent<unknown>) => {
    const message = mode === 'binary' ? CloudEventsKafka.binary(event) : CloudEventsKafka.structured(event);
    await producer.send({
      topic: system.namespace.name(TOPICS.orderCommands),
      acks: -1,
      messages: [
        {
          key: message.key ?? null,
          value: typeof message.value === 'string' ? message.value : JSON.stringify(message.value),
          headers: Object.fromEntries(Object.entries(message.headers).map(([name, value]) => [name, String(value)])),
        },
      ],
    });
    return message;
  };

  const kcat = (args: string[], input: string): Promise<string> =>
    new Promise((resolve, reject) => {
      const child = execFile(KCAT, ['-b', brokers, ...args], { timeout: 20_000 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`kcat ${args.join(' ')} failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      });
      child.stdin?.end(input);
    });

  const orderPlacedCausedBy = (commandId: string) =>
    orderEvents.waitFor((all) => all.filter((e) => e.type === 'OrderPlaced' && e.causationid === commandId));

  beforeAll(async () => {
    const probe = spawnSync(KCAT, ['-V'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      throw new Error(`kcat is required by this test and was not found: install it with apt-get install kcat`);
    }
    brokers = (await testInfra()).kafkaBrokers.join(',');
    system = await startSystem({ services: ['order', 'inventory'] });
    producer = (await testKafka('cloudevents-e2e')).producer({ allowAutoTopicCreation: false });
    await producer.connect();
    orderEvents = await system.record(TOPICS.orderEvents);
    await http(`${system.url('inventory')}/skus/${SKU}`, 'PUT', { backorderable: false, substitutes: [] });
    await http(`${system.url('inventory')}/skus/${SKU}/adjustments`, 'POST', { delta: 20, reason: 'initial count' });
  }, 180_000);

  afterAll(async () => {
    await producer?.disconnect().catch(() => undefined);
    await system?.stop();
  }, 60_000);

  it('places an order sent in binary mode (the SDK default), with the SDK\'s "undefined" headers', async () => {
    const orderId = `ce-binary-${run}`;
    const event = new CloudEvent({
      type: 'PlaceOrder',
      source: 'https://checkout.example/sdk',
      data: { orderId, customerId: `cust-bin-${run}`, lines: [{ sku: SKU, quantity: 2 }] },
    });
    const message = await sendWithSdk('binary', event);
    expect(message.headers.ce_datacontentencoding).toBeUndefined(); // sent as the text "undefined"

    const order = await answered(orderId);
    expect(order).toMatchObject({ orderId, status: 'confirmed', lines: [{ sku: SKU, quantity: 2, reserved: 2 }] });
    const [placed] = await orderPlacedCausedBy(event.id);
    expect(placed).toMatchObject({ correlationid: event.id, subject: orderId });
  }, 90_000);

  it('places an order sent in structured mode, with a partition key and no order id (the order service names it)', async () => {
    const customerId = `cust-str-${run}`;
    const event = new CloudEvent({
      type: 'PlaceOrder',
      source: 'https://checkout.example/sdk',
      id: `checkout-${run}-42`,
      partitionkey: customerId,
      data: { customerId, lines: [{ sku: SKU, quantity: 1 }] },
    });
    const message = await sendWithSdk('structured', event);
    expect(message.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    expect(message.key).toBe(customerId);

    const [placed] = await orderPlacedCausedBy(event.id);
    const orderId = (placed!.data as { orderId: string }).orderId;
    expect(placed).toMatchObject({ correlationid: event.id });
    expect(await answered(orderId)).toMatchObject({ orderId, customerId, status: 'confirmed' });
    const listed = await http<{ orderId: string }[]>(`${system.url('order')}/orders?customerId=${customerId}`);
    expect(listed.map((o) => o.orderId)).toEqual([orderId]);
  }, 90_000);

  it('places an order kcat publishes as a minimal envelope: specversion, id, source, type, data', async () => {
    const orderId = `ce-kcat-${run}`;
    const id = `kcat-${run}-1`;
    const envelope = { specversion: '1.0', id, source: 'kcat', type: 'PlaceOrder', data: { orderId, customerId: `cust-kcat-${run}`, lines: [{ sku: SKU, quantity: 3 }] } };
    // murmur2 as kafkajs and the Java client partition (docs/toolchain.md); librdkafka's default is CRC32.
    await kcat(
      ['-P', '-t', system.namespace.name(TOPICS.orderCommands), '-K', '\\t', '-X', 'partitioner=murmur2_random', '-X', 'acks=all'],
      `${orderId}\t${JSON.stringify(envelope)}\n`,
    );

    expect(await answered(orderId)).toMatchObject({ orderId, status: 'confirmed', lines: [{ sku: SKU, quantity: 3, reserved: 3 }] });
    const [placed] = await orderPlacedCausedBy(id);
    expect(placed).toMatchObject({ correlationid: id, subject: orderId });
  }, 90_000);
});
