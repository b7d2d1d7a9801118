#!/usr/bin/env node
// npm run bench:restock — the restock fan-out of one hot SKU, end to end through the running services.
//
// 10,000 customers backorder one unit each of one SKU; then one receipt of 10,000 arrives. Measured: how fast the
// orders are taken in (until the 10,000th BackorderQueued is on inventory.events), how long until the last
// BackorderAllocated is published (allocate_s) and until the last customer is told (notify_s), and whether the
// allocations followed the queue (fifo). Everything runs under a fresh topic prefix and fresh databases, so a running
// `npm start` is not disturbed; what this script starts it stops, and it drops its databases and topics.
//
// BENCH_SERVICES=inventory,supplier runs only those (to see what bounds a figure), BENCH_LOG_LEVEL sets the services'
// log level (default warn) and BENCH_LOG_DIR keeps their full output there, one file per service.
//
// Progress goes to stderr; the last stdout line is:
//   restock fan-out: backorders=10000 allocated=<n> fifo=<ok|broken> notified=<n> allocate_s=<s> notify_s=<s>
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { startIsolatedServices } from '../local/isolated-services.mjs';
import { produceEnvelopes, until as waitUntil } from '../local/script-kit.mjs';
import { root } from '../local/run.mjs';

const BACKORDERS = Number(process.env.BENCH_BACKORDERS ?? 10_000);
const PARTITIONS = Number(process.env.KAFKA_PARTITIONS ?? 6);
const SERVICES = (process.env.BENCH_SERVICES ?? 'order,inventory,supplier,notification').split(',').map((name) => name.trim());
const LOG_DIR = process.env.BENCH_LOG_DIR;
// What each service consumes (docs/domain-rules.md), to know when every one of them has caught up.
const CONSUMES = {
  order: ['order.commands', 'inventory.events'],
  inventory: ['order.events', 'supplier.events'],
  supplier: ['supplier.commands', 'inventory.events'],
  notification: ['order.events', 'inventory.events', 'supplier.events'],
};
const PROBE_TIMEOUT_MS = 20_000;
const PHASE_TIMEOUT_MS = Number(process.env.BENCH_PHASE_TIMEOUT_MS ?? 10 * 60_000);

const say = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const seconds = (ms) => (ms / 1000).toFixed(2);

const contracts = await import(path.join(root, 'libs/contracts/dist/index.js'));
const { createEnvelope, encodeEnvelope } = contracts;
const envelope = (type, data, extra = {}) =>
  createEnvelope(type, data, { source: 'bench', correlationId: `bench-${randomUUID()}`, causationId: null, ...extra });

// ---------------------------------------------------------------------------------------------------------------
// What was started, so that every exit path can undo it.
const until = (what, probe, options = {}) => waitUntil(what, probe, { timeoutMs: PHASE_TIMEOUT_MS, intervalMs: 20, ...options });

// ---------------------------------------------------------------------------------------------------------------
// Infrastructure, topics, services: every service that is built, under a fresh prefix and fresh databases.
let system;
try {
  system = await startIsolatedServices({
    label: 'bench',
    services: SERVICES,
    partitions: PARTITIONS,
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'warn',
    logDir: LOG_DIR,
    skipMissing: true,
    cpuProfileDir: process.env.BENCH_CPU_PROF_DIR,
    say,
  });
} catch (error) {
  say(`failed to start the services: ${error.message}`);
  process.stdout.write(`restock fan-out: backorders=${BACKORDERS} allocated=0 fifo=broken notified=0 allocate_s=n/a notify_s=n/a\n`);
  process.exit(1);
}
const { kafka, prefix, suffix, topic } = system;
say(`services ${[...system.services.keys()].join(', ')} started under topic prefix ${prefix} (${PARTITIONS} partitions each) on fresh databases`);

// ---------------------------------------------------------------------------------------------------------------
// Reading what the services publish.
const sku = `BENCH-${suffix}`;
const queuedAt = new Map(); // orderId -> position
const allocated = []; // orderIds in publication order
const notified = new Set(); // orderIds whose customer got a backorder-allocated notification
const seen = { lastAt: Date.now(), orderPlaced: new Set(), restockSkus: new Set() };
const marks = { queuedAll: 0, allocatedAll: 0, notifiedAll: 0, receiptSeen: 0, decidedAt: 0, firstAllocated: 0, firstNotified: 0 };

async function startReader() {
  const reader = kafka.consumer({ groupId: `${prefix}bench-reader`, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  system.track(reader);
  const joined = new Promise((resolve) => reader.on(reader.events.GROUP_JOIN, resolve));
  await reader.connect();
  await reader.subscribe({
    topics: ['order.events', 'inventory.events', 'supplier.events', 'notification.events'].map(topic),
    fromBeginning: true,
  });
  await reader.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      seen.lastAt = now;
      for (const message of batch.messages) {
        const event = JSON.parse(message.value.toString('utf8'));
        const { data } = event;
        switch (event.type) {
          case 'OrderPlaced':
            seen.orderPlaced.add(data.orderId);
            break;
          case 'RestockReceived':
            seen.restockSkus.add(data.sku);
            if (data.sku === sku) marks.receiptSeen ||= now;
            break;
          case 'BackorderQueued':
            if (data.sku !== sku) break;
            queuedAt.set(data.orderId, data.position);
            if (queuedAt.size === BACKORDERS) marks.queuedAll ||= now;
            break;
          case 'BackorderAllocated':
            if (data.sku !== sku) break;
            allocated.push(data.orderId);
            if (allocated.length === 1) {
              marks.firstAllocated = now;
              // The event's time is when inventory decided: the rest until publication is commit and outbox relay.
              marks.decidedAt = Date.parse(event.time);
            }
            if (allocated.length === BACKORDERS) marks.allocatedAll ||= now;
            break;
          case 'CustomerNotified':
            if (data.kind !== 'backorder-allocated' || data.sku !== sku) break;
            notified.add(data.orderId);
            if (notified.size === 1) marks.firstNotified = now;
            if (notified.size === BACKORDERS) marks.notifiedAll ||= now;
            break;
          default:
        }
      }
    },
  });
  await joined;
}

const produce = (name, envelopes) => produceEnvelopes(kafka, topic(name), envelopes, encodeEnvelope);

/** Whether a command topic is served: a harmless probe command, and the event it should cause within a while. */
async function probe(what, send, answered) {
  await send();
  try {
    await until(what, async () => answered(), { timeoutMs: PROBE_TIMEOUT_MS, intervalMs: 100 });
    return true;
  } catch {
    return false;
  }
}

/** Records the running services' consumer groups have not committed yet, over all the topics they consume. */
async function unconsumed(names) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let lag = 0;
    for (const name of names) {
      const topics = CONSUMES[name] ?? [];
      const committed = await admin.fetchOffsets({ groupId: `${prefix}${name}-service`, topics: topics.map(topic) });
      for (const { topic: real, partitions } of committed) {
        const ends = new Map((await admin.fetchTopicOffsets(real)).map((p) => [p.partition, Number(p.high)]));
        for (const { partition, offset } of partitions) lag += (ends.get(partition) ?? 0) - Math.max(0, Number(offset));
      }
    }
    return lag;
  } finally {
    await admin.disconnect();
  }
}

const json = (method, url, body) => system.json(method, url, body);

// ---------------------------------------------------------------------------------------------------------------
let exitCode = 0;
let line = `restock fan-out: backorders=${BACKORDERS} allocated=0 fifo=broken notified=0 allocate_s=n/a notify_s=n/a`;
try {
  const running = system.services;
  if (!running.has('inventory')) throw new Error('services/inventory/dist/main.js is missing: build first');
  await startReader();
  const inventory = running.get('inventory');

  // Which public entry points exist: commands the order and supplier services consume, the supplier's HTTP API.
  const probeSku = `BENCH-PROBE-${suffix}`;
  const probeOrder = randomUUID();
  const [ordersByCommand, restockByCommand] = await Promise.all([
    running.has('order')
      ? probe(
          'an OrderPlaced for the probe PlaceOrder',
          () => produce('order.commands', [envelope('PlaceOrder', { orderId: probeOrder, customerId: 'bench-probe', lines: [{ sku: probeSku, quantity: 1 }] })]),
          () => seen.orderPlaced.has(probeOrder),
        )
      : false,
    running.has('supplier')
      ? probe(
          'a RestockReceived for the probe ReceiveRestock',
          () => produce('supplier.commands', [envelope('ReceiveRestock', { sku: probeSku, quantity: 1 })]),
          () => seen.restockSkus.has(probeSku),
        )
      : false,
  ]);

  // The SKU: backorderable, no lead time, so only the purchase order backs the promises.
  const configured = await json('PUT', `${inventory.url}/skus/${sku}`, { backorderable: true });
  if (configured.status !== 200) throw new Error(`PUT /skus/${sku} answered ${configured.status}`);
  const expectedAt = new Date(Date.now() + 14 * 86_400_000).toISOString();
  let purchaseOrderId;
  let purchaseOrderVia = 'PurchaseOrderPlaced envelope on supplier.events';
  if (running.has('supplier')) {
    const placed = await json('POST', `${running.get('supplier').url}/purchase-orders`, { sku, quantity: BACKORDERS, expectedAt }).catch(() => undefined);
    if (placed?.status === 201) {
      purchaseOrderId = placed.body.purchaseOrderId;
      purchaseOrderVia = 'POST /purchase-orders on the supplier service';
    }
  }
  if (purchaseOrderId === undefined) {
    purchaseOrderId = `po-bench-${suffix}`;
    await produce('supplier.events', [envelope('PurchaseOrderPlaced', { purchaseOrderId, sku, quantity: BACKORDERS, expectedAt }, { source: 'supplier' })]);
  }
  await until('the purchase order booked by inventory', async () => {
    const { body } = await json('GET', `${inventory.url}/skus/${sku}`);
    return body?.incoming?.some((po) => po.purchaseOrderId === purchaseOrderId && po.quantity === BACKORDERS);
  });
  say(`purchase order of ${BACKORDERS} placed through ${purchaseOrderVia}`);

  // Intake: one unit each, one customer each.
  const orderIds = Array.from({ length: BACKORDERS }, () => randomUUID());
  const orders = ordersByCommand
    ? orderIds.map((orderId, i) => envelope('PlaceOrder', { orderId, customerId: `bench-customer-${i}`, lines: [{ sku, quantity: 1 }] }))
    : orderIds.map((orderId, i) =>
        envelope('OrderPlaced', { orderId, customerId: `bench-customer-${i}`, lines: [{ lineId: `${orderId}-1`, sku, quantity: 1 }], placedAt: new Date().toISOString() }, { source: 'order' }),
      );
  const ordersVia = ordersByCommand
    ? 'PlaceOrder commands on order.commands'
    : `OrderPlaced envelopes on order.events (${running.has('order') ? 'the order service did not answer a PlaceOrder' : 'the order service is not running'})`;
  say(`placing ${BACKORDERS} orders through ${ordersVia}`);
  const intakeStart = Date.now();
  await produce(ordersByCommand ? 'order.commands' : 'order.events', orders);
  await until(`${BACKORDERS} BackorderQueued`, async () => marks.queuedAll > 0 || undefined, { intervalMs: 50 });
  const intakeS = (marks.queuedAll - intakeStart) / 1000;
  say(`intake: ${BACKORDERS} backorders queued in ${intakeS.toFixed(2)} s = ${Math.round(BACKORDERS / intakeS)} orders/s`);

  // Let the rest of the system (order status, "backordered" notifications) finish, so the restock runs alone: every
  // consumer group has caught up and nothing new was published for a while (outbox rows show up as new records).
  const settleStart = Date.now();
  await until(
    'every service to catch up',
    async () => Date.now() - seen.lastAt > 2_000 && (await unconsumed([...running.keys()])) === 0,
    { intervalMs: 500 },
  );
  say(`the other services caught up ${seconds(Date.now() - marks.queuedAll)} s after the last BackorderQueued (waited ${seconds(Date.now() - settleStart)} s)`);

  const restockVia = restockByCommand
    ? 'a ReceiveRestock command on supplier.commands'
    : `a RestockReceived envelope on supplier.events (${running.has('supplier') ? 'the supplier service did not answer a ReceiveRestock' : 'the supplier service is not running'})`;
  say(`restock of ${BACKORDERS} through ${restockVia}`);
  const restockStart = Date.now();
  await produce(
    restockByCommand ? 'supplier.commands' : 'supplier.events',
    restockByCommand
      ? [envelope('ReceiveRestock', { purchaseOrderId, sku, quantity: BACKORDERS })]
      : [envelope('RestockReceived', { purchaseOrderId, sku, quantity: BACKORDERS, receivedAt: new Date().toISOString(), remainingOnOrder: 0 }, { source: 'supplier' })],
  );
  await until(`${BACKORDERS} BackorderAllocated`, async () => marks.allocatedAll > 0 || undefined).catch((error) => say(error.message));
  const allocateS = marks.allocatedAll ? seconds(marks.allocatedAll - restockStart) : 'n/a';
  say(`allocated ${allocated.length} in ${allocateS} s`);
  if (marks.allocatedAll) {
    const at = (mark) => (mark ? `${seconds(mark - restockStart)} s` : 'n/a');
    say(
      `  timeline from the restock: RestockReceived on supplier.events ${at(marks.receiptSeen)}, inventory decided ` +
        `${at(marks.decidedAt)}, first BackorderAllocated published ${at(marks.firstAllocated)}, last ${at(marks.allocatedAll)}`,
    );
  }

  let notifyS = 'n/a';
  if (running.has('notification')) {
    await until(`${BACKORDERS} backorder-allocated notifications`, async () => marks.notifiedAll > 0 || undefined).catch((error) => say(error.message));
    if (marks.notifiedAll) notifyS = seconds(marks.notifiedAll - restockStart);
    say(`notified ${notified.size} customers in ${notifyS} s (first after ${marks.firstNotified ? seconds(marks.firstNotified - restockStart) : 'n/a'} s)`);
  }

  const queueOrder = [...queuedAt.entries()].sort((a, b) => a[1] - b[1]).map(([orderId]) => orderId);
  const positionsUnique = queueOrder.every((_, index) => queuedAt.get(queueOrder[index]) === index + 1);
  const fifo = positionsUnique && allocated.length === queueOrder.length && allocated.every((orderId, i) => orderId === queueOrder[i]);
  line =
    `restock fan-out: backorders=${queuedAt.size} allocated=${allocated.length} fifo=${fifo ? 'ok' : 'broken'} ` +
    `notified=${notified.size} allocate_s=${allocateS} notify_s=${notifyS}`;
  if (!fifo || allocated.length !== BACKORDERS) exitCode = 1;
} catch (error) {
  exitCode = 1;
  system.sayFailure(error);
} finally {
  await system.stop();
}
process.stdout.write(`${line}\n`);
process.exit(exitCode);
