// Appends per second of @fulfillment/eventstore against Emmett's PostgreSQL event store, on two fresh databases of
// the same server. Each append is one event of the same size to one of many streams, with an expected version.
// Run with `npm run bench:eventstore`; BENCH_SECONDS and BENCH_WARMUP_SECONDS change the measuring windows.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { PostgresEventStore, runEventStoreMigrations } from '@fulfillment/eventstore';
import pg from 'pg';

const serverUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const seconds = Number(process.env.BENCH_SECONDS ?? 8);
const warmupSeconds = Number(process.env.BENCH_WARMUP_SECONDS ?? 2);
const writerCounts = [1, 8];
const streamsPerWriter = 100;
const poolSize = Math.max(...writerCounts);

const payload = (sku) => ({
  sku,
  orderId: randomUUID(),
  lineId: randomUUID(),
  customerId: 'customer-0042',
  quantity: 3,
  note: 'x'.repeat(120),
});

async function admin(sql) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function databaseUrl(name) {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Each writer appends to its own streams, tracking their versions as a decider-based handler would. */
function makeWriters(count, prefix) {
  return Array.from({ length: count }, (_, w) => ({
    streams: Array.from({ length: streamsPerWriter }, (_, s) => ({ id: `sku-${prefix}${w}x${s}`, version: 0 })),
    next: 0,
  }));
}

async function measure(append, writers, durationMs) {
  const latencies = [];
  const end = performance.now() + durationMs;
  await Promise.all(
    writers.map(async (writer) => {
      while (performance.now() < end) {
        const stream = writer.streams[writer.next++ % writer.streams.length];
        const began = performance.now();
        await append(stream.id, stream.version, { type: 'StockReserved', data: payload(stream.id) });
        latencies.push(performance.now() - began);
        stream.version++;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { appends: latencies.length, perSecond: latencies.length / (durationMs / 1000), p50: at(0.5), p99: at(0.99) };
}

const suffix = randomUUID().replaceAll('-', '').slice(0, 10);
const names = { ours: `bench_es_ours_${suffix}`, emmett: `bench_es_emmett_${suffix}` };
const pools = [];
let emmett;

try {
  for (const name of Object.values(names)) await admin(`CREATE DATABASE ${name}`);

  await runEventStoreMigrations(databaseUrl(names.ours));
  const oursPool = new pg.Pool({ connectionString: databaseUrl(names.ours), max: poolSize });
  const emmettPool = new pg.Pool({ connectionString: databaseUrl(names.emmett), max: poolSize });
  pools.push(oursPool, emmettPool);
  const ours = new PostgresEventStore(oursPool);
  emmett = getPostgreSQLEventStore(databaseUrl(names.emmett), { connectionOptions: { pool: emmettPool } });
  await emmett.schema.migrate();

  const stores = {
    ours: (streamId, version, event) => ours.append(streamId, version, [event]),
    emmett: (streamId, version, event) =>
      emmett.appendToStream(streamId, [event], { expectedStreamVersion: BigInt(version) }),
  };

  const results = [];
  for (const writers of writerCounts) {
    // Both stores get the same warm-up, then are measured twice in A-B-B-A order so that drift (autovacuum,
    // checkpoints) does not favour either.
    const state = { ours: makeWriters(writers, `w${writers}o`), emmett: makeWriters(writers, `w${writers}e`) };
    for (const store of ['ours', 'emmett']) await measure(stores[store], state[store], warmupSeconds * 1000);
    const runs = { ours: [], emmett: [] };
    for (const store of ['ours', 'emmett', 'emmett', 'ours']) {
      runs[store].push(await measure(stores[store], state[store], (seconds * 1000) / 2));
    }
    for (const store of ['ours', 'emmett']) {
      const [a, b] = runs[store];
      results.push({
        writers,
        store,
        perSecond: (a.perSecond + b.perSecond) / 2,
        p50: (a.p50 + b.p50) / 2,
        p99: Math.max(a.p99, b.p99),
      });
    }
  }

  // A fast store that loses events would be worthless: every counted append must be in the database.
  const appended = await oursPool.query('SELECT count(*)::bigint AS events, sum(version)::bigint AS versions FROM es_streams');
  const stored = await oursPool.query('SELECT count(*)::bigint AS events FROM es_events');
  if (String(appended.rows[0].versions) !== String(stored.rows[0].events)) {
    throw new Error(`stream versions (${appended.rows[0].versions}) and stored events (${stored.rows[0].events}) differ`);
  }

  console.log(`PostgreSQL append benchmark: ${seconds} s per store and writer count after ${warmupSeconds} s warm-up`);
  console.log('writers  store    appends/s   p50 ms   p99 ms');
  for (const r of results) {
    console.log(
      `${String(r.writers).padEnd(8)} ${r.store.padEnd(8)} ${r.perSecond.toFixed(0).padStart(9)} ${r.p50
        .toFixed(2)
        .padStart(8)} ${r.p99.toFixed(2).padStart(8)}`,
    );
  }
  const at8 = (store) => results.find((r) => r.writers === 8 && r.store === store).perSecond;
  console.log(
    `eventstore appends/s ours=${Math.round(at8('ours'))} emmett=${Math.round(at8('emmett'))} ratio=${(
      at8('ours') / at8('emmett')
    ).toFixed(2)}`,
  );
} finally {
  await emmett?.close().catch(() => undefined);
  for (const pool of pools) {
    // pool.end() resolves before the server has closed every session; the forced drop below terminates the
    // stragglers, which must not surface as an unhandled pool error.
    pool.on('error', (error) => {
      if (error.code !== '57P01') console.error(error);
    });
  }
  await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
  for (const name of Object.values(names)) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}
