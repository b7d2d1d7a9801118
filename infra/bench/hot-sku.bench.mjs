#!/usr/bin/env node
// npm run bench:hot-sku — does a hot SKU stay as fast as a new one once its orders ship? (issue 12, bounded state)
//
// 20,000 orders of one unit each on one SKU with ample stock, in batches of 5,000, through PlaceOrder commands on
// order.commands; once a batch is reserved, every order of it is shipped with a ShipOrder command, and the next batch
// starts when inventory has shipped them all (StockShipped). Measured per batch: the reservation rate (orders from the
// first PlaceOrder sent until the batch's last StockReserved is on inventory.events) and the shipping time; and what
// a load of the SKU reads afterwards: its snapshot's size and the events folded on top of it. Before issue 12 a SKU
// kept every line it ever reserved, and the rate fell batch after batch (801, 644, 420, 287 orders/s here); with
// shipped lines gone from the state the last batch should be within 10 % of the first.
//
// Runs the built order and inventory services under a fresh topic prefix and fresh databases (isolated-services.mjs),
// so a running `npm start` is not disturbed; what it starts it stops. BENCH_WARMUP orders (1000, on another SKU) are
// placed and shipped first and not measured: the first batch would otherwise also pay for JIT compilation, pools and
// the consumer groups' first fetches. BENCH_ORDERS (20000), BENCH_BATCH (5000), KAFKA_PARTITIONS (6), BENCH_LOG_LEVEL
// (warn), BENCH_LOG_DIR (keeps the services' output), BENCH_CPU_PROF_DIR (a CPU profile of each service, read with
// infra/bench/profile-top.mjs).
//
// Progress goes to stderr; the last stdout line is:
//   hot-sku: orders=20000 batches=4 reserved_per_s=<b1>,<b2>,... last_vs_first=<+/-p>% shipped=<n> state_bytes=<b1>,...
// where state_bytes is the SKU's state as a load folds it after each batch (what its next snapshot will hold).
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { startIsolatedServices } from '../local/isolated-services.mjs';
import { produceEnvelopes, until as waitUntil } from '../local/script-kit.mjs';
import { databaseUrlFor, root } from '../local/run.mjs';

const ORDERS = Number(process.env.BENCH_ORDERS ?? 20_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1_000);
const PARTITIONS = Number(process.env.KAFKA_PARTITIONS ?? 6);
const PHASE_TIMEOUT_MS = Number(process.env.BENCH_PHASE_TIMEOUT_MS ?? 10 * 60_000);
const LABEL = 'hotsku';

const say = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const seconds = (ms) => (ms / 1000).toFixed(2);

const { createEnvelope, encodeEnvelope } = await import(path.join(root, 'libs/contracts/dist/index.js'));
const { CommandPipeline, PostgresEventStore } = await import(path.join(root, 'libs/eventstore/dist/index.js'));
const { skuAggregate } = await import(path.join(root, 'services/inventory/dist/sku/sku.aggregate.js'));
const command = (type, data) => createEnvelope(type, data, { source: 'bench', correlationId: `bench-${randomUUID()}`, causationId: null });

const until = (what, probe, options = {}) => waitUntil(what, probe, { timeoutMs: PHASE_TIMEOUT_MS, intervalMs: 20, ...options });

let system;
try {
  system = await startIsolatedServices({
    label: LABEL,
    services: ['order', 'inventory'],
    partitions: PARTITIONS,
    logLevel: process.env.BENCH_LOG_LEVEL ?? 'warn',
    logDir: process.env.BENCH_LOG_DIR,
    cpuProfileDir: process.env.BENCH_CPU_PROF_DIR,
    say,
  });
} catch (error) {
  say(`failed to start the services: ${error.message}`);
  process.stdout.write(`hot-sku: orders=${ORDERS} batches=0 reserved_per_s=n/a last_vs_first=n/a shipped=0 state_bytes=n/a\n`);
  process.exit(1);
}
const { kafka, prefix, suffix, topic } = system;
const sku = `HOT-${suffix}`;
say(`order and inventory started under topic prefix ${prefix} (${PARTITIONS} partitions) on fresh databases; SKU ${sku}`);

// What the services publish about the bench's orders, counted by order id.
const seen = { reserved: new Set(), ready: new Set(), shipped: new Set(), otherAnswers: 0, lastReservedAt: 0, lastShippedAt: 0 };
async function startReader() {
  const reader = kafka.consumer({ groupId: `${prefix}bench-reader`, maxWaitTimeInMs: 100, allowAutoTopicCreation: false });
  system.track(reader);
  const joined = new Promise((resolve) => reader.on(reader.events.GROUP_JOIN, resolve));
  await reader.connect();
  await reader.subscribe({ topics: ['order.events', 'inventory.events'].map(topic), fromBeginning: true });
  await reader.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const message of batch.messages) {
        const event = JSON.parse(message.value.toString('utf8'));
        const { data } = event;
        switch (event.type) {
          case 'StockReserved':
            seen.reserved.add(data.orderId);
            seen.lastReservedAt = now;
            break;
          case 'BackorderQueued':
          case 'StockUnavailable':
            seen.otherAnswers++;
            break;
          case 'OrderReadyToShip':
            seen.ready.add(data.orderId);
            break;
          case 'StockShipped':
            seen.shipped.add(data.orderId);
            seen.lastShippedAt = now;
            break;
          default:
        }
      }
    },
  });
  await joined;
}

const produce = (name, envelopes) => produceEnvelopes(kafka, topic(name), envelopes, encodeEnvelope);

const json = (method, url, body) => system.json(method, url, body);

/**
 * What a load of the SKU reads now: its latest snapshot (taken whenever a load had folded 200 events, so possibly
 * mid-batch with many lines open), the events stored after it, and the state they fold to, read the way the service
 * reads it (the SKU pipeline on the service's database, without writing a snapshot).
 */
async function loadFigures() {
  const database = `${LABEL}_inventory_${suffix}`.replace(/[^a-z0-9_]/g, '_');
  const pool = new pg.Pool({ connectionString: databaseUrlFor(system.infra.databaseUrl, database), max: 1 });
  pool.on('error', () => undefined);
  try {
    const stream = `sku-${sku}`;
    const { rows: snapshots } = await pool.query('SELECT stream_version, octet_length(state::text) AS bytes FROM es_snapshots WHERE stream_id = $1', [stream]);
    const since = snapshots[0] ? Number(snapshots[0].stream_version) : 0;
    const { rows: after } = await pool.query('SELECT count(*)::int AS n, max(stream_version) AS version FROM es_events WHERE stream_id = $1 AND stream_version > $2', [stream, since]);
    const { state } = await new CommandPipeline(new PostgresEventStore(pool), { aggregate: skuAggregate }).read(sku);
    return {
      snapshotBytes: snapshots[0] ? Number(snapshots[0].bytes) : 0,
      snapshotVersion: since,
      eventsAfter: after[0].n,
      version: Number(after[0].version ?? since),
      stateBytes: Buffer.byteLength(JSON.stringify(state)),
    };
  } finally {
    await pool.end();
  }
}

/** Places `count` one-unit orders of `id`, waits until inventory reserved them all, ships them, waits until shipped. */
async function placeAndShip(id, count, label, offset = 0) {
  const orderIds = Array.from({ length: count }, () => randomUUID());
  const places = orderIds.map((orderId, i) => command('PlaceOrder', { orderId, customerId: `bench-customer-${offset + i}`, lines: [{ sku: id, quantity: 1 }] }));
  const start = Date.now();
  await produce('order.commands', places);
  await until(`${label}: ${count} StockReserved`, () => orderIds.every((orderId) => seen.reserved.has(orderId)) || seen.otherAnswers > 0, { intervalMs: 50 });
  if (seen.otherAnswers > 0) throw new Error(`inventory queued or refused ${seen.otherAnswers} line(s): the stock should have covered every order`);
  const reserveMs = seen.lastReservedAt - start;
  // An order ships once the order service has read its reservation (OrderReadyToShip says so).
  await until(`${label}: ${count} OrderReadyToShip`, () => orderIds.every((orderId) => seen.ready.has(orderId)), { intervalMs: 50 });
  const shipStart = Date.now();
  await produce(
    'order.commands',
    orderIds.map((orderId) => command('ShipOrder', { orderId, shipmentId: `shp-${orderId}`, lines: [{ lineId: `${orderId}-1`, quantity: 1 }] })),
  );
  await until(`${label}: ${count} StockShipped`, () => orderIds.every((orderId) => seen.shipped.has(orderId)), { intervalMs: 50 });
  return { reserveMs, shipMs: seen.lastShippedAt - shipStart };
}

let exitCode = 0;
const rates = [];
const stateBytes = [];
try {
  await startReader();
  const inventory = system.services.get('inventory');
  const stock = async (id, units) => {
    const configured = await json('PUT', `${inventory.url}/skus/${id}`, { backorderable: true });
    if (configured.status !== 200) throw new Error(`PUT /skus/${id} answered ${configured.status}`);
    const stocked = await json('POST', `${inventory.url}/skus/${id}/adjustments`, { delta: units, reason: 'bench stock' });
    if (stocked.status !== 202) throw new Error(`POST /skus/${id}/adjustments answered ${stocked.status}`);
  };
  if (WARMUP > 0) {
    const warm = `WARM-${suffix}`;
    await stock(warm, WARMUP);
    const { reserveMs } = await placeAndShip(warm, WARMUP, 'warm-up', ORDERS);
    say(`warm-up on ${warm}: ${WARMUP} orders reserved at ${Math.round(WARMUP / (reserveMs / 1000))} orders/s and shipped (not measured)`);
  }
  await stock(sku, ORDERS);
  say(`${sku}: ${ORDERS} on hand; ${(await loadFigures()).stateBytes} bytes of state`);

  for (let first = 0, batch = 1; first < ORDERS; first += BATCH, batch++) {
    const size = Math.min(BATCH, ORDERS - first);
    const { reserveMs, shipMs } = await placeAndShip(sku, size, `batch ${batch}`, first);
    const rate = Math.round(size / (reserveMs / 1000));
    rates.push(rate);
    const figures = await loadFigures();
    stateBytes.push(figures.stateBytes);
    say(
      `batch ${batch} (${first + size} orders so far): reserved ${size} in ${seconds(reserveMs)} s = ${rate} orders/s; shipped them in ` +
        `${seconds(shipMs)} s; stream at version ${figures.version}, state ${figures.stateBytes} bytes; latest snapshot at ` +
        `${figures.snapshotVersion} (${figures.snapshotBytes} bytes), ${figures.eventsAfter} events after it`,
    );
  }
  const { body: finalView } = await json('GET', `${inventory.url}/skus/${sku}`);
  say(`${sku} at the end: onHand ${finalView.onHand}, reserved ${finalView.reserved}, available ${finalView.available}`);
  if (finalView.onHand !== 0 || finalView.reserved !== 0) exitCode = 1;
} catch (error) {
  exitCode = 1;
  system.sayFailure(error);
} finally {
  await system.stop();
}
const change = rates.length > 1 ? `${rates.at(-1) >= rates[0] ? '+' : ''}${(((rates.at(-1) - rates[0]) / rates[0]) * 100).toFixed(1)}%` : 'n/a';
process.stdout.write(
  `hot-sku: orders=${ORDERS} batches=${rates.length} reserved_per_s=${rates.join(',') || 'n/a'} last_vs_first=${change} ` +
    `shipped=${seen.shipped.size - (rates.length > 0 ? WARMUP : 0)} state_bytes=${stateBytes.join(',') || 'n/a'}\n`,
);
process.exit(exitCode);
