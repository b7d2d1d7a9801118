#!/usr/bin/env node
// npm run chaos — the whole system under load while its processes and its broker die, then checked from the outside.
//
// On a broker and databases of its own: the four built services as processes, two instances each of inventory and
// notification (one consumer group per service), a mail server receiving the emails. A steady load (load.mjs: orders
// over HTTP with an Idempotency-Key and as PlaceOrder commands, cancellations, ReceiveRestock receipts, purchase-order
// date changes and new purchase orders, on SKUs where most lines wait in queues) runs while faults are injected:
// a random service instance SIGKILLed and started again every few seconds, the broker SIGKILLed and started again,
// the services' PostgreSQL sessions terminated. Then it waits until nothing moves any more and checks rule 8 from the
// public interface only (checker.mjs). settle_s runs from the last fault to the moment the system reached the state
// it was then seen to keep.
//
// Flags (or CHAOS_<NAME> in the environment, e.g. CHAOS_ORDERS=300):
//   --orders 2000  --duration 120 (s of load)  --kills 20  --broker-restarts 2  --db-terminations 1
//   --skus 20  --customers <orders/5>  --partitions 6  --seed <n>  --settle-timeout 240 (s)  --quiet 30 (s)
//   --keep  keep the run directory (service logs, history.json) under .local/chaos/ even when everything passed
//
// Progress goes to stderr; the last stdout line is
//   chaos: orders=<n> kills=<n> broker_restarts=<n> lost=<n> oversold=<n> fifo_breaks=<n> alloc_mismatch=<n>
//          dup_notifications=<n> missing_notifications=<n> dup_emails=<n> dlq=<n> settle_s=<s>
// and the exit code is 1 when any count but orders/kills/broker_restarts is above 0 or the system did not settle.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { root } from '../local/run.mjs';
import { check, COUNT_NAMES, summaryLine } from './checker.mjs';
import { EVENT_TOPICS, countDeadLetters, readTopics, readViews } from './collect.mjs';
import { createLoad, runLoad, seededRandom, setUp } from './load.mjs';
import { startSystem } from './system.mjs';

const OPTIONS = {
  orders: 2000,
  duration: 120,
  kills: 20,
  'broker-restarts': 2,
  'db-terminations': 1,
  skus: 20,
  customers: 0,
  partitions: 6,
  seed: 0,
  'settle-timeout': 240,
  // Longer than the lease a killed notification instance leaves on the emails it had claimed (2 x DELIVERY_TIMEOUT_MS
  // + 5 s = 25 s here): another instance mails them once it runs out, and a shorter quiet time declared the system
  // settled before that (a short run saw the 16 emails of one claim "never received").
  quiet: 30,
};
const { values: flags } = parseArgs({
  options: { ...Object.fromEntries(Object.keys(OPTIONS).map((name) => [name, { type: 'string' }])), keep: { type: 'boolean' } },
});
const settings = Object.fromEntries(
  Object.entries(OPTIONS).map(([name, fallback]) => {
    const raw = flags[name] ?? process.env[`CHAOS_${name.replace(/-/g, '_').toUpperCase()}`];
    const value = raw === undefined ? fallback : Number(raw);
    if (!Number.isFinite(value) || value < 0) {
      process.stderr.write(`chaos: --${name} must be a number >= 0, got ${JSON.stringify(raw)}\n`);
      process.exit(2);
    }
    return [name, value];
  }),
);
if (settings.skus < 10 || settings.skus > 30) {
  process.stderr.write(`chaos: --skus must be between 10 and 30, got ${settings.skus}\n`);
  process.exit(2);
}
settings.customers ||= Math.max(20, Math.round(settings.orders / 5));
settings.seed ||= Math.floor(Math.random() * 2 ** 31);

const started = Date.now();
const say = (msg) => process.stderr.write(`[chaos ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${msg}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const runId = `${Date.now().toString(36)}${randomUUID().slice(0, 4)}`;
const runDir = path.join(root, '.local/chaos', runId);
const random = seededRandom(settings.seed);

const contracts = await import(path.join(root, 'libs/contracts/dist/index.js'));
const { ALL_TOPICS } = contracts;

let system;
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    interrupted = true;
    say(`${signal}: stopping what this run started`);
    void (system?.dispose() ?? Promise.resolve()).then(() => process.exit(130));
  });
}
// Whatever goes wrong, the broker and the services this run started must not outlive it.
for (const event of ['uncaughtException', 'unhandledRejection']) {
  process.once(event, (error) => {
    say(`${event}: ${error?.stack ?? error}`);
    void (system?.dispose() ?? Promise.resolve()).finally(() => process.exit(1));
  });
}

const faults = { kills: 0, brokerRestarts: 0, dbTerminations: 0, crashes: 0, lastAt: 0, senders: [] };
let exitCode = 0;
let line;
try {
  say(`run ${runId}: ${settings.orders} orders over ${settings.duration} s, ${settings.kills} kills, ${settings['broker-restarts']} broker restarts, seed ${settings.seed}`);
  system = await startSystem({
    label: 'chaos',
    instances: { order: 1, inventory: 2, supplier: 1, notification: 2 },
    partitions: settings.partitions,
    runDir,
    env: {
      // Customers are told dates in UTC, which the checker's same-day rule assumes. Emails drain at
      // DELIVERY_CONCURRENCY x instances sends at a time: at the default 4 the burst a fault leaves behind is still
      // being mailed well after everything else has settled. (A 2 s DELIVERY_TIMEOUT_MS, tried to shorten the lease a
      // killed instance leaves on its emails, made a loaded machine time out sends the server had taken: copies.)
      // A broker restart here can take 40 s on a loaded machine, longer than the 30 s the service waits by default for
      // an order's OrderPlaced (which carries the address) before telling the customer without email; every order's
      // OrderPlaced does come in this soak, so waiting longer costs nothing and keeps the email channel whole.
      notification: { NOTIFICATION_TIME_ZONE: 'UTC', DELIVERY_CONCURRENCY: '16', PARK_TIMEOUT_MS: '120000' },
    },
    say,
  });
  say(`system up: ${[...system.instances.values()].map((i) => `${i.id} ${i.url}`).join(', ')}; broker ${system.brokers[0]}; logs in ${path.relative(process.cwd(), runDir)}`);

  // An instance that ends by itself (not killed here) is started again too, as a supervisor would; it is reported.
  system.onUnexpectedExit((instance, how) => {
    faults.crashes += 1;
    if (instance.service === 'notification') faults.senders.push({ at: Date.now(), what: `${instance.id} exited (${how})` });
    const words = instance.lastWords.trim().split('\n').filter((l) => !l.startsWith('{'));
    const why = words.filter((l) => /failed|error/i.test(l) && !/^\s+at /.test(l)).pop() ?? words.pop() ?? '';
    say(`${instance.id} exited by itself (${how}${why ? `: ${why.slice(0, 300)}` : ''}); starting it again`);
    // A crash's own words (the error and the top of its stack) are what finds its cause; the run directory is gone
    // after a run that passed.
    const crash = words.slice(-16).join('\n');
    if (crash) say(`${instance.id} last words:\n${crash}`);
    setTimeout(() => system.spawnInstance(instance), 1_000);
  });

  const producer = system.kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 3 } });
  await producer.connect();
  const url = (service) => {
    const alive = system.alive(service);
    const candidates = alive.length > 0 ? alive : [...system.instances.values()].filter((i) => i.service === service);
    return random.pick(candidates).url;
  };
  const load = createLoad({ random, url, producer, contracts, token: system.token });
  await setUp(load, { skus: settings.skus, customers: settings.customers, runId });
  say(`${settings.skus} SKUs, ${load.state.purchaseOrders.size} purchase orders, ${settings.customers} customers set up`);

  // The faults, spread over the load by its progress (so a load slowed by a fault keeps its faults spread): kills
  // evenly to its very end, when the last order goes out; broker restarts and database terminations in between.
  const at = (share) => Math.round(settings.orders * share);
  const offset = 0.5 / Math.max(1, settings.kills);
  const schedule = [
    ...Array.from({ length: settings.kills }, (_, i) => ({ orders: at((i + 1) / settings.kills), kind: 'kill' })),
    ...Array.from({ length: settings['broker-restarts'] }, (_, i) => ({ orders: at((i + 1) / (settings['broker-restarts'] + 1) - offset), kind: 'broker' })),
    ...Array.from({ length: settings['db-terminations'] }, (_, i) => ({ orders: at((2 * i + 1) / (2 * settings['db-terminations']) + offset / 2), kind: 'database' })),
  ].sort((a, b) => a.orders - b.orders);

  const injecting = (async () => {
    for (const fault of schedule) {
      while (load.state.ordersStarted < fault.orders && !interrupted) await sleep(100);
      if (interrupted) return;
      faults.lastAt = Date.now();
      if (fault.kind === 'kill') {
        const victim = random.pick([...system.instances.values()]);
        await system.killInstance(victim, 'SIGKILL');
        faults.kills += 1;
        if (victim.service === 'notification') faults.senders.push({ at: faults.lastAt, what: `SIGKILL ${victim.id}` });
        say(`fault: SIGKILL ${victim.id} (kill ${faults.kills}); starting it again`);
        await sleep(500);
        system.spawnInstance(victim);
      } else if (fault.kind === 'broker') {
        await system.killBroker();
        faults.brokerRestarts += 1;
        say(`fault: SIGKILL the broker (restart ${faults.brokerRestarts})`);
        await sleep(1_000);
        await system.startBroker();
        say('broker back');
      } else {
        const terminated = await system.terminateDatabaseSessions();
        faults.dbTerminations += 1;
        faults.senders.push({ at: faults.lastAt, what: 'database sessions terminated' });
        say(`fault: pg_terminate_backend on ${terminated} sessions of the services' databases`);
      }
    }
  })();
  await runLoad(load, {
    orders: settings.orders,
    ratePerS: (settings.orders / settings.duration) * (100 / 70),
    onProgress: ({ ordersStarted, inFlight }) => say(`load: ${ordersStarted} orders started, ${load.state.accepted.length} accepted, ${inFlight} in flight, ${load.state.retries} retries`),
  });
  await injecting;
  say(`load done: ${load.state.accepted.length} orders accepted, ${load.state.retries} retries; ${JSON.stringify(load.state.stats)}`);

  const settleS = await settle(system, load, { quietMs: settings.quiet * 1000, timeoutMs: settings['settle-timeout'] * 1000 });
  say(settleS === null ? 'the system did not settle' : `settled ${settleS.toFixed(1)} s after the last fault`);

  say('reading every topic from the beginning and every view');
  const topics = await readTopics(system.kafka);
  const placedIds = topics['order.events'].filter((r) => r.envelope.type === 'OrderPlaced').map((r) => r.envelope.data.orderId);
  const views = await readViews(load.http, {
    orderIds: [...new Set([...load.state.accepted.map((o) => o.orderId), ...placedIds])],
    skus: load.state.skus.map((s) => s.sku),
    customerIds: load.state.customers.map((c) => c.customerId),
  });
  const history = {
    accepted: load.state.accepted,
    received: load.state.received,
    receipts: load.state.receipts,
    topics,
    deadLetters: await countDeadLetters(system.kafka, ALL_TOPICS),
    ...views,
    emails: system.mail.received,
    senderFaults: faults.senders,
    timeZone: 'UTC',
  };
  const { counts, problems, resentAfterSenderFault } = check(history);
  fs.writeFileSync(path.join(runDir, 'history.json'), JSON.stringify(history));
  for (const problem of problems.slice(0, 40)) say(`  ${problem}`);
  if (problems.length > 40) say(`  ... and ${problems.length - 40} more`);
  for (const defect of load.state.unexpected.slice(0, 20)) say(`  load: ${defect}`);
  say(
    `${Object.values(topics).reduce((n, r) => n + r.length, 0)} records, ${system.mail.received.length} emails ` +
      `(${resentAfterSenderFault} sent again, same Message-ID, because their sender failed between the server taking them and recording it); ` +
      `faults: ${faults.kills} kills, ${faults.brokerRestarts} broker restarts, ${faults.dbTerminations} database terminations, ${faults.crashes} instances that exited by themselves`,
  );
  const failed = COUNT_NAMES.some((name) => counts[name] > 0) || settleS === null || load.state.unexpected.length > 0;
  if (failed) exitCode = 1;
  line = summaryLine({
    orders: load.state.accepted.length,
    kills: faults.kills,
    brokerRestarts: faults.brokerRestarts,
    counts,
    settleS: settleS === null ? 'n/a' : settleS.toFixed(1),
  });
  await producer.disconnect();
} catch (error) {
  exitCode = 1;
  say(`failed: ${error.stack ?? error.message}`);
} finally {
  const keep = flags.keep || exitCode !== 0;
  if (system) {
    say('stopping the services and the broker, dropping the databases');
    await system.dispose();
  }
  if (keep) say(`run directory kept: ${path.relative(process.cwd(), runDir)}`);
  else fs.rmSync(runDir, { recursive: true, force: true });
}
process.stdout.write(`${line ?? summaryLine({ orders: 0, kills: faults.kills, brokerRestarts: faults.brokerRestarts, counts: Object.fromEntries(COUNT_NAMES.map((n) => [n, 'n/a'])), settleS: 'n/a' })}\n`);
process.exit(exitCode);

/**
 * Waits until nothing moves: every instance healthy, no accepted order pending, every consumer group caught up, no new
 * record on any topic (the outboxes are drained) and no new email, for `quietMs` together. Returns the seconds from the
 * last fault to the start of that quiet time, or null when it did not come within `timeoutMs`.
 */
async function settle(system, load, { quietMs, timeoutMs }) {
  const deadline = Date.now() + timeoutMs;
  const final = new Set();
  let previous = '';
  let stableSince = null;
  let lastReport = 0;
  for (;;) {
    const probeAt = Date.now();
    const instances = [...system.instances.values()];
    const health = await Promise.all(instances.map((instance) => system.healthy(instance)));
    const unhealthy = instances.filter((_, i) => !health[i]).map((instance) => instance.id);
    let pending = 0;
    if (unhealthy.length === 0) {
      const open = load.state.accepted.filter((o) => !final.has(o.orderId));
      await inParallel(open, 16, async (order) => {
        const status = await fetch(`${system.alive('order')[0]?.url}/orders/${order.orderId}`, {
          headers: { authorization: `Bearer ${system.token}` },
          signal: AbortSignal.timeout(5_000),
        })
          .then((response) => (response.status === 200 ? response.json() : null))
          .then((view) => view?.status, () => undefined);
        if (status !== undefined && status !== 'pending') final.add(order.orderId);
        else pending += 1;
      });
    }
    const lag = unhealthy.length === 0 ? await system.lag().catch(() => null) : null;
    const ends = await topicEnds(system).catch(() => null);
    const state = JSON.stringify({ ends, pending, emails: system.mail.received.length });
    const quiet = unhealthy.length === 0 && pending === 0 && lag !== null && Object.values(lag).every((n) => n === 0) && ends !== null;
    // The quiet time starts at the first probe that saw the state the system then kept.
    if (!quiet) stableSince = null;
    else if (state !== previous || stableSince === null) stableSince = probeAt;
    previous = state;
    if (stableSince !== null && Date.now() - stableSince >= quietMs) return Math.max(0, stableSince - faults.lastAt) / 1000;
    if (Date.now() > deadline) return null;
    if (Date.now() - lastReport > 5_000) {
      lastReport = Date.now();
      say(`settling: ${unhealthy.length ? `not healthy: ${unhealthy.join(', ')}; ` : ''}${pending} orders pending, lag ${JSON.stringify(lag)}, ${system.mail.received.length} emails`);
    }
    await sleep(1_000);
  }
}

async function inParallel(items, concurrency, work) {
  const queue = [...items];
  await Promise.all(Array.from({ length: concurrency }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

/** End offset of every partition of every topic, dead letters included. */
function topicEnds(system) {
  return system.withAdmin(async (admin) => {
    const ends = {};
    for (const topic of [...EVENT_TOPICS, 'order.commands', 'supplier.commands', ...ALL_TOPICS.map((t) => `${t}.dlq`)]) {
      ends[topic] = (await admin.fetchTopicOffsets(topic)).map((p) => p.high).join(',');
    }
    return ends;
  });
}
