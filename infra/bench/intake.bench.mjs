#!/usr/bin/env node
// npm run bench:intake: how many orders the system takes in over HTTP, against what this machine's PostgreSQL allows.
//
// 1. The floor: a minimal node:http server (infra/bench/floor-server.mjs, a process of its own) that runs one INSERT per
//    request through a pg pool, loaded by autocannon with 64 connections for BENCH_SECONDS (default 10).
// 2. Ours: POST /orders of the order service with the same generator and connections, while inventory, supplier and
//    notification process what it accepts: accepted orders per second and the p99 of the answers.
// 3. End to end: an open-loop offered load (BENCH_OFFERED orders/s, default 300, for BENCH_SECONDS) and the time until
//    every accepted order is answered by inventory (its status final) and its customer told; CPU per order summed over
//    the four services (from /proc), the highest resident memory of any service.
//
// BENCH_CPU_PROF_DIR=<dir>: each service writes a CPU profile of the run there (node infra/bench/profile-top.mjs <dir>).
// Everything runs under a fresh topic prefix and fresh databases; what it starts it stops. Progress goes to stderr;
// the last two stdout lines are:
//   intake: http orders/s ours=<n> floor=<n> ratio=<r> p99_ms=<n>
//   e2e: offered=<n>/s orders/s=<n> accept_p99_ms=<n> settled_s=<n> cpu_ms_per_order=<n> rss_mb_max=<n>
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import autocannon from 'autocannon';
import { startIsolatedServices } from '../local/isolated-services.mjs';
import { databaseUrlFor, root } from '../local/run.mjs';
import { freePort, sleep } from '../local/script-kit.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const OFFERED = Number(process.env.BENCH_OFFERED ?? 300);
const SKUS = 40;
const say = (msg) => process.stderr.write(`[bench] ${msg}\n`);
const TICKS = 100; // USER_HZ: /proc reports CPU time in clock ticks

/** CPU seconds (user + system) a process used so far. */
function cpuSeconds(pid) {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

function load(options) {
  return new Promise((resolve, reject) => {
    const instance = autocannon({ connections: CONNECTIONS, duration: SECONDS, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
    instance.on('error', reject);
  });
}

const orderBody = (i) => JSON.stringify({ customerId: `bench-${i % 5000}`, lines: [{ sku: `BENCH-SKU-${i % SKUS}`, quantity: 1 }] });

// ---------------------------------------------------------------------------------------------------------------
let system;
let floor;
let exitCode = 0;
let intakeLine = 'intake: http orders/s ours=0 floor=0 ratio=0 p99_ms=n/a';
let e2eLine = `e2e: offered=${OFFERED}/s orders/s=0 accept_p99_ms=n/a settled_s=n/a cpu_ms_per_order=n/a rss_mb_max=n/a`;
try {
  system = await startIsolatedServices({ label: 'intake', services: ['order', 'inventory', 'supplier', 'notification'], partitions: 6, logLevel: 'warn', cpuProfileDir: process.env.BENCH_CPU_PROF_DIR, say });
  const { token, services, infra } = system;
  const auth = token ? { authorization: `Bearer ${token}` } : {};
  const url = (service) => services.get(service).url;
  const pids = [...services.values()].map((service) => service.child.pid);

  // Stock for every order the bench will place, so each is reserved at once and its customer told order-confirmed.
  for (let i = 0; i < SKUS; i++) {
    const res = await fetch(`${url('inventory')}/skus/BENCH-SKU-${i}/adjustments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ delta: 1_000_000, reason: 'bench stock' }),
    });
    if (res.status !== 202) throw new Error(`stocking BENCH-SKU-${i} answered ${res.status}`);
  }

  // 1. The floor.
  const floorPort = await freePort();
  const floorDb = `intake_floor_${randomUUID().slice(0, 8)}`;
  floor = spawn(process.execPath, [path.join(root, 'infra/bench/floor-server.mjs')], {
    env: { ...process.env, PORT: String(floorPort), ADMIN_URL: infra.databaseUrl, DATABASE_URL: databaseUrlFor(infra.databaseUrl, floorDb), DATABASE_NAME: floorDb },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await (async () => {
    for (let i = 0; i < 100; i++) {
      if ((await fetch(`http://127.0.0.1:${floorPort}/health`).catch(() => ({ status: 0 }))).status === 200) return;
      await sleep(100);
    }
    throw new Error('the floor server did not start');
  })();
  say(`floor: ${CONNECTIONS} connections for ${SECONDS} s`);
  let n = 0;
  const floorResult = await load({
    url: `http://127.0.0.1:${floorPort}/orders`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: orderBody(n++) }) }],
  });
  const floorRate = floorResult['2xx'] / SECONDS;

  // 2. Ours, closed loop.
  say(`ours: ${CONNECTIONS} connections for ${SECONDS} s`);
  const ours = await load({
    url: `${url('order')}/orders`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    requests: [{ setupRequest: (request) => ({ ...request, body: orderBody(n++) }) }],
  });
  const ourRate = ours['2xx'] / SECONDS;
  intakeLine = `intake: http orders/s ours=${Math.round(ourRate)} floor=${Math.round(floorRate)} ratio=${(ourRate / floorRate).toFixed(2)} p99_ms=${ours.latency.p99}`;
  say(intakeLine);
  if (ours.non2xx > 0 || ours.errors > 0) say(`ours: ${ours.non2xx} non-2xx answers, ${ours.errors} errors`);

  // Let the closed-loop burst drain before the open-loop phase measures settling.
  say('waiting for the burst to be processed');
  await waitForLag(system, 0, 10 * 60_000);

  // 3. End to end, open loop.
  const { orderStatus, notified, stop: stopReading } = await readOutcomes(system);
  const accepted = new Set();
  const cpuBefore = pids.map(cpuSeconds);
  let rssMax = 0;
  const rssByService = new Map();
  const sampleRss = () => {
    for (const [name, service] of services) {
      const mb = rssMb(service.child.pid);
      rssMax = Math.max(rssMax, mb);
      rssByService.set(name, Math.max(rssByService.get(name) ?? 0, mb));
    }
  };
  const sampler = setInterval(sampleRss, 250);
  const startedAt = Date.now();
  say(`e2e: ${OFFERED} orders/s offered for ${SECONDS} s`);
  const offered = await load({
    url: `${url('order')}/orders`,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    overallRate: OFFERED,
    requests: [
      {
        setupRequest: (request) => ({ ...request, body: orderBody(n++) }),
        onResponse: (status, body) => {
          if (status === 202) accepted.add(JSON.parse(body).orderId);
        },
      },
    ],
  });
  const loadEnded = Date.now();
  const done = (orderId) => orderStatus.has(orderId) && notified.has(orderId);
  await (async () => {
    const deadline = Date.now() + 5 * 60_000;
    while ([...accepted].some((orderId) => !done(orderId))) {
      if (Date.now() > deadline) throw new Error(`${[...accepted].filter((id) => !done(id)).length} accepted orders not settled after 5 minutes`);
      await sleep(50);
    }
  })();
  const settledAt = Date.now();
  clearInterval(sampler);
  sampleRss();
  const cpuBy = pids.map((pid, i) => cpuSeconds(pid) - cpuBefore[i]);
  const cpu = cpuBy.reduce((sum, seconds) => sum + seconds, 0);
  say(`per service: ${[...services.keys()].map((name, i) => `${name} cpu_ms_per_order=${((cpuBy[i] * 1000) / Math.max(1, accepted.size)).toFixed(2)} rss_mb_max=${Math.round(rssByService.get(name) ?? 0)}`).join(', ')}`);
  await stopReading();
  const completed = accepted.size;
  e2eLine =
    `e2e: offered=${OFFERED}/s orders/s=${Math.round(completed / ((settledAt - startedAt) / 1000))} accept_p99_ms=${offered.latency.p99} ` +
    `settled_s=${((settledAt - loadEnded) / 1000).toFixed(2)} cpu_ms_per_order=${((cpu * 1000) / completed).toFixed(2)} rss_mb_max=${Math.round(rssMax)}`;
} catch (error) {
  exitCode = 1;
  say(`failed: ${error.stack ?? error.message}`);
} finally {
  floor?.kill('SIGTERM');
  await system?.stop().catch(() => undefined);
}
process.stdout.write(`${intakeLine}\n${e2eLine}\n`);
process.exit(exitCode);

/** Reads order.events and notification.events of the namespace: which orders are final, which customers told. */
async function readOutcomes({ kafka, topic }) {
  const orderStatus = new Map();
  const notified = new Set();
  const consumer = kafka.consumer({ groupId: `intake-reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic('order.events'), topic('notification.events')], fromBeginning: true });
  await consumer.run({
    partitionsConsumedConcurrently: 6,
    eachBatch: async ({ batch }) => {
      for (const message of batch.messages) {
        const envelope = JSON.parse(message.value.toString());
        if (envelope.type === 'OrderStatusChanged' && envelope.data.status !== 'pending') orderStatus.set(envelope.data.orderId, envelope.data.status);
        if (envelope.type === 'CustomerNotified' && envelope.data.channel === 'in-app') notified.add(envelope.data.orderId);
      }
    },
  });
  return { orderStatus, notified, stop: () => consumer.disconnect() };
}

/** Waits until every consumer group of the namespace has committed everything (lag `target`). */
async function waitForLag({ kafka, prefix }, target, timeoutMs) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const groups = ['order', 'inventory', 'supplier', 'notification'].map((service) => `${prefix}${service}-service`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      let lag = 0;
      for (const groupId of groups) {
        for (const { topic: real, partitions } of await admin.fetchOffsets({ groupId })) {
          const ends = new Map((await admin.fetchTopicOffsets(real)).map((p) => [p.partition, Number(p.high)]));
          for (const { partition, offset } of partitions) lag += (ends.get(partition) ?? 0) - Math.max(0, Number(offset));
        }
      }
      if (lag <= target) return;
      if (Date.now() > deadline) throw new Error(`consumer lag still ${lag}`);
      await sleep(500);
    }
  } finally {
    await admin.disconnect();
  }
}
