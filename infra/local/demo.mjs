#!/usr/bin/env node
// npm run demo: the backorder story told against the system `npm start` runs, as a timeline a newcomer can read.
//
// Two SKUs with fresh names per run (so the demo can be repeated against the same databases): a mug with 2 on hand
// and a purchase order of 3, ordered by five customers; a lamp with no restock plan, whose customer takes the mug
// instead. The story ends with every order that was not cancelled shipped. What inventory and supplier
// decide is read from their topics as it happens; order statuses and notifications from the HTTP read models.
// Everything waited for is bounded; on any failure the demo says what it was waiting for and exits 1.
//
// Settings: ORDER_URL, INVENTORY_URL, SUPPLIER_URL, NOTIFICATION_URL (default http://127.0.0.1:3001..3004),
// KAFKA_BROKERS (default 127.0.0.1:9092), KAFKA_TOPIC_PREFIX (default none, as npm start runs the services),
// DEMO_TIMEOUT_MS (longest wait for one step, default 30000).
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { devTokenFile } from './dev-auth.mjs';
import { kafkaSecurityFromEnv } from './kafka-security.mjs';

const URLS = {
  order: process.env.ORDER_URL ?? 'http://127.0.0.1:3001',
  inventory: process.env.INVENTORY_URL ?? 'http://127.0.0.1:3002',
  supplier: process.env.SUPPLIER_URL ?? 'http://127.0.0.1:3003',
  notification: process.env.NOTIFICATION_URL ?? 'http://127.0.0.1:3004',
};
const BROKERS = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((b) => b.trim()).filter(Boolean);
const PREFIX = process.env.KAFKA_TOPIC_PREFIX ?? '';
const TIMEOUT_MS = Number(process.env.DEMO_TIMEOUT_MS ?? 30_000);
const START_HINT = 'start the system first: npm start';
// The token `npm start` wrote (SPEC 12), or the caller's own; none when the services run with AUTH_DISABLED=true.
const TOKEN = process.env.AUTH_TOKEN ?? (fs.existsSync(devTokenFile()) ? fs.readFileSync(devTokenFile(), 'utf8').trim() : undefined);
const DAY = 24 * 60 * 60 * 1000;

/** A failure the demo explains in one line, without a stack trace. */
class DemoError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Output: one line per happening, aligned columns, times relative to the start; colours only on a terminal.
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code) => (text) => (color ? `\x1b[${code}m${text}\x1b[0m` : text);
const dim = paint('2');
const bold = paint('1');
const cyan = paint('36');
const yellow = paint('33');
const startedAt = performance.now();
const WHO_WIDTH = 12;
const TEXT_WIDTH = 72;

function clock() {
  return `+${((performance.now() - startedAt) / 1000).toFixed(1)}s`.padStart(7);
}
// Padding happens before painting: escape codes would count as width.
function say(who, text, note = '', style = (t) => t) {
  const body = note ? `${style(text.padEnd(TEXT_WIDTH))} ${dim(note)}` : style(text);
  process.stdout.write(`${dim(clock())}  ${cyan(who.padEnd(WHO_WIDTH))} ${body}\n`);
}
/** What the demo itself does (a person acting), set apart from what the services decide. */
function act(who, text, note = '') {
  say(who, `> ${text}`, note, bold);
}
function chapter(title) {
  process.stdout.write(`\n${yellow(title)}\n`);
}
function wrap(text, width, indent) {
  const lines = [];
  let current = '';
  for (const word of text.split(/\s+/)) {
    if (current && current.length + 1 + word.length > width) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) lines.push(current);
  return lines.join(`\n${' '.repeat(indent)}`);
}
const day = (iso) =>
  iso === null || iso === undefined
    ? 'no date'
    : new Date(iso).toLocaleDateString('en-GB', { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' });
const short = (id) => (id ? String(id).slice(0, 8) : '-');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------------------------
// The cast: fresh names every run.
const run = randomUUID().slice(0, 4);
const MUG = `MUG-${run.toUpperCase()}`;
const LAMP = `LAMP-${run.toUpperCase()}`;
const customer = (name) => `${name}-${run}`;
const MUG_CUSTOMERS = ['alice', 'bob', 'carol', 'dave', 'erin'];
const LAMP_CUSTOMER = 'frank';
const nameOf = (customerId) => customerId.replace(`-${run}`, '');

// What the demo has seen so far, filled by the Kafka consumer and the HTTP pollers.
const seen = {
  /** inventory and supplier envelopes about the demo's SKUs, in arrival order */
  events: [],
  /** orderId -> {customerId, status} */
  orders: new Map(),
  /** customerId -> {list, printed}: the notifications as last listed, and the ids already shown */
  notifications: new Map(),
};

// ---------------------------------------------------------------------------------------------------------------
// HTTP
async function http(service, method, path, body) {
  let res;
  try {
    res = await fetch(`${URLS[service]}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(TOKEN ? { authorization: `Bearer ${TOKEN}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new DemoError(`${service} service does not answer at ${URLS[service]} (${error.cause?.code ?? error.name}): ${START_HINT}`);
  }
  const text = await res.text();
  if (res.status >= 400) throw new DemoError(`${method} ${URLS[service]}${path} answered ${res.status}: ${text.slice(0, 300)}`, res.status);
  return text ? JSON.parse(text) : undefined;
}

async function checkServices() {
  const problems = await Promise.all(
    Object.entries(URLS).map(async ([service, url]) => {
      try {
        const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(3000) });
        if (res.status === 200) return null;
        return `${service} service at ${url} is not healthy (${res.status} ${(await res.text()).slice(0, 200)})`;
      } catch (error) {
        return `${service} service does not answer at ${url} (${error.cause?.code ?? error.name})`;
      }
    }),
  );
  const found = problems.filter(Boolean);
  if (found.length > 0) throw new DemoError(`${found.join('\n')}\n${START_HINT}`);
}

/** What broke in the background (the topic reader or the HTTP poller), so that a wait does not outlast it. */
let backgroundFailure = () => undefined;

/** Polls `probe` until it returns something truthy; a timeout names what was awaited. */
async function until(what, probe, timeoutMs = TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const broken = backgroundFailure();
    if (broken) throw broken;
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new DemoError(`timed out after ${timeoutMs / 1000} s waiting for ${what}; is the whole system up and healthy? (npm start)`);
    }
    await sleep(100);
  }
}
const eventsOf = (type, sku) => seen.events.filter((e) => e.type === type && (sku === undefined || e.subject === sku));

// ---------------------------------------------------------------------------------------------------------------
// Kafka: inventory's and supplier's decisions about the demo's SKUs, printed as they arrive.
function describeEvent(e) {
  const d = e.data;
  const who = d.customerId ? nameOf(d.customerId) : '';
  switch (e.type) {
    case 'StockReserved':
      return `reserved ${d.quantity} × ${d.sku} for ${who}`;
    case 'BackorderQueued':
      return `backordered ${d.quantity} × ${d.sku} for ${who}: queue position ${d.position}, promised ${day(d.expectedAt)}`;
    case 'BackorderEtaChanged':
      return `${who}'s promised date moves: ${day(d.previousExpectedAt)} -> ${day(d.expectedAt)}`;
    case 'BackorderAllocated':
      return `allocated ${d.quantity} × ${d.sku} to ${who}, the queue head; ${d.remaining} still waiting`;
    case 'BackorderReleased':
      return `${who}'s ${d.quantity} queued × ${d.sku} leave the queue (${d.reason})`;
    case 'StockReleased':
      return `released ${who}'s ${d.quantity} × ${d.sku} (${d.reason})`;
    case 'StockUnavailable':
      return `out of stock: ${d.quantity} × ${d.sku} for ${who}; substitutes: ${d.substitutes.length ? d.substitutes.join(', ') : 'none'}`;
    case 'ReplenishmentRequested':
      return `asks for ${d.quantity} more × ${d.sku} (${d.reason})`;
    case 'BackInStock':
      return `${d.sku} is back in stock: ${d.available} available`;
    case 'StockShipped':
      return `${d.quantity} × ${d.sku} left the warehouse for ${who}`;
    case 'OrderReadyToShip':
      return `${who}'s order ${short(d.orderId)} is ready to ship: ${d.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')}`;
    case 'OrderShipped':
      return `${who}'s order ${short(d.orderId)} shipped ${d.lines.map((l) => `${l.quantity} × ${l.sku}`).join(', ')}${d.carrier ? ` with ${d.carrier}` : ''}`;
    case 'OrderLineSubstituted':
      return `${who} takes ${d.quantity} × ${d.substituteSku} instead of ${d.sku}: new line ${d.newLineId.slice(d.orderId.length + 1)}`;
    case 'PurchaseOrderPlaced':
      return `purchase order ${short(d.purchaseOrderId)}: ${d.quantity} × ${d.sku} due ${day(d.expectedAt)}`;
    case 'PurchaseOrderEtaChanged':
      return `purchase order ${short(d.purchaseOrderId)} now due ${day(d.expectedAt)} (was ${day(d.previousExpectedAt)})`;
    case 'RestockReceived':
      return `received ${d.quantity} × ${d.sku}${d.purchaseOrderId ? ` on purchase order ${short(d.purchaseOrderId)}` : ''}`;
    default:
      return null;
  }
}

async function startWatchingTopics(kafka) {
  const topics = ['inventory.events', 'supplier.events', 'order.events'].map((t) => `${PREFIX}${t}`);
  const admin = kafka.admin();
  const groupId = `demo-${run}-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const watching = { consumer, admin, groupId };
  try {
    await admin.connect();
  } catch (error) {
    throw new DemoError(`Kafka does not answer at ${BROKERS.join(',')} (${error.message}): ${START_HINT}`);
  }
  // Where each partition ends before the story starts: the demo reads from there, so nothing it causes is missed and
  // nothing older is read.
  const startOffsets = [];
  for (const topic of topics) {
    let offsets;
    try {
      offsets = await admin.fetchTopicOffsets(topic);
    } catch (error) {
      throw new DemoError(`cannot read topic ${topic} (${error.message}): ${START_HINT}`);
    }
    for (const { partition, offset } of offsets) startOffsets.push({ topic, partition, offset });
  }
  const skus = new Set([MUG, LAMP]);
  let crashed;
  consumer.on(consumer.events.CRASH, ({ payload }) => (crashed = payload.error));
  await consumer.connect();
  for (const topic of topics) await consumer.subscribe({ topic, fromBeginning: false });
  await consumer.run({
    eachMessage: async ({ topic, message }) => {
      let envelope;
      try {
        envelope = JSON.parse(message.value?.toString() ?? '');
      } catch {
        return; // not the demo's business: the services dead-letter what they cannot read
      }
      // order.events is keyed by order: the demo's orders are the ones it placed.
      if (!skus.has(envelope?.subject) && !seen.orders.has(envelope?.subject)) return;
      seen.events.push(envelope);
      const text = describeEvent(envelope);
      if (text) say(topic.slice(PREFIX.length).split('.')[0], text, envelope.type);
    },
  });
  const failure = () => crashed && new DemoError(`reading ${topics.join(', ')} failed: ${crashed.message}`);
  if (crashed) throw failure();
  for (const position of startOffsets) consumer.seek(position);
  watching.failure = failure;
  return watching;
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP read models: order statuses and notifications, printed when they change.
async function pollReadModels() {
  for (const [orderId, known] of seen.orders) {
    const view = await http('order', 'GET', `/orders/${orderId}`);
    if (view.status !== known.status) {
      known.status = view.status;
      say('order', `${nameOf(view.customerId)}'s order ${short(orderId)} is ${view.status}`);
    }
  }
  for (const [customerId, known] of seen.notifications) {
    try {
      known.list = await http('notification', 'GET', `/customers/${encodeURIComponent(customerId)}/notifications`);
    } catch (error) {
      if (error.status === 404) continue; // the notification service has not heard of this customer yet
      throw error;
    }
    const fresh = known.list.filter((n) => !known.printed.has(n.notificationId));
    for (const n of fresh) known.printed.add(n.notificationId);
    // One change reaches the customer once per channel: one line per change.
    for (const change of byChange(fresh)) {
      say('notification', `told ${nameOf(customerId)}: ${change.kind}`, change.channels.join(', '));
    }
  }
}

/** Notifications grouped by the change they tell (same kind, order, SKU and words), channels together, in order. */
function byChange(notifications) {
  const changes = [];
  for (const n of notifications) {
    const same = changes.find((c) => c.kind === n.kind && c.orderId === n.orderId && c.sku === n.sku && c.message === n.message);
    if (same) same.channels.push(n.channel);
    else changes.push({ kind: n.kind, orderId: n.orderId, sku: n.sku, message: n.message, channels: [n.channel] });
  }
  return changes;
}

function startPolling() {
  let failure;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      try {
        await pollReadModels();
      } catch (error) {
        failure = error;
        return;
      }
      await sleep(200);
    }
  })();
  return {
    failure: () => failure,
    stop: async () => {
      stopped = true;
      await loop;
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The story
async function placeOrder(name, sku, quantity) {
  const customerId = customer(name);
  if (!seen.notifications.has(customerId)) seen.notifications.set(customerId, { list: [], printed: new Set() });
  const placed = await http('order', 'POST', '/orders', {
    customerId,
    email: `${customerId}@shop.example`,
    lines: [{ sku, quantity }],
  });
  act(name, `orders ${quantity} × ${sku}`, `order ${short(placed.orderId)}`);
  seen.orders.set(placed.orderId, { customerId, status: placed.status });
  // One at a time, so that the queue order is the order in which the customers asked.
  await until(`inventory's answer to ${name}'s order`, () => seen.orders.get(placed.orderId).status !== 'pending');
  return placed.orderId;
}

const statusOf = (orderId) => seen.orders.get(orderId)?.status;
const notificationsOf = (name) => seen.notifications.get(customer(name))?.list ?? [];
const inAppKinds = (name) => notificationsOf(name).filter((n) => n.channel === 'in-app').map((n) => n.kind);

async function story() {
  chapter(`1. The mug: 2 on hand, 3 more on a purchase order (run ${run})`);
  await http('inventory', 'PUT', `/skus/${MUG}`, { backorderable: true, substitutes: [] });
  act('warehouse', `counts 2 × ${MUG} on hand`);
  await http('inventory', 'POST', `/skus/${MUG}/adjustments`, { delta: 2, reason: 'initial count' });
  const po = await http('supplier', 'POST', '/purchase-orders', {
    sku: MUG,
    quantity: 3,
    expectedAt: new Date(Date.now() + 10 * DAY).toISOString(),
  });
  act('buyer', `orders 3 × ${MUG} from the supplier, due ${day(po.expectedAt)}`, `purchase order ${short(po.purchaseOrderId)}`);
  await until('inventory to count the purchase order as incoming', async () => {
    const sku = await http('inventory', 'GET', `/skus/${MUG}`);
    return sku.incoming.some((i) => i.purchaseOrderId === po.purchaseOrderId);
  });
  await until('PurchaseOrderPlaced on supplier.events', () => eventsOf('PurchaseOrderPlaced', MUG).length > 0);

  chapter('2. Five customers order one mug each: two are reserved, three queue for the purchase order');
  const mugOrders = {};
  for (const name of MUG_CUSTOMERS) mugOrders[name] = await placeOrder(name, MUG, 1);
  await until('a notification for every mug customer', () => MUG_CUSTOMERS.every((name) => inAppKinds(name).length >= 1));
  await until('three mugs queued on inventory.events', () => eventsOf('BackorderQueued', MUG).length >= 3);

  chapter('3. The supplier is late: the waiting customers get the new date');
  const later = new Date(Date.parse(po.expectedAt) + 5 * DAY).toISOString();
  act('buyer', `moves the purchase order to ${day(later)}`);
  await http('supplier', 'PATCH', `/purchase-orders/${po.purchaseOrderId}`, { expectedAt: later });
  await until('the new date told to carol, dave and erin', () =>
    ['carol', 'dave', 'erin'].every((name) => inAppKinds(name).includes('backorder-eta-changed')),
  );

  chapter('4. Two of the three arrive: first come, first served');
  act('warehouse', `receives 2 × ${MUG} on purchase order ${short(po.purchaseOrderId)}`);
  await http('supplier', 'POST', `/purchase-orders/${po.purchaseOrderId}/receipts`, { quantity: 2 });
  await until('two allocations, the orders confirmed and the customers told', () =>
    eventsOf('BackorderAllocated', MUG).length >= 2 &&
    ['carol', 'dave'].every((name) => statusOf(mugOrders[name]) === 'confirmed' && inAppKinds(name).includes('backorder-allocated')),
  );

  chapter("5. Alice cancels: her mug goes to the head of the queue, erin");
  act('alice', `cancels order ${short(mugOrders.alice)}`);
  await http('order', 'POST', `/orders/${mugOrders.alice}/cancel`, { reason: 'changed my mind' });
  await until("erin's allocation and alice's cancellation, with both told", () =>
    eventsOf('BackorderAllocated', MUG).length >= 3 &&
    statusOf(mugOrders.erin) === 'confirmed' &&
    statusOf(mugOrders.alice) === 'cancelled' &&
    inAppKinds('erin').includes('backorder-allocated') &&
    inAppKinds('alice').includes('order-cancelled'),
  );

  chapter('6. The lamp has no restock plan: out of stock, with the mug as a substitute');
  await http('inventory', 'PUT', `/skus/${LAMP}`, { backorderable: true, leadTimeDays: null, substitutes: [MUG] });
  const lampOrder = await placeOrder(LAMP_CUSTOMER, LAMP, 1);
  await until("frank's out-of-stock notice", () => inAppKinds(LAMP_CUSTOMER).includes('out-of-stock'));
  act('warehouse', `finds 5 × ${LAMP} in the back`);
  await http('inventory', 'POST', `/skus/${LAMP}/adjustments`, { delta: 5, reason: 'found in the back' });
  await until("frank's back-in-stock notice", () => inAppKinds(LAMP_CUSTOMER).includes('back-in-stock'));

  chapter('7. Frank would rather have the mug his out-of-stock notice offered: it waits for the last mug on order');
  act(LAMP_CUSTOMER, `takes a ${MUG} instead of the ${LAMP}`);
  const substitution = await http('order', 'POST', `/orders/${lampOrder}/lines/${lampOrder}-1/substitute`, { sku: MUG });
  await until("frank's mug line queued and his substitute-accepted notice", () =>
    eventsOf('BackorderQueued', MUG).some((e) => e.data.lineId === substitution.newLineId) &&
    statusOf(lampOrder) === 'backordered' &&
    inAppKinds(LAMP_CUSTOMER).includes('substitute-accepted'),
  );
  act('warehouse', `receives the last ${MUG} on purchase order ${short(po.purchaseOrderId)}`);
  await http('supplier', 'POST', `/purchase-orders/${po.purchaseOrderId}/receipts`, { quantity: 1 });
  await until("frank's mug allocated", () => statusOf(lampOrder) === 'confirmed' && inAppKinds(LAMP_CUSTOMER).includes('backorder-allocated'));

  chapter('8. The warehouse ships every order that is ready');
  const toShip = [...['bob', 'carol', 'dave', 'erin'].map((name) => [name, mugOrders[name]]), [LAMP_CUSTOMER, lampOrder]];
  for (const [name, orderId] of toShip) {
    const view = await http('order', 'GET', `/orders/${orderId}`);
    const lines = view.lines.filter((l) => l.reserved + l.allocated > 0).map((l) => ({ lineId: l.lineId, quantity: l.reserved + l.allocated }));
    const trackingId = `DEMO${run.toUpperCase()}${name.toUpperCase()}`;
    act('warehouse', `ships ${name}'s order ${short(orderId)}`, `tracking ${trackingId}`);
    await http('order', 'POST', `/orders/${orderId}/shipments`, { lines, carrier: 'DHL', trackingId });
  }
  await until('every order shipped, stock shipped by inventory, every customer told', () =>
    toShip.every(([name, orderId]) => statusOf(orderId) === 'shipped' && inAppKinds(name).includes('shipped')) &&
    eventsOf('StockShipped', MUG).length >= toShip.length,
  );

  // Let the email channel's rows of the last change show up too before the summary.
  await sleep(500);
  await pollReadModels();
  return http('inventory', 'GET', `/skus/${MUG}`);
}

function summary(mug) {
  const allocatedTo = eventsOf('BackorderAllocated', MUG).map((e) => nameOf(e.data.customerId));
  chapter('Where things stand');
  process.stdout.write(
    `  ${MUG}: ${mug.onHand} on hand, ${mug.reserved} reserved, ${mug.available} available, ${mug.queue.length} waiting; ` +
      `allocations in queue order: ${allocatedTo.join(', ')}\n`,
  );
  for (const [orderId, { customerId, status }] of seen.orders) {
    process.stdout.write(`  ${nameOf(customerId).padEnd(6)} order ${short(orderId)}  ${status}\n`);
  }

  // npm start runs the notification service without SMTP_URL: emails are then recorded, not sent.
  chapter('What each customer was told (channels with the same words together; email is sent only with SMTP_URL set)');
  const kindWidth = 22;
  const channelWidth = 15;
  const indent = 4 + kindWidth + channelWidth;
  for (const [customerId, { list }] of seen.notifications) {
    process.stdout.write(`  ${bold(nameOf(customerId))} (${customerId})\n`);
    for (const g of byChange(list)) {
      process.stdout.write(`    ${g.kind.padEnd(kindWidth)}${g.channels.join(', ').padEnd(channelWidth)}${wrap(g.message, 110 - indent, indent)}\n`);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
const kafka = new Kafka({
  clientId: 'fulfillment-demo',
  brokers: BROKERS,
  logLevel: logLevel.NOTHING,
  connectionTimeout: 3000,
  retry: { retries: 3 },
  ...kafkaSecurityFromEnv(),
});
let watching;
let polling;

async function tidyUp() {
  await polling?.stop();
  if (watching) {
    const bounded = (promise) => Promise.race([promise.catch(() => undefined), sleep(5000)]);
    await bounded(watching.consumer.disconnect());
    // The group was only the demo's: leave nothing behind on the broker.
    await bounded(watching.admin.deleteGroups([watching.groupId]));
    await bounded(watching.admin.disconnect());
  }
}

let interrupted = false;
process.once('SIGINT', () => {
  interrupted = true;
  process.stderr.write('\ninterrupted: disconnecting\n');
  void tidyUp().then(() => process.exit(130));
});

try {
  if (!(TIMEOUT_MS > 0)) throw new DemoError(`DEMO_TIMEOUT_MS must be a positive number of milliseconds, not ${process.env.DEMO_TIMEOUT_MS}`);
  await checkServices();
  watching = await startWatchingTopics(kafka);
  const where = Object.entries(URLS).map(([service, url]) => `${service} ${url.replace(/^https?:\/\//, '')}`);
  process.stdout.write(
    `Fulfillment demo, run ${run}: fresh SKUs ${MUG} and ${LAMP}, customers named <name>-${run}\n` +
      `Against ${where.join(', ')}; Kafka ${BROKERS.join(',')}${PREFIX ? ` (topic prefix ${PREFIX})` : ''}\n` +
      `Lines with ">" are what people do; the others are what the services decided, read from Kafka and the HTTP APIs.\n` +
      dim(`${'time'.padStart(7)}  ${'who'.padEnd(WHO_WIDTH)} ${'what'.padEnd(TEXT_WIDTH)} event / id / channels`) +
      '\n',
  );
  polling = startPolling();
  backgroundFailure = () => polling.failure() ?? watching.failure();
  const mug = await story();
  await polling.stop();
  summary(mug);
  await tidyUp();
  process.exit(0);
} catch (error) {
  if (interrupted) await new Promise(() => undefined); // the SIGINT handler exits
  process.stderr.write(`\ndemo failed: ${error instanceof DemoError ? error.message : error.stack}\n`);
  await tidyUp();
  process.exit(1);
}
