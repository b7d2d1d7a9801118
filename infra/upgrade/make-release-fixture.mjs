#!/usr/bin/env node
// Writes the data of a released build to a fixture the upgrade test restores: run it from a checkout of the release
// (built), e.g.
//   git worktree add /tmp/release 452e6cd && (cd /tmp/release && npm ci && npx nx run-many -t build)
//   node infra/upgrade/make-release-fixture.mjs --release /tmp/release --out e2e/fixtures/release-0.1
// It starts the release's four services on fresh databases and topics, tells a short backorder story through their
// public interface only (HTTP and Kafka commands), waits until everything settled, then dumps each service's database
// (pg_dump's custom format, which pg_restore reads and `pg_restore -f - <file>` prints as SQL) and writes manifest.json with what the story produced (ids, views, notifications, an envelope to
// redeliver), which the new build must read back as the release left it.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import pg from 'pg';
import { createTopicsReady } from '../local/kafka-topics.mjs';
import { freePort, sleep, until } from '../local/script-kit.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
if (!args.release || !args.out) {
  process.stderr.write('usage: make-release-fixture.mjs --release <built checkout of the release> --out <fixture dir>\n');
  process.exit(2);
}
const release = path.resolve(args.release);
const out = path.resolve(args.out);
const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
const adminUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const SERVICES = ['order', 'inventory', 'supplier', 'notification'];
const TOPICS = ['order.events', 'order.commands', 'inventory.events', 'supplier.events', 'supplier.commands', 'notification.events'];
const suffix = randomUUID().slice(0, 8);
const prefix = `release-fixture-${suffix}.`;
const say = (msg) => process.stderr.write(`[fixture] ${msg}\n`);

const databaseUrlFor = (name) => {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

const eventually = (probe, what, timeoutMs = 60_000) => until(what, probe, { timeoutMs, intervalMs: 250 });

const kafka = new Kafka({ clientId: 'release-fixture', brokers, logLevel: logLevel.NOTHING });
const admin = kafka.admin();
await admin.connect();
await createTopicsReady(
  admin,
  TOPICS.flatMap((t) => [`${prefix}${t}`, `${prefix}${t}.dlq`]).map((topic) => ({ topic, numPartitions: topic.endsWith('.dlq') ? 1 : 3 })),
);
const databases = Object.fromEntries(SERVICES.map((s) => [s, `release_fixture_${s}_${suffix.replace(/-/g, '')}`]));
const children = [];
const urls = {};
try {
  for (const service of SERVICES) {
    const port = await freePort();
    urls[service] = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, [path.join(release, `services/${service}/dist/main.js`)], {
      cwd: path.join(release, `services/${service}`),
      env: { ...process.env, PORT: String(port), KAFKA_BROKERS: brokers.join(','), KAFKA_TOPIC_PREFIX: prefix, DATABASE_URL: databaseUrlFor(databases[service]), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    children.push(child);
  }
  for (const service of SERVICES) {
    await eventually(async () => (await fetch(`${urls[service]}/health`).catch(() => ({ status: 0 }))).status === 200, `${service} healthy`, 120_000);
  }
  const http = async (service, method, pathname, body, headers = {}) => {
    const res = await fetch(`${urls[service]}${pathname}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 400) throw new Error(`${method} ${service}${pathname} -> ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };

  say('telling the story');
  const expectedAt = new Date(Date.now() + 20 * 86_400_000).toISOString();
  await http('inventory', 'PUT', '/skus/SKU-MUG', { substitutes: ['SKU-CUP'] });
  await http('inventory', 'POST', '/skus/SKU-MUG/adjustments', { delta: 2, reason: 'opening count' });
  const po = await http('supplier', 'POST', '/purchase-orders', { sku: 'SKU-MUG', quantity: 4, expectedAt }, { 'Idempotency-Key': 'release-po-1' });
  await eventually(async () => (await http('inventory', 'GET', '/skus/SKU-MUG')).incoming.length === 1, 'the purchase order booked');
  await http('inventory', 'PUT', '/skus/SKU-LAMP', { backorderable: false, substitutes: ['SKU-DESK-LAMP'] });
  const customers = ['cust-1', 'cust-2', 'cust-3', 'cust-4'];
  const orders = [];
  for (const [i, customerId] of customers.entries()) {
    const lines = i === 3 ? [{ sku: 'SKU-LAMP', quantity: 1 }] : [{ sku: 'SKU-MUG', quantity: 2 }];
    const placed = await http('order', 'POST', '/orders', { customerId, email: `${customerId}@example.com`, lines }, { 'Idempotency-Key': `release-order-${i}` });
    orders.push({ orderId: placed.orderId, customerId, idempotencyKey: `release-order-${i}`, request: { customerId, email: `${customerId}@example.com`, lines } });
    await eventually(async () => (await http('order', 'GET', `/orders/${placed.orderId}`)).status !== 'pending', `order ${i} answered`);
  }
  // cust-1 reserved 2, cust-2 and cust-3 wait for the purchase order; 2 of 4 arrive and go to cust-2; cust-4 was refused.
  await http('supplier', 'POST', `/purchase-orders/${po.purchaseOrderId}/receipts`, { quantity: 2 });
  await eventually(async () => (await http('order', 'GET', `/orders/${orders[1].orderId}`)).status === 'confirmed', 'cust-2 allocated');
  // A PlaceOrder command from another service, to be redelivered after the upgrade.
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const command = {
    specversion: '1.0', id: randomUUID(), type: 'PlaceOrder', dataversion: 1, source: 'storefront', subject: 'cust-5',
    time: new Date().toISOString(), datacontenttype: 'application/json', correlationid: randomUUID(), causationid: null,
    data: { customerId: 'cust-5', lines: [{ sku: 'SKU-MUG', quantity: 1 }] },
  };
  await producer.send({ topic: `${prefix}order.commands`, acks: -1, messages: [{ key: 'cust-5', value: JSON.stringify(command) }] });
  await producer.disconnect();
  const byCustomer5 = await eventually(async () => {
    const list = await http('order', 'GET', '/orders?customerId=cust-5');
    return list.length === 1 && list[0].status !== 'pending' ? list[0] : undefined;
  }, 'the PlaceOrder command answered');
  orders.push({ orderId: byCustomer5.orderId, customerId: 'cust-5' });
  // Settle: nothing in any outbox, every notification listed twice alike.
  await eventually(async () => {
    for (const service of SERVICES) {
      const client = new pg.Client({ connectionString: databaseUrlFor(databases[service]) });
      await client.connect();
      const { rows } = await client.query('SELECT count(*)::int AS n FROM es_outbox');
      await client.end();
      if (rows[0].n > 0) return false;
    }
    return true;
  }, 'the outboxes drained');
  await sleep(3000);

  const manifest = {
    release: execFileSync('git', ['-C', release, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim(),
    made: new Date().toISOString(),
    purchaseOrderId: po.purchaseOrderId,
    orders: [],
    skus: {},
    notifications: {},
    redeliver: command,
  };
  for (const order of orders) manifest.orders.push({ ...order, view: await http('order', 'GET', `/orders/${order.orderId}`), events: (await http('order', 'GET', `/orders/${order.orderId}/events`)).length });
  for (const sku of ['SKU-MUG', 'SKU-LAMP']) manifest.skus[sku] = await http('inventory', 'GET', `/skus/${sku}`);
  for (const customerId of [...customers, 'cust-5']) manifest.notifications[customerId] = await http('notification', 'GET', `/customers/${customerId}/notifications`);
  manifest.purchaseOrder = await http('supplier', 'GET', `/purchase-orders/${po.purchaseOrderId}`);

  fs.mkdirSync(out, { recursive: true });
  for (const service of SERVICES) {
    execFileSync('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', '--no-comments', '--file', path.join(out, `${service}.dump`), databaseUrlFor(databases[service])]);
  }
  fs.writeFileSync(path.join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  say(`wrote ${out}`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)))));
  await admin.deleteTopics({ topics: TOPICS.flatMap((t) => [`${prefix}${t}`, `${prefix}${t}.dlq`]) }).catch(() => undefined);
  await admin.disconnect();
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  for (const name of Object.values(databases)) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
}
