// A real Apache Kafka broker (KRaft, single node) run from the broker's jars on Maven Central, without Docker.
// The jars come from infra/kafka/pom.xml through Maven; the JVM is the machine's Java 17.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTopicsReady } from './kafka-topics.mjs';
import { kafkaSecurityFromEnv } from './kafka-security.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const localDir = path.join(repoRoot, '.local');
const pomFile = path.join(repoRoot, 'infra/kafka/pom.xml');
const log4jFile = path.join(repoRoot, 'infra/kafka/log4j2.properties');

export const KAFKA_VERSION = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(fs.readFileSync(pomFile, 'utf8'))[1];
export const libsDir = path.join(localDir, `kafka-${KAFKA_VERSION}`, 'libs');

export class InfraError extends Error {}

function have(cmd, args = ['-version']) {
  const r = spawnSync(cmd, args, { stdio: 'pipe' });
  return r.status === 0;
}

/** Java major version of the `java` on PATH (or JAVA_HOME), or null. */
export function javaCommand() {
  const candidates = [process.env.JAVA_HOME && path.join(process.env.JAVA_HOME, 'bin/java'), 'java'].filter(Boolean);
  for (const cmd of candidates) {
    const r = spawnSync(cmd, ['-version'], { encoding: 'utf8' });
    if (r.status !== 0) continue;
    const m = /version "(\d+)(?:\.(\d+))?/.exec(r.stderr ?? '');
    const major = m ? (m[1] === '1' ? Number(m[2]) : Number(m[1])) : 0;
    if (major >= 17) return cmd;
    throw new InfraError(`Java ${major} found, Kafka ${KAFKA_VERSION} needs Java 17 or newer: install it (apt-get install openjdk-17-jre-headless) or set JAVA_HOME.`);
  }
  throw new InfraError('Java is missing: Kafka needs Java 17 or newer. Install it (apt-get install openjdk-17-jre-headless) or set JAVA_HOME.');
}

/** Brings the broker's jars from Maven Central once; later calls find them in .local/. */
export function ensureJars(log = () => {}) {
  const marker = path.join(libsDir, '.complete');
  if (fs.existsSync(marker)) return libsDir;
  if (!have('mvn', ['-v'])) {
    throw new InfraError('Maven is missing: it fetches the Kafka broker from Maven Central. Install it (apt-get install maven).');
  }
  log(`fetching Apache Kafka ${KAFKA_VERSION} jars from Maven Central into ${path.relative(repoRoot, libsDir)}`);
  fs.rmSync(libsDir, { recursive: true, force: true });
  fs.mkdirSync(libsDir, { recursive: true });
  const r = spawnSync('mvn', ['-q', '-B', '-f', pomFile, 'dependency:copy-dependencies', `-DoutputDirectory=${libsDir}`], {
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    throw new InfraError(`Maven could not fetch the Kafka jars (exit ${r.status}):\n${(r.stdout ?? '') + (r.stderr ?? '')}`);
  }
  fs.writeFileSync(marker, new Date().toISOString());
  return libsDir;
}

export function portOpen(port, host = '127.0.0.1', timeoutMs = 500) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

const keytool = () => (process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin/keytool') : 'keytool');

function runKeytool(args) {
  const r = spawnSync(keytool(), args, { encoding: 'utf8' });
  if (r.error) throw new InfraError(`keytool is missing (it comes with the JDK): ${r.error.message}`);
  if (r.status !== 0) throw new InfraError(`keytool ${args[0]} failed:\n${r.stdout}${r.stderr}`);
}

/**
 * A private CA and a broker certificate for 127.0.0.1 signed by it, made once with the JDK's keytool: the broker's
 * PKCS12 keystore, a truststore with the CA (the broker's own client side), and the CA as PEM for kafkajs.
 */
function ensureCertificates(tlsDir, storePassword) {
  const files = {
    ca: path.join(tlsDir, 'ca.p12'),
    caPem: path.join(tlsDir, 'ca.pem'),
    keystore: path.join(tlsDir, 'broker.p12'),
    truststore: path.join(tlsDir, 'truststore.p12'),
  };
  if (fs.existsSync(files.truststore)) return files;
  fs.mkdirSync(tlsDir, { recursive: true, mode: 0o700 });
  const csr = path.join(tlsDir, 'broker.csr');
  const brokerPem = path.join(tlsDir, 'broker.pem');
  const store = (file) => ['-keystore', file, '-storetype', 'PKCS12', '-storepass', storePassword];
  const san = 'SAN=ip:127.0.0.1,dns:localhost';
  runKeytool(['-genkeypair', '-alias', 'ca', '-keyalg', 'RSA', '-keysize', '2048', '-validity', '3650', '-dname', 'CN=fulfillment local CA', '-ext', 'bc:c', ...store(files.ca)]);
  runKeytool(['-exportcert', '-rfc', '-alias', 'ca', '-file', files.caPem, ...store(files.ca)]);
  runKeytool(['-genkeypair', '-alias', 'broker', '-keyalg', 'RSA', '-keysize', '2048', '-validity', '3650', '-dname', 'CN=127.0.0.1', '-ext', san, ...store(files.keystore)]);
  runKeytool(['-certreq', '-alias', 'broker', '-file', csr, ...store(files.keystore)]);
  runKeytool(['-gencert', '-alias', 'ca', '-infile', csr, '-outfile', brokerPem, '-rfc', '-validity', '3650', '-ext', san, '-ext', 'ku:c=digitalSignature,keyEncipherment', '-ext', 'eku=serverAuth', ...store(files.ca)]);
  // The chain goes in bottom-up: keytool only accepts the signed certificate once it knows its issuer.
  runKeytool(['-importcert', '-noprompt', '-alias', 'ca', '-file', files.caPem, ...store(files.keystore)]);
  runKeytool(['-importcert', '-noprompt', '-alias', 'broker', '-file', brokerPem, ...store(files.keystore)]);
  runKeytool(['-importcert', '-noprompt', '-alias', 'ca', '-file', files.caPem, ...store(files.truststore)]);
  fs.rmSync(csr);
  return files;
}

const SCRAM_MECHANISMS = ['SCRAM-SHA-512', 'SCRAM-SHA-256'];
const SUPER_USERS = ['admin', 'controller'];
const USER_NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * Users and passwords of a secured broker, made once and kept in `<dir>/security.json` (mode 0600), which is how tests
 * learn them: `admin` and `controller` are super users, the others get only the ACLs someone creates for them.
 */
function ensureSecurity(dir, users) {
  const file = path.join(dir, 'security.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const secret = () => randomBytes(18).toString('hex');
  const passwords = {};
  for (const name of [...SUPER_USERS, ...users]) {
    if (!USER_NAME.test(name)) throw new InfraError(`Kafka user name "${name}" must be letters, digits, ".", "_" or "-"`);
    passwords[name] = secret();
  }
  const storePassword = secret();
  const tls = ensureCertificates(path.join(dir, 'tls'), storePassword);
  const security = { storePassword, caFile: tls.caPem, keystore: tls.keystore, truststore: tls.truststore, users: passwords };
  fs.writeFileSync(file, JSON.stringify(security, null, 2), { mode: 0o600 });
  return security;
}

/**
 * Broker properties of a SASL_SSL client listener (SCRAM-SHA-512, SCRAM-SHA-256 and PLAIN) with the StandardAuthorizer:
 * nothing is allowed without an ACL but to the super users. The controller listener stays on loopback, with PLAIN for
 * the `controller` principal: Kafka offers SCRAM on broker listeners only, its credentials being kept in the metadata
 * the controllers serve.
 */
function securedListenerProperties({ port, controllerPort, security }) {
  const { users, storePassword } = security;
  const jaasUsers = Object.entries(users)
    .map(([name, password]) => `user_${name}="${password}"`)
    .join(' ');
  const plain = (name) =>
    `org.apache.kafka.common.security.plain.PlainLoginModule required username="${name}" password="${users[name]}" ${jaasUsers};`;
  const scram = `org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="${users.admin}";`;
  return [
    `listeners=CLIENTS://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=CLIENTS://127.0.0.1:${port}`,
    'inter.broker.listener.name=CLIENTS',
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CLIENTS:SASL_SSL,CONTROLLER:SASL_PLAINTEXT',
    'listener.name.clients.sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256,PLAIN',
    'sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512',
    `listener.name.clients.scram-sha-512.sasl.jaas.config=${scram}`,
    `listener.name.clients.scram-sha-256.sasl.jaas.config=${scram}`,
    `listener.name.clients.plain.sasl.jaas.config=${plain('admin')}`,
    'listener.name.controller.sasl.enabled.mechanisms=PLAIN',
    'sasl.mechanism.controller.protocol=PLAIN',
    `listener.name.controller.plain.sasl.jaas.config=${plain('controller')}`,
    'ssl.keystore.type=PKCS12',
    `ssl.keystore.location=${security.keystore}`,
    `ssl.keystore.password=${storePassword}`,
    `ssl.key.password=${storePassword}`,
    'ssl.truststore.type=PKCS12',
    `ssl.truststore.location=${security.truststore}`,
    `ssl.truststore.password=${storePassword}`,
    'ssl.client.auth=none',
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    `super.users=${SUPER_USERS.map((name) => `User:${name}`).join(';')}`,
    'allow.everyone.if.no.acl.found=false',
  ];
}

/**
 * Writes server.properties for a single-node KRaft broker and formats its log dir once. With `secure`, the client
 * listener is SASL_SSL with ACLs (see securedListenerProperties) and every user in `secure.users`, plus `admin` and
 * `controller`, gets SCRAM credentials at format time.
 * @param {{ dir: string, port: number, controllerPort: number, secure?: { users: string[] } }} opts
 */
export function prepareBroker({ dir, port, controllerPort, secure }) {
  const java = javaCommand();
  ensureJars();
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(dataDir, { recursive: true });
  const props = path.join(dir, 'server.properties');
  const security = secure ? ensureSecurity(dir, secure.users) : undefined;
  const listeners = security
    ? securedListenerProperties({ port, controllerPort, security })
    : [
        `listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
        `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
        'controller.listener.names=CONTROLLER',
        'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
      ];
  fs.writeFileSync(
    props,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.bootstrap.servers=127.0.0.1:${controllerPort}`,
      ...listeners,
      `log.dirs=${dataDir}`,
      // Topics are created on purpose (infra:up, tests); a typo in a topic name must fail, not create a topic.
      'auto.create.topics.enable=false',
      'num.partitions=6',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=6',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'log.retention.hours=168',
      '',
    ].join('\n'),
    // The secured broker's file holds passwords.
    { mode: 0o600 },
  );
  if (!fs.existsSync(path.join(dataDir, 'meta.properties'))) {
    // Like Kafka's own Uuid.randomUuid: never an id starting with "-", which a command line reads as an option.
    let clusterId;
    do clusterId = randomBytes(16).toString('base64url');
    while (clusterId.startsWith('-'));
    const r = spawnSync(
      java,
      [
        '-cp',
        `${libsDir}/*`,
        `-Dlog4j2.configurationFile=${log4jFile}`,
        'kafka.tools.StorageTool',
        'format',
        `--cluster-id=${clusterId}`,
        '--config',
        props,
        '--standalone',
        // SCRAM users exist from the first start, before anyone could create them over a listener that needs them.
        ...Object.entries(security?.users ?? {}).flatMap(([name, password]) =>
          SCRAM_MECHANISMS.flatMap((mechanism) => ['--add-scram', `${mechanism}=[name=${name},password=${password}]`]),
        ),
      ],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new InfraError(`formatting the Kafka log dir failed:\n${r.stdout}${r.stderr}`);
  }
  return { java, props };
}

/**
 * Starts a broker as a child process. `detached` brokers outlive this process (infra:up); attached ones are for tests.
 * @param {{ dir: string, port: number, controllerPort: number, detached?: boolean, heapMb?: number, secure?: { users: string[] } }} opts
 */
export function spawnBroker({ dir, port, controllerPort, detached = false, heapMb = 768, secure }) {
  const { java, props } = prepareBroker({ dir, port, controllerPort, secure });
  const logFile = path.join(dir, 'broker.log');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(
    java,
    [
      `-Xms${Math.min(256, heapMb)}m`,
      `-Xmx${heapMb}m`,
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      `-Dlog4j2.configurationFile=${log4jFile}`,
      '-cp',
      `${libsDir}/*`,
      'kafka.Kafka',
      props,
    ],
    { detached, stdio: ['ignore', out, out] },
  );
  fs.closeSync(out);
  if (detached) child.unref();
  return { child, logFile };
}

/**
 * Waits until the broker accepts a produce and a consume with a committed offset (which also warms the group
 * coordinator, so the first real consumer does not meet "coordinator is loading").
 */
export async function waitForBroker(brokers, { timeoutMs = 90_000, log = () => {}, security = kafkaSecurityFromEnv() } = {}) {
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  const deadline = Date.now() + timeoutMs;
  const kafka = new Kafka({ clientId: 'infra-probe', brokers, logLevel: logLevel.NOTHING, retry: { retries: 2 }, ...security });
  const topic = '__infra_probe';
  let lastError;
  while (Date.now() < deadline) {
    const admin = kafka.admin();
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    const consumer = kafka.consumer({ groupId: `infra-probe-${process.pid}`, allowAutoTopicCreation: false });
    try {
      await admin.connect();
      await createTopicsReady(admin, [{ topic, numPartitions: 1 }]);
      await producer.connect();
      const token = randomBytes(8).toString('hex');
      await producer.send({ topic, acks: -1, messages: [{ value: token }] });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('probe message not consumed within 30 s')), 30_000);
        consumer
          .run({
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              if (message.value?.toString() !== token) return;
              await consumer.commitOffsets([{ topic, partition, offset: (BigInt(message.offset) + 1n).toString() }]);
              clearTimeout(timer);
              resolve();
            },
          })
          .catch(reject);
      });
      return;
    } catch (e) {
      lastError = e;
      log(`broker not ready yet: ${e.message}`);
      await new Promise((r) => setTimeout(r, 1000));
    } finally {
      await consumer.disconnect().catch(() => {});
      await producer.disconnect().catch(() => {});
      await admin.disconnect().catch(() => {});
    }
  }
  throw new InfraError(`Kafka at ${brokers.join(',')} did not accept a produce and a consume in time: ${lastError?.message}`);
}

/** Creates topics that do not exist yet; returns the names it created. */
export async function ensureTopics(brokers, topics, security = kafkaSecurityFromEnv()) {
  const { Kafka, logLevel } = (await import('kafkajs')).default;
  const admin = new Kafka({ clientId: 'infra-topics', brokers, logLevel: logLevel.NOTHING, ...security }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.topic));
    if (missing.length > 0) await createTopicsReady(admin, missing);
    return missing.map((t) => t.topic);
  } finally {
    await admin.disconnect();
  }
}

/** Whether the broker would create topics on first use (infra:up turns this off for brokers it starts). */
export async function autoCreateEnabled(brokers, security = kafkaSecurityFromEnv()) {
  const { Kafka, logLevel, ConfigResourceTypes } = (await import('kafkajs')).default;
  const admin = new Kafka({ clientId: 'infra-config', brokers, logLevel: logLevel.NOTHING, ...security }).admin();
  await admin.connect();
  try {
    const { brokers: list } = await admin.describeCluster();
    const res = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.BROKER, name: String(list[0].nodeId), configNames: ['auto.create.topics.enable'] }],
    });
    return res.resources[0].configEntries.find((c) => c.configName === 'auto.create.topics.enable')?.configValue === 'true';
  } finally {
    await admin.disconnect();
  }
}
