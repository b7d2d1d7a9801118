// The soak's load: what shops, other services and warehouses do to the system, through its public interface only.
// OPERATIONS is the mix, one row per kind of request (orders, cancels, shipments, line cancels, receipts, dates).
// Every request is retried as its client would on a network error, a timeout or a 5xx: HTTP with the same
// Idempotency-Key (or, for a PATCH, the same body), a command with the same envelope id, so a retry can never do twice
// what the first attempt did. What was accepted is recorded for the checker.
import { randomUUID } from 'node:crypto';

const DAY_MS = 86_400_000;
const ATTEMPT_TIMEOUT_MS = 10_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A small seeded generator (mulberry32), so that a run's mix can be repeated. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
  };
}

const days = (n) => new Date(Date.now() + n * DAY_MS).toISOString();

/**
 * A purchase order the load placed: `sent` counts the units already sent as receipts (counted when sent, not when
 * acknowledged, so two receipts in flight never ask for more than was ordered).
 */
function purchaseOrder(body, placed) {
  return { purchaseOrderId: placed.purchaseOrderId, sku: body.sku, quantity: body.quantity, sent: 0, expectedAt: placed.expectedAt };
}
const openPurchaseOrders = (state, sku) => [...state.purchaseOrders.values()].filter((po) => (sku === undefined || po.sku === sku) && po.sent < po.quantity);

/**
 * The mix. `orders: true` rows are what the run's order count counts. `run` returns what happened: 'done', 'refused'
 * (the system said no, as it should: e.g. cancelling a rejected order) or 'skipped' (nothing to do it on yet).
 */
export const OPERATIONS = [
  {
    name: 'place-order-http',
    weight: 40,
    orders: true,
    async run(load) {
      const order = load.newOrder();
      const response = await load.http('order', 'POST', '/orders', order.body, { idempotencyKey: randomUUID() });
      if (response.status !== 202) return load.unexpected('POST /orders', response);
      load.accept({ orderId: response.body.orderId, customerId: order.customerId, lines: order.body.lines, via: 'http' });
      return 'done';
    },
  },
  {
    name: 'place-order-command',
    weight: 30,
    orders: true,
    async run(load) {
      const order = load.newOrder();
      const orderId = randomUUID();
      await load.publish('order.commands', 'PlaceOrder', { orderId, ...order.body });
      load.accept({ orderId, customerId: order.customerId, lines: order.body.lines, via: 'command' });
      return 'done';
    },
  },
  {
    name: 'cancel-order',
    weight: 8,
    async run(load) {
      const candidates = load.state.accepted.filter((o) => o.via === 'http' && !load.state.cancelRequested.has(o.orderId));
      if (candidates.length === 0) return 'skipped';
      const { orderId } = load.random.pick(candidates);
      load.state.cancelRequested.add(orderId);
      const response = await load.http('order', 'POST', `/orders/${orderId}/cancel`, { reason: 'changed my mind' });
      if (response.status === 202) return 'done';
      // A rejected order holds nothing to release: refusing its cancellation is right.
      if (response.status === 409) return 'refused';
      return load.unexpected(`POST /orders/${orderId}/cancel`, response);
    },
  },
  {
    name: 'ship-order',
    weight: 8,
    async run(load) {
      // The warehouse ships what an order holds: some or all of the reserved and allocated units of its lines.
      const view = await load.viewOfSomeOrder((v) => v.lines.some((line) => line.reserved + line.allocated > 0));
      if (view === undefined) return 'skipped';
      const lines = view.lines
        .map((line) => ({ lineId: line.lineId, held: line.reserved + line.allocated }))
        .filter((line) => line.held > 0)
        .map((line) => ({ lineId: line.lineId, quantity: load.random.next() < 0.7 ? line.held : load.random.int(1, line.held) }));
      if (lines.length === 0) return 'skipped';
      const response = await load.http('order', 'POST', `/orders/${view.orderId}/shipments`, { lines, carrier: 'chaos-post' }, { idempotencyKey: randomUUID() });
      if (response.status === 201) return 'done';
      // The view was read a moment ago: a cancel, an expiry or another shipment may have taken the units since, or the
      // order's shipping policy waits for the whole order.
      if (response.status === 409) return 'refused';
      return load.unexpected(`POST /orders/${view.orderId}/shipments`, response);
    },
  },
  {
    name: 'cancel-line',
    weight: 6,
    async run(load) {
      const view = await load.viewOfSomeOrder((v) => v.lines.some((line) => line.reserved + line.allocated + line.backordered > 0));
      if (view === undefined) return 'skipped';
      const open = view.lines.filter((line) => line.reserved + line.allocated + line.backordered > 0);
      if (open.length === 0) return 'skipped';
      const line = load.random.pick(open);
      const most = line.reserved + line.allocated + line.backordered;
      const body = load.random.next() < 0.5 ? { reason: 'no longer needed' } : { quantity: load.random.int(1, most), reason: 'fewer, please' };
      const response = await load.http('order', 'POST', `/orders/${view.orderId}/lines/${line.lineId}/cancel`, body, { idempotencyKey: randomUUID() });
      if (response.status === 202) return 'done';
      if (response.status === 409) return 'refused';
      return load.unexpected(`POST /orders/${view.orderId}/lines/${line.lineId}/cancel`, response);
    },
  },
  {
    name: 'receive-restock',
    weight: 12,
    async run(load) {
      const { sku, profile } = load.random.pick(load.state.skus);
      let purchaseOrderId;
      let quantity = load.random.int(2, 8);
      if (profile === 'purchase-orders') {
        const po = load.random.pick(openPurchaseOrders(load.state, sku));
        if (po === undefined) return 'skipped';
        quantity = Math.min(po.quantity - po.sent, load.random.int(2, 10));
        po.sent += quantity;
        purchaseOrderId = po.purchaseOrderId;
      }
      const commandId = await load.publish('supplier.commands', 'ReceiveRestock', { ...(purchaseOrderId ? { purchaseOrderId } : {}), sku, quantity });
      load.state.receipts.push({ commandId, sku, quantity });
      load.state.received[sku] = (load.state.received[sku] ?? 0) + quantity;
      return 'done';
    },
  },
  {
    name: 'change-purchase-order-date',
    weight: 5,
    async run(load) {
      const po = load.random.pick(openPurchaseOrders(load.state));
      if (po === undefined) return 'skipped';
      const moved = new Date(Date.parse(po.expectedAt) + load.random.pick([-3, -2, -1, 1, 2, 3, 5]) * DAY_MS);
      const expectedAt = new Date(Math.max(moved.getTime(), Date.now() + DAY_MS)).toISOString();
      const response = await load.http('supplier', 'PATCH', `/purchase-orders/${po.purchaseOrderId}`, { expectedAt });
      if (response.status !== 200) return load.unexpected(`PATCH /purchase-orders/${po.purchaseOrderId}`, response);
      po.expectedAt = expectedAt;
      return 'done';
    },
  },
  {
    name: 'place-purchase-order',
    weight: 5,
    async run(load) {
      // Another purchase order for a SKU whose open ones are nearly all received, so its lines keep a date to wait for.
      const short = load.state.skus.filter(
        ({ sku, profile }) => profile === 'purchase-orders' && openPurchaseOrders(load.state, sku).reduce((n, po) => n + po.quantity - po.sent, 0) < 20,
      );
      if (short.length === 0) return 'skipped';
      return load.placePurchaseOrder(load.random.pick(short).sku) ? 'done' : 'refused';
    },
  },
];

/**
 * @param {{ random: ReturnType<typeof seededRandom>, url: (service: string) => string, producer: import('kafkajs').Producer,
 *           contracts: any, retryForMs?: number }} deps
 */
export function createLoad({ random, url, producer, contracts, token, retryForMs = 10 * 60_000 }) {
  const state = {
    skus: /** @type {{ sku: string, profile: 'purchase-orders' | 'lead-time' | 'no-restock' }[]} */ ([]),
    customers: /** @type {{ customerId: string, email: string | null }[]} */ ([]),
    purchaseOrders: new Map(),
    accepted: /** @type {{ orderId: string, customerId: string, lines: { sku: string, quantity: number }[], via: string }[]} */ ([]),
    cancelRequested: new Set(),
    received: /** @type {Record<string, number>} */ ({}),
    receipts: /** @type {{ commandId: string, sku: string, quantity: number }[]} */ ([]),
    stats: Object.fromEntries(OPERATIONS.map((op) => [op.name, { done: 0, refused: 0, skipped: 0, failed: 0 }])),
    retries: 0,
    ordersStarted: 0,
    /** requests the system answered in a way no client should see (4xx on a valid request): defects of the run */
    unexpected: /** @type {string[]} */ ([]),
  };

  /** One request, retried with the same key and body until it gets an answer that is not a 5xx. */
  async function http(service, method, path, body, { idempotencyKey } = {}) {
    const deadline = Date.now() + retryForMs;
    for (let attempt = 1; ; attempt++) {
      let retryable;
      try {
        const response = await fetch(`${url(service)}${path}`, {
          method,
          headers: {
            'content-type': 'application/json',
            ...(token ? { authorization: `Bearer ${token}` } : {}),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        });
        const text = await response.text();
        if (response.status < 500 && response.status !== 408 && response.status !== 429) {
          return { status: response.status, body: text ? JSON.parse(text) : undefined };
        }
        retryable = `${response.status} ${text.slice(0, 200)}`;
      } catch (error) {
        retryable = error.cause?.code ?? error.name ?? String(error);
      }
      if (Date.now() > deadline) throw new Error(`${method} ${service}${path}: no answer after ${attempt} attempts (last: ${retryable})`);
      state.retries += 1;
      await sleep(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)) * (0.5 + random.next()));
    }
  }

  /** Publishes a command envelope, keyed by its subject, until the broker acknowledges it; returns the envelope id. */
  async function publish(topic, type, data) {
    const envelope = contracts.createEnvelope(type, data, { source: 'chaos', correlationId: `chaos-${randomUUID()}`, causationId: null });
    const deadline = Date.now() + retryForMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await producer.send({ topic, acks: -1, messages: [{ key: envelope.subject, value: contracts.encodeEnvelope(envelope) }] });
        return envelope.id;
      } catch (error) {
        if (Date.now() > deadline) throw new Error(`${type} on ${topic}: not acknowledged after ${attempt} attempts (${error.message})`);
        state.retries += 1;
        await sleep(Math.min(2_000, 100 * 2 ** Math.min(attempt, 5)) * (0.5 + random.next()));
      }
    }
  }

  const load = {
    state,
    random,
    http,
    publish,
    newOrder() {
      const customer = random.pick(state.customers);
      const skus = new Set();
      const lineCount = random.int(1, 3);
      while (skus.size < lineCount) skus.add(random.pick(state.skus).sku);
      const lines = [...skus].map((sku) => ({ sku, quantity: random.int(1, 3) }));
      return { customerId: customer.customerId, body: { customerId: customer.customerId, ...(customer.email ? { email: customer.email } : {}), lines } };
    },
    /**
     * The view of an accepted order (GET /orders/:id) for which `wanted(view)` holds: up to 4 orders are looked at,
     * picked among every accepted one not asked to be cancelled (held units come late, once restocks allocate);
     * undefined when none of them qualifies.
     */
    async viewOfSomeOrder(wanted = () => true) {
      const candidates = state.accepted.filter((o) => !state.cancelRequested.has(o.orderId));
      for (let tries = 0; tries < 4 && candidates.length > 0; tries++) {
        const { orderId } = random.pick(candidates);
        const response = await http('order', 'GET', `/orders/${orderId}`);
        // An order placed by command may not have been read yet.
        if (response.status === 404) continue;
        if (response.status !== 200) {
          load.unexpected(`GET /orders/${orderId}`, response);
          return undefined;
        }
        if (wanted(response.body)) return response.body;
      }
      return undefined;
    },
    accept(order) {
      state.accepted.push(order);
    },
    unexpected(what, response) {
      state.unexpected.push(`${what} answered ${response.status} ${JSON.stringify(response.body)?.slice(0, 300)}`);
      return 'failed';
    },
    async placePurchaseOrder(sku, daysAhead = random.int(3, 20)) {
      const body = { sku, quantity: random.int(30, 80), expectedAt: days(daysAhead) };
      const response = await http('supplier', 'POST', '/purchase-orders', body, { idempotencyKey: randomUUID() });
      if (response.status !== 201) {
        load.unexpected('POST /purchase-orders', response);
        return false;
      }
      state.purchaseOrders.set(response.body.purchaseOrderId, purchaseOrder(body, response.body));
      return true;
    },
  };
  return load;
}

/**
 * Customers and SKUs, before any fault: a third of the SKUs' lines can never wait (no restock plan: out of stock, with
 * a substitute), the others wait on purchase orders or on the supplier's lead time, and start with little stock, so
 * most lines queue.
 */
export async function setUp(load, { skus: skuCount, customers: customerCount, runId }) {
  const { state, random, http } = load;
  for (let i = 1; i <= customerCount; i++) {
    state.customers.push({ customerId: `chaos-${runId}-c${i}`, email: random.next() < 0.75 ? `c${i}.${runId}@chaos.example` : null });
  }
  const profiles = ['purchase-orders', 'purchase-orders', 'purchase-orders', 'lead-time', 'no-restock'];
  for (let i = 1; i <= skuCount; i++) state.skus.push({ sku: `CHAOS-${runId}-${String(i).padStart(2, '0')}`, profile: profiles[(i - 1) % profiles.length] });
  const withPurchaseOrders = state.skus.filter((s) => s.profile === 'purchase-orders').map((s) => s.sku);

  for (const { sku, profile } of state.skus) {
    const configuration =
      profile === 'no-restock'
        ? { backorderable: false, leadTimeDays: null, substitutes: [random.pick(withPurchaseOrders)] }
        : { backorderable: true, leadTimeDays: profile === 'lead-time' ? random.int(3, 10) : null, substitutes: [] };
    const configured = await http('inventory', 'PUT', `/skus/${sku}`, configuration);
    if (configured.status !== 200) throw new Error(`PUT /skus/${sku} answered ${configured.status} ${JSON.stringify(configured.body)}`);
    const delta = random.int(3, 10);
    const adjusted = await http('inventory', 'POST', `/skus/${sku}/adjustments`, { delta, reason: 'initial count' });
    if (adjusted.status !== 202) throw new Error(`POST /skus/${sku}/adjustments answered ${adjusted.status}`);
    state.received[sku] = delta;
    if (profile === 'purchase-orders') {
      for (let n = random.int(1, 2); n > 0; n--) if (!(await load.placePurchaseOrder(sku))) throw new Error(`placing a purchase order for ${sku} failed`);
    }
  }
  // Orders placed before inventory heard of the purchase orders would find nothing to wait for.
  const deadline = Date.now() + 60_000;
  for (const po of state.purchaseOrders.values()) {
    for (;;) {
      const { body } = await http('inventory', 'GET', `/skus/${po.sku}`);
      if (body?.incoming?.some((i) => i.purchaseOrderId === po.purchaseOrderId)) break;
      if (Date.now() > deadline) throw new Error(`inventory did not hear of purchase order ${po.purchaseOrderId} within 60 s`);
      await sleep(200);
    }
  }
}

/**
 * Runs the mix at a steady pace until `orders` orders were accepted: `ratePerS` operations a second (the order rows'
 * share of them are orders), at most `concurrency` in flight. Resolves when every operation has finished.
 */
export async function runLoad(load, { orders, ratePerS, concurrency = 64, onProgress = () => {} }) {
  const totalWeight = OPERATIONS.reduce((sum, op) => sum + op.weight, 0);
  const pick = () => {
    let r = load.random.next() * totalWeight;
    for (const op of OPERATIONS) if ((r -= op.weight) < 0) return op;
    return OPERATIONS[OPERATIONS.length - 1];
  };
  const inFlight = new Set();
  const started = Date.now();
  let ticks = 0;
  while (load.state.ordersStarted < orders) {
    const due = started + (ticks * 1000) / ratePerS;
    if (due > Date.now()) await sleep(due - Date.now());
    ticks += 1;
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    const op = pick();
    if (op.orders) load.state.ordersStarted += 1;
    const running = op
      .run(load)
      .then(
        (outcome) => (load.state.stats[op.name][outcome] += 1),
        (error) => {
          load.state.stats[op.name].failed += 1;
          load.state.unexpected.push(`${op.name}: ${error.message}`);
        },
      )
      .finally(() => inFlight.delete(running));
    inFlight.add(running);
    if (ticks % Math.max(1, Math.round(ratePerS * 10)) === 0) onProgress({ ordersStarted: load.state.ordersStarted, inFlight: inFlight.size });
  }
  await Promise.all(inFlight);
}
