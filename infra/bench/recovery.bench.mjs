#!/usr/bin/env node
// npm run bench:recovery — how long a service's consumption stops when its instance is SIGKILLed (SPEC 14: its
// partitions consumed again within 10 s of the replacement starting).
//
// The four services, one instance each, on a broker and databases of their own (infra/chaos/system.mjs), under a
// light steady load (the chaos soak's mix, infra/chaos/load.mjs). Each service in turn is SIGKILLed and a replacement
// started at once. resumed_s runs from the replacement's start until its consumer group holds every partition again
// (none left with the dead member) and the group's lag is back to zero. Progress goes to stderr; stdout gets one line
// per service:
//   recovery: service=<name> resumed_s=<s>
// The exit code is 1 when a service took longer than 10 s or did not resume within BENCH_RECOVERY_TIMEOUT_S (120).
// BENCH_RATE (operations per second, default 5) sets the load.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AssignerProtocol } from 'kafkajs';
import { createLoad, runLoad, seededRandom, setUp } from '../chaos/load.mjs';
import { CONSUMES, SERVICES, startSystem } from '../chaos/system.mjs';
import { root } from '../local/run.mjs';
import { sleep, until as waitUntil } from '../local/script-kit.mjs';

const BOUND_S = 10;
const TIMEOUT_MS = Number(process.env.BENCH_RECOVERY_TIMEOUT_S ?? 120) * 1000;
const RATE = Number(process.env.BENCH_RATE ?? 5);

const started = Date.now();
const say = (msg) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${msg}\n`);
const runId = `${Date.now().toString(36)}${randomUUID().slice(0, 4)}`;
const runDir = path.join(root, '.local/bench-recovery', runId);

const contracts = await import(path.join(root, 'libs/contracts/dist/index.js'));

let system;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    say(`${signal}: stopping what this bench started`);
    void (system?.dispose() ?? Promise.resolve()).then(() => process.exit(130));
  });
}

/** The group's state and who holds which partitions of the service's topics, per member id. */
async function groupOf(admin, service) {
  const { groups } = await admin.describeGroups([`${service}-service`]);
  const group = groups[0];
  const members = (group?.members ?? []).map((member) => {
    const assignment = member.memberAssignment.length > 0 ? AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment ?? {} : {};
    return { memberId: member.memberId, partitions: CONSUMES[service].reduce((n, topic) => n + (assignment[topic]?.length ?? 0), 0) };
  });
  return { state: group?.state, members };
}

const until = (what, probe, timeoutMs = TIMEOUT_MS, intervalMs = 100) => waitUntil(what, probe, { timeoutMs, intervalMs });

let exitCode = 0;
const lines = [];
let stopLoad = false;
try {
  system = await startSystem({ label: 'recovery', instances: { order: 1, inventory: 1, supplier: 1, notification: 1 }, runDir, say });
  const producer = system.kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const random = seededRandom(Date.now() % 2 ** 31);
  const url = (service) => system.alive(service)[0]?.url ?? [...system.instances.values()].find((i) => i.service === service).url;
  const load = createLoad({ random, url, producer, contracts, token: system.token });
  await setUp(load, { skus: 10, customers: 50, runId });
  const admin = system.kafka.admin();
  await admin.connect();
  const partitionsOf = {};
  for (const service of SERVICES) {
    partitionsOf[service] = (await admin.fetchTopicMetadata({ topics: CONSUMES[service] })).topics.reduce((n, t) => n + t.partitions.length, 0);
  }

  // A steady load for as long as the bench runs, in rounds so that it can stop.
  say(`load: about ${RATE} operations a second`);
  const loading = (async () => {
    while (!stopLoad) await runLoad(load, { orders: load.state.ordersStarted + Math.max(1, Math.round(RATE * 0.7 * 5)), ratePerS: RATE });
  })();

  for (const service of SERVICES) {
    const instance = system.instances.get(service);
    // Killed in its steady state: every partition held and nothing waiting.
    const before = await until(`${service}-service steady`, async () => {
      const group = await groupOf(admin, service);
      const lag = (await system.lag([service]))[service];
      return group.state === 'Stable' && group.members.length === 1 && group.members[0].partitions === partitionsOf[service] && lag === 0 ? group : undefined;
    });
    const dead = before.members[0].memberId;
    await system.killInstance(instance, 'SIGKILL');
    const replacementStart = Date.now();
    system.spawnInstance(instance);
    say(`${service}: SIGKILLed, replacement started`);

    let assignedAt;
    const resumedAt = await until(`${service}-service to resume`, async () => {
      const group = await groupOf(admin, service);
      const held = group.state === 'Stable' && group.members.length > 0 && group.members.every((m) => m.memberId !== dead) && group.members.reduce((n, m) => n + m.partitions, 0) === partitionsOf[service];
      if (!held) return undefined;
      assignedAt ??= Date.now();
      const lag = (await system.lag([service]))[service];
      if (process.env.BENCH_DEBUG) say(`${service}: lag ${lag}`);
      return lag === 0 ? Date.now() : undefined;
    });
    const resumedS = (resumedAt - replacementStart) / 1000;
    say(`${service}: partitions assigned to the replacement after ${((assignedAt - replacementStart) / 1000).toFixed(2)} s, lag 0 after ${resumedS.toFixed(2)} s`);
    if (resumedS > BOUND_S) exitCode = 1;
    const line = `recovery: service=${service} resumed_s=${resumedS.toFixed(2)}`;
    lines.push(line);
    process.stdout.write(`${line}\n`);
    await system.waitHealthy(instance);
  }
  stopLoad = true;
  await loading;
  await admin.disconnect();
  await producer.disconnect();
  if (load.state.unexpected.length > 0) say(`load problems: ${load.state.unexpected.slice(0, 5).join('; ')}`);
} catch (error) {
  exitCode = 1;
  stopLoad = true;
  say(`failed: ${error.stack ?? error.message}`);
  for (const service of SERVICES) if (!lines.some((l) => l.includes(`service=${service} `))) process.stdout.write(`recovery: service=${service} resumed_s=n/a\n`);
} finally {
  say('stopping the services and the broker, dropping the databases');
  await system?.dispose();
  if (exitCode === 0) fs.rmSync(runDir, { recursive: true, force: true });
  else say(`logs kept in ${path.relative(process.cwd(), runDir)}`);
}
process.exit(exitCode);
