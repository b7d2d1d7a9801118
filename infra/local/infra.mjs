#!/usr/bin/env node
// npm run infra:up | infra:down | infra:status
//   up:     a real Kafka broker on 127.0.0.1:9092 (KRaft, from Maven Central jars) and a reachable PostgreSQL,
//           the topics of docs/domain-rules.md and their .dlq twins. Idempotent: a second call finds everything up.
//   down:   stops only what `up` started.
//   broker: runs a private broker in the foreground (tests that restart a broker use their own).
// Prints one JSON line on stdout at the end of `up` ({"kafkaBrokers": [...], "databaseUrl": "..."}); progress goes
// to stderr so scripts can read the result.
import fs from 'node:fs';
import path from 'node:path';
import {
  InfraError,
  KAFKA_VERSION,
  autoCreateEnabled,
  ensureJars,
  ensureTopics,
  javaCommand,
  localDir,
  portOpen,
  spawnBroker,
  waitForBroker,
} from './kafka.mjs';
import { KafkaSecurityError, kafkaSecurityFromEnv } from './kafka-security.mjs';
import { DEFAULT_DATABASE_URL, probe, startCluster, startThrowawayCluster, stopCluster, stopThrowawayCluster } from './postgres.mjs';

// Kept equal to libs/contracts TOPICS by libs/testing's infra test.
export const TOPICS = ['order.events', 'order.commands', 'inventory.events', 'supplier.events', 'supplier.commands', 'notification.events'];
const PARTITIONS = Number(process.env.KAFKA_PARTITIONS ?? 6);
const DLQ_MAX_BYTES = String(4 * 1024 * 1024);

const stateFile = path.join(localDir, 'infra.json');
const log = (msg) => process.stderr.write(`[infra] ${msg}\n`);

function readState() {
  try {
    return JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  } catch {
    return {};
  }
}
function writeState(state) {
  fs.mkdirSync(localDir, { recursive: true });
  fs.writeFileSync(stateFile, JSON.stringify(state, null, 2));
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function up() {
  const state = readState();
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',').map((s) => s.trim());
  const [host, port] = brokers[0].split(':');
  // One data dir per port: a KRaft log dir remembers its controller's address.
  const brokerDir = path.join(localDir, `kafka-${port}`);
  let startedKafka = false;
  let startedPostgres = false;

  if (await portOpen(Number(port), host)) {
    log(`Kafka answers on ${brokers.join(',')}`);
  } else if (process.env.KAFKA_BROKERS && host !== '127.0.0.1' && host !== 'localhost') {
    throw new InfraError(`KAFKA_BROKERS=${process.env.KAFKA_BROKERS} does not answer, and infra:up only starts brokers on 127.0.0.1.`);
  } else if (Object.keys(kafkaSecurityFromEnv()).length > 0) {
    throw new InfraError(`${brokers.join(',')} does not answer, and infra:up starts only a plaintext local broker: unset KAFKA_SSL and KAFKA_SASL_*, or start the secured broker first.`);
  } else {
    javaCommand();
    ensureJars(log);
    log(`starting Apache Kafka ${KAFKA_VERSION} (KRaft) on 127.0.0.1:${port}, data in ${path.relative(process.cwd(), brokerDir)}`);
    const { child, logFile } = spawnBroker({ dir: brokerDir, port: Number(port), controllerPort: Number(port) + 1, detached: true });
    state.kafka = { pid: child.pid, dir: brokerDir, logFile, version: KAFKA_VERSION };
    startedKafka = true;
    writeState(state);
  }
  await waitForBroker(brokers, { log });
  if (await autoCreateEnabled(brokers)) {
    log('warning: this broker creates topics on first use (auto.create.topics.enable=true); brokers started here do not.');
  }
  const created = await ensureTopics(brokers, [
    ...TOPICS.map((topic) => ({ topic, numPartitions: PARTITIONS })),
    // A dead letter is the original record plus headers: give the .dlq room for a source record at its size limit.
    ...TOPICS.map((topic) => ({ topic: `${topic}.dlq`, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: DLQ_MAX_BYTES }] })),
  ]);
  log(created.length ? `created topics: ${created.join(', ')}` : 'topics present');

  let databaseUrl = process.env.DATABASE_URL;
  if (databaseUrl) {
    const err = await probe(databaseUrl);
    if (err) throw new InfraError(`DATABASE_URL does not answer: ${err}`);
  } else if (!(await probe(DEFAULT_DATABASE_URL))) {
    databaseUrl = DEFAULT_DATABASE_URL;
  } else {
    databaseUrl = await startThrowawayCluster(log);
    const err = await probe(databaseUrl);
    if (err) throw new InfraError(`the throwaway PostgreSQL cluster does not answer: ${err}`);
    state.postgres = { throwaway: true };
    startedPostgres = true;
    writeState(state);
  }
  log(`PostgreSQL answers at ${databaseUrl.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@')}`);
  const result = { kafkaBrokers: brokers, databaseUrl, startedKafka, startedPostgres };
  writeState({ ...readState(), kafkaBrokers: brokers, databaseUrl });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function down() {
  const state = readState();
  if (state.kafka?.pid && pidAlive(state.kafka.pid)) {
    log(`stopping Kafka (pid ${state.kafka.pid})`);
    process.kill(state.kafka.pid, 'SIGTERM');
    const deadline = Date.now() + 30_000;
    while (pidAlive(state.kafka.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    if (pidAlive(state.kafka.pid)) process.kill(state.kafka.pid, 'SIGKILL');
  } else {
    log('no Kafka broker started by infra:up is running');
  }
  if (state.postgres?.throwaway && stopThrowawayCluster()) log('stopped the throwaway PostgreSQL cluster');
  delete state.kafka;
  delete state.postgres;
  writeState(state);
}

async function status() {
  const state = readState();
  const brokers = state.kafkaBrokers ?? ['127.0.0.1:9092'];
  const [host, port] = brokers[0].split(':');
  const kafkaUp = await portOpen(Number(port), host);
  const dbErr = await probe(state.databaseUrl ?? DEFAULT_DATABASE_URL);
  process.stdout.write(
    `${JSON.stringify({ kafka: kafkaUp ? 'up' : 'down', startedByUs: Boolean(state.kafka?.pid && pidAlive(state.kafka.pid)), postgres: dbErr ? `down: ${dbErr}` : 'up' })}\n`,
  );
}

async function broker(args) {
  const opt = (name, dflt) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : dflt;
  };
  const port = Number(opt('port', 19092));
  // --secure [--users a,b]: a SASL_SSL listener with ACLs; users and passwords land in <dir>/security.json.
  const secure = args.includes('--secure') ? { users: (opt('users', '') ?? '').split(',').filter(Boolean) } : undefined;
  const { child } = spawnBroker({ dir: path.resolve(opt('dir', path.join(localDir, `kafka-${port}`))), port, controllerPort: Number(opt('controller-port', port + 1)), heapMb: 512, secure });
  const stop = () => child.kill('SIGTERM');
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  child.on('exit', (code) => process.exit(code ?? 0));
}

// Private PostgreSQL clusters for tests that stop and start their database.
async function postgres(args) {
  const [action, dir, port] = args;
  if (action === 'start') process.stdout.write(`${await startCluster({ dir: path.resolve(dir), port: Number(port) })}\n`);
  else if (action === 'stop') stopCluster({ dir: path.resolve(dir) });
  else throw new InfraError('usage: infra.mjs postgres start|stop <dir> [port]');
}

const [command = 'up', ...rest] = process.argv.slice(2);
const commands = { up, down, status, broker: () => broker(rest), postgres: () => postgres(rest) };
if (!commands[command]) {
  process.stderr.write(`usage: infra.mjs up|down|status|broker [--port N --dir D --secure --users a,b]|postgres start|stop <dir> [port]\n`);
  process.exit(2);
}
commands[command]().catch((e) => {
  process.stderr.write(`[infra] ${e instanceof InfraError || e instanceof KafkaSecurityError ? e.message : e.stack}\n`);
  process.exit(1);
});
