// The topics are usable by a Kafka client nobody here wrote: kcat (librdkafka, Debian's package) publishes commands and
// reads what the services publish, with nothing from this project on its side but the bytes. The services run as
// processes on the real broker and databases (startSystem); kcat runs as a child process, one call per read or write.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  createEnvelope,
  decodeMessage,
  DLQ_HEADERS,
  dlqTopicOf,
  encodeEnvelope,
  TOPICS,
  type Envelope,
  type MessageData,
  type MessageType,
} from '@fulfillment/contracts';
import { eventually, httpRequest, okBody, startSystem, testInfra, type RunningSystem } from '@fulfillment/testing';
import { Partitioners } from 'kafkajs';

const KCAT = process.env.KCAT ?? 'kcat';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const PARTITIONS = 3; // createTopicNamespace's default, which startSystem uses

/** One line of `kcat -C -J`. */
interface KcatRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
  /** name, value, name, value, ... (absent when the record has none) */
  headers?: string[];
}
type Read = KcatRecord & { envelope: Envelope };

const run = randomUUID().slice(0, 8);
const SKU = `KCAT-${run}`;

function kcatMissing(): string | undefined {
  const probe = spawnSync(KCAT, ['-V'], { encoding: 'utf8' });
  if (probe.error) return `${KCAT}: ${probe.error.message}`;
  if (probe.status !== 0) return `${KCAT} -V exited with ${probe.status}: ${probe.stderr}`;
  return undefined;
}

describe('a client nobody here wrote (kcat) publishes commands and reads events, keys and dead letters', () => {
  let system: RunningSystem;
  let brokers: string;

  const kcat = (args: string[], input = ''): Promise<string> =>
    new Promise((resolve, reject) => {
      const child = execFile(KCAT, ['-b', brokers, ...args], { timeout: 20_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        if (error) reject(new Error(`kcat ${args.join(' ')} failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      });
      child.stdin?.end(input);
    });

  /**
   * `key<TAB>value` lines through `kcat -P`. librdkafka's own default partitioner hashes keys with CRC32; murmur2 is
   * the Java client's and kafkajs's, so with it a key lands where the services' producers put it and stays ordered.
   */
  const produce = (topic: string, records: { key: string; value: string }[]) =>
    kcat(
      ['-P', '-t', system.namespace.name(topic), '-K', '\\t', '-X', 'partitioner=murmur2_random', '-X', 'acks=all'],
      records.map((r) => `${r.key}\t${r.value}\n`).join(''),
    );
  const publish = (topic: string, ...envelopes: Envelope[]) =>
    produce(topic, envelopes.map((e) => ({ key: e.subject, value: encodeEnvelope(e) })));

  /** The whole topic, from the beginning to its current end. */
  const consume = async (realTopic: string): Promise<KcatRecord[]> => {
    const out = await kcat(['-C', '-t', realTopic, '-o', 'beginning', '-e', '-J', '-q']);
    return out
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as KcatRecord);
  };

  /** Reads `topic` with kcat until `select` finds `count` envelopes (every record must decode under the contract). */
  const readUntil = (topic: string, what: string, select: (e: Envelope) => boolean, count = 1): Promise<Read[]> =>
    eventually(
      async () => {
        const records = await consume(system.namespace.name(topic));
        const reads = records.map((r) => {
          const decoded = decodeMessage(topic, r.payload);
          if (!decoded.ok) throw new Error(`kcat read a record on ${topic} the contract refuses: ${decoded.reason}`);
          return { ...r, envelope: decoded.envelope as Envelope };
        });
        const found = reads.filter((r) => select(r.envelope));
        return found.length >= count ? found : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250, what: `${count} × ${what} read by kcat on ${topic}` },
    );

  const command = <T extends MessageType>(type: T, data: MessageData<T>, flow: string) =>
    createEnvelope(type, data, { source: 'kcat-e2e', correlationId: `kcat-${run}-${flow}`, causationId: null });

  /** The attributes docs/domain-rules.md fixes, read from the raw JSON kcat printed (not from our decoder's output). */
  const expectEnvelope = (read: Read, expected: { type: string; source: string; key: string; correlationId: string; causationId: string }) => {
    const raw = JSON.parse(read.payload ?? 'null') as Record<string, unknown>;
    expect(raw).toMatchObject({
      specversion: '1.0',
      type: expected.type,
      source: expected.source,
      subject: read.key,
      datacontenttype: 'application/json',
      correlationid: expected.correlationId,
      causationid: expected.causationId,
    });
    expect(read.key).toBe(expected.key);
    expect(raw.id).toMatch(UUID);
    expect(Number.isInteger(raw.dataversion) && (raw.dataversion as number) >= 1).toBe(true);
    expect(new Date(raw.time as string).toISOString()).toBe(raw.time);
  };

  const http = async <T>(url: string, method = 'GET', body?: unknown): Promise<T> => {
    const { origin, pathname, search } = new URL(url);
    return okBody(await httpRequest<T>(origin, method, `${pathname}${search}`, { body }), `${method} ${url}`);
  };

  beforeAll(async () => {
    const missing = kcatMissing();
    if (missing) throw new Error(`kcat is required by this test and was not found (${missing}): install it with apt-get install kcat`);
    brokers = (await testInfra()).kafkaBrokers.join(',');
    system = await startSystem({ services: ['order', 'inventory', 'supplier'] });
    // 1 on hand and a 5-day lead time: an order of 2 reserves 1 and backorders 1, for which the supplier is asked.
    await http(`${system.url('inventory')}/skus/${SKU}`, 'PUT', { backorderable: true, leadTimeDays: 5, substitutes: [] });
    await http(`${system.url('inventory')}/skus/${SKU}/adjustments`, 'POST', { delta: 1, reason: 'initial count' });
  }, 180_000);

  afterAll(async () => {
    await system?.stop();
  }, 60_000);

  let orderId: string;
  let purchaseOrderId: string;

  it('turns a PlaceOrder published by kcat into OrderPlaced, inventory answers and a purchase order, keyed and caused as the contract says', async () => {
    orderId = randomUUID();
    const place = command('PlaceOrder', { orderId, customerId: `cust-${run}`, lines: [{ sku: SKU, quantity: 2 }] }, 'order');
    await publish(TOPICS.orderCommands, place);


    const [placed] = await readUntil(TOPICS.orderEvents, 'OrderPlaced', (e) => e.type === 'OrderPlaced' && (e.data as { orderId: string }).orderId === orderId);
    expectEnvelope(placed, { type: 'OrderPlaced', source: 'order', key: orderId, correlationId: place.correlationid, causationId: place.id });
    expect(placed.envelope.data).toMatchObject({ orderId, customerId: `cust-${run}`, lines: [{ sku: SKU, quantity: 2 }] });

    const forOrder = (type: string) => (e: Envelope) => e.type === type && (e.data as { orderId?: string }).orderId === orderId;
    const [reserved] = await readUntil(TOPICS.inventoryEvents, 'StockReserved', forOrder('StockReserved'));
    const [queued] = await readUntil(TOPICS.inventoryEvents, 'BackorderQueued', forOrder('BackorderQueued'));
    for (const [read, type] of [[reserved, 'StockReserved'], [queued, 'BackorderQueued']] as const) {
      expectEnvelope(read, { type, source: 'inventory', key: SKU, correlationId: place.correlationid, causationId: placed.envelope.id });
      expect(read.envelope.data).toMatchObject({ sku: SKU, orderId, quantity: 1 });
    }

    const [requested] = await readUntil(TOPICS.inventoryEvents, 'ReplenishmentRequested', (e) => e.type === 'ReplenishmentRequested' && e.subject === SKU);
    expectEnvelope(requested, { type: 'ReplenishmentRequested', source: 'inventory', key: SKU, correlationId: place.correlationid, causationId: placed.envelope.id });
    const [po] = await readUntil(TOPICS.supplierEvents, 'PurchaseOrderPlaced', (e) => e.type === 'PurchaseOrderPlaced' && e.subject === SKU);
    expectEnvelope(po, { type: 'PurchaseOrderPlaced', source: 'supplier', key: SKU, correlationId: place.correlationid, causationId: requested.envelope.id });
    purchaseOrderId = (po.envelope.data as { purchaseOrderId: string }).purchaseOrderId;
  }, 60_000);

  it('turns a ReceiveRestock published by kcat into RestockReceived and the backorder allocated', async () => {
    const receive = command('ReceiveRestock', { purchaseOrderId, sku: SKU, quantity: 1 }, 'restock');
    await publish(TOPICS.supplierCommands, receive);

    const [received] = await readUntil(TOPICS.supplierEvents, 'RestockReceived', (e) => e.type === 'RestockReceived' && e.subject === SKU);
    expectEnvelope(received, { type: 'RestockReceived', source: 'supplier', key: SKU, correlationId: receive.correlationid, causationId: receive.id });
    expect(received.envelope.data).toMatchObject({ purchaseOrderId, sku: SKU, quantity: 1 });

    const [allocated] = await readUntil(TOPICS.inventoryEvents, 'BackorderAllocated', (e) => e.type === 'BackorderAllocated' && e.subject === SKU);
    expectEnvelope(allocated, { type: 'BackorderAllocated', source: 'inventory', key: SKU, correlationId: receive.correlationid, causationId: received.envelope.id });
    expect(allocated.envelope.data).toMatchObject({ orderId, quantity: 1, remaining: 0 });
  }, 60_000);

  it('acts once on a command kcat publishes three times with the same envelope id', async () => {
    // Without an orderId the command is keyed by customer, so the marker after it shares its partition: once the
    // marker's effect is visible, every copy before it has been consumed.
    const customerId = `cust-dup-${run}`;
    const place = command('PlaceOrder', { customerId, lines: [{ sku: SKU, quantity: 1 }] }, 'dup-order');
    const placeMarker = command('PlaceOrder', { customerId, lines: [{ sku: SKU, quantity: 1 }] }, 'dup-order-marker');
    const receive = command('ReceiveRestock', { sku: SKU, quantity: 1 }, 'dup-restock');
    const receiveMarker = command('ReceiveRestock', { sku: SKU, quantity: 1 }, 'dup-restock-marker');
    const onHandBefore = (await http<{ onHand: number }>(`${system.url('inventory')}/skus/${SKU}`)).onHand;

    await publish(TOPICS.orderCommands, place, place); // twice in one batch
    await publish(TOPICS.supplierCommands, receive, receive);
    await readUntil(TOPICS.orderEvents, 'OrderPlaced for the first copies', (e) => e.type === 'OrderPlaced' && e.causationid === place.id);
    await readUntil(TOPICS.supplierEvents, 'RestockReceived for the first copies', (e) => e.type === 'RestockReceived' && e.causationid === receive.id);
    await publish(TOPICS.orderCommands, place, placeMarker); // once more after it took effect, then the marker
    await publish(TOPICS.supplierCommands, receive, receiveMarker);

    await readUntil(TOPICS.orderEvents, "the marker's OrderPlaced", (e) => e.type === 'OrderPlaced' && e.causationid === placeMarker.id);
    await readUntil(TOPICS.supplierEvents, "the marker's RestockReceived", (e) => e.type === 'RestockReceived' && e.causationid === receiveMarker.id);
    const placedOrders = await readUntil(TOPICS.orderEvents, 'OrderPlaced', (e) => e.type === 'OrderPlaced' && e.causationid === place.id);
    expect(placedOrders).toHaveLength(1);
    const receipts = await readUntil(TOPICS.supplierEvents, 'RestockReceived', (e) => e.type === 'RestockReceived' && e.causationid === receive.id);
    expect(receipts).toHaveLength(1);

    const history = await http<{ type: string }[]>(`${system.url('order')}/orders/${(placedOrders[0].envelope.data as { orderId: string }).orderId}/events`);
    expect(history.filter((e) => e.type === 'OrderPlaced')).toHaveLength(1);
    const orders = await http<{ orderId: string }[]>(`${system.url('order')}/orders?customerId=${customerId}`);
    expect(orders).toHaveLength(2); // the copies' order and the marker's
    // Inventory reads the receipts in supplier's order, so counting the marker's unit means the copies were counted.
    const onHand = await eventually(
      async () => {
        const sku = await http<{ onHand: number }>(`${system.url('inventory')}/skus/${SKU}`);
        return sku.onHand >= onHandBefore + 2 ? sku.onHand : undefined;
      },
      { timeoutMs: 30_000, what: 'both receipts counted by inventory' },
    );
    expect(onHand).toBe(onHandBefore + 2);
  }, 60_000);

  it('dead-letters garbage kcat publishes on a command topic, keeping its bytes and naming the problem, and moves on', async () => {
    const key = `cust-garbage-${run}`;
    await produce(TOPICS.orderCommands, [{ key, value: 'not json' }]);
    // A valid command behind it on the same key, hence the same partition.
    const behind = command('PlaceOrder', { customerId: key, lines: [{ sku: SKU, quantity: 1 }] }, 'behind-garbage');
    await publish(TOPICS.orderCommands, behind);

    const dlq = system.namespace.name(dlqTopicOf(TOPICS.orderCommands));
    const letter = await eventually(
      async () => (await consume(dlq)).find((r) => r.key === key),
      { timeoutMs: 30_000, intervalMs: 250, what: `the garbage on ${dlq}` },
    );
    expect(letter.payload).toBe('not json');
    const headers = new Map<string, string>();
    for (let i = 0; i + 1 < (letter.headers ?? []).length; i += 2) headers.set(letter.headers![i], letter.headers![i + 1]);
    expect(headers.get(DLQ_HEADERS.reason)).toMatch(/^not valid JSON/);
    expect(headers.get(DLQ_HEADERS.sourceTopic)).toBe(system.namespace.name(TOPICS.orderCommands));

    await readUntil(TOPICS.orderEvents, 'OrderPlaced behind the garbage', (e) => e.type === 'OrderPlaced' && e.causationid === behind.id);
  }, 60_000);

  it("put every key it published in the partition the services' own client (kafkajs) would choose for it", async () => {
    const partitionOf = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: PARTITIONS }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
    const published = [
      ...(await consume(system.namespace.name(TOPICS.orderCommands))),
      ...(await consume(system.namespace.name(TOPICS.supplierCommands))),
    ];
    expect(new Set(published.map((r) => r.key)).size).toBeGreaterThanOrEqual(4);
    for (const record of published) {
      const expected = partitionOf({ topic: record.topic, partitionMetadata, message: { key: record.key, value: record.payload } });
      expect({ key: record.key, partition: record.partition }).toEqual({ key: record.key, partition: expected });
    }
  }, 30_000);
});
