// The customer pipeline and the batch handler on the real PostgreSQL: many customers decided in one go, written
// set-based, and a BackInStock deciding on what the same batch decided before it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEnvelope, type AnyEnvelope, type MessageData, type MessageType } from '@fulfillment/contracts';
import { eventStoreMigrations, PostgresEventStore, sessionPool } from '@fulfillment/eventstore';
import type { NotificationInput } from '@fulfillment/notification-domain';
import { TopicNames, type ServiceRuntime } from '@fulfillment/platform';
import { createTestDatabase, type TestDatabase } from '@fulfillment/testing';
import pg from 'pg';
import { pino } from 'pino';
import { DataSource } from 'typeorm';
import { customerStreamId } from '../src/customer/customer.aggregate.js';
import { CustomerPipeline } from '../src/customer/customer.pipeline.js';
import { CustomersRepository } from '../src/customer/customers.repository.js';
import { NotificationsRepository } from '../src/customer/notifications.repository.js';
import { NotificationSchema1795737600000 } from '../src/migrations/notification-schema-1795737600000.js';
import type { NotificationSettings } from '../src/notification.config.js';
import { NotifyCustomerHandler } from '../src/notify-customer/notify-customer.handler.js';
import { ParkedEventsRepository } from '../src/notify-customer/parked-events.repository.js';
import { ParkedEventsSweeper } from '../src/notify-customer/parked-events.sweeper.js';

let database: TestDatabase;
let pool: pg.Pool;
let store: PostgresEventStore;
let pipeline: CustomerPipeline;
let handler: NotifyCustomerHandler;
const counted: string[] = [];

beforeAll(async () => {
  database = await createTestDatabase('test_notification_pipeline');
  const dataSource = new DataSource({ type: 'postgres', url: database.url, migrations: [...eventStoreMigrations, NotificationSchema1795737600000], logging: false });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  pool = sessionPool({ connectionString: database.url, max: 4 });
  store = new PostgresEventStore(pool);
  const customers = new CustomersRepository();
  const settings = { smtpUrl: undefined, webhook: undefined, timeZone: 'UTC' } as NotificationSettings;
  pipeline = new CustomerPipeline(store, { topics: new TopicNames('test.') } as ServiceRuntime, settings, customers, new NotificationsRepository());
  handler = new NotifyCustomerHandler(store, pipeline, customers, new ParkedEventsRepository(), pino({ level: 'silent' }), {
    inc: ({ kind, channel }) => counted.push(`${kind}:${channel}`),
  });
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const at = (second: number) => new Date(Date.UTC(2026, 10, 27, 10, 0, second)).toISOString();
const envelope = <T extends MessageType>(type: T, data: MessageData<T>, second: number): AnyEnvelope =>
  createEnvelope(type, data, { source: 'test', correlationId: randomUUID(), time: at(second) }) as AnyEnvelope;
const source = (second: number) => ({ eventId: randomUUID(), occurredAt: at(second) });
const backorderQueued = (customerId: string, second: number, lineId = 'line-1'): NotificationInput => ({
  type: 'BackorderQueued',
  ...source(second),
  data: { sku: 'SKU-Q', orderId: `order-${customerId}`, lineId, customerId, quantity: 1, position: 1, expectedAt: null },
});
const cause = { correlationId: 'corr', causationId: randomUUID() };

const kindsOf = async (customerId: string) =>
  (await pool.query<{ kind: string; channel: string }>('SELECT kind, channel FROM notifications WHERE customer_id = $1 ORDER BY seq', [customerId]))
    .rows;
const factTypes = async (customerId: string) => (await store.readStream(customerStreamId(customerId))).map((e) => e.type);

describe('the notification batch handler', () => {
  it('decides a BackInStock on what the same batch decided before it (the wait of a StockUnavailable)', async () => {
    const customer = `c-${randomUUID()}`;
    const sku = `SKU-${randomUUID()}`;
    const orderId = `order-${customer}`;
    const batch = [
      envelope('OrderPlaced', { orderId, customerId: customer, lines: [{ lineId: 'line-1', sku, quantity: 1 }], placedAt: at(0) }, 0),
      envelope('StockUnavailable', { sku, orderId, lineId: 'line-1', customerId: customer, quantity: 1, substitutes: [] }, 1),
      // Whom a BackInStock concerns is read from restock_waits: the wait decided just above must be there already.
      envelope('BackInStock', { sku, available: 3 }, 2),
    ];
    const notifications = await store.transaction((tx) => handler.apply(tx, batch));
    handler.count(notifications);
    expect(await kindsOf(customer)).toEqual([
      { kind: 'out-of-stock', channel: 'in-app' },
      { kind: 'back-in-stock', channel: 'in-app' },
    ]);
    expect(counted).toEqual(expect.arrayContaining(['out-of-stock:in-app', 'back-in-stock:in-app']));
    expect(await factTypes(customer)).toEqual(['ChangeNotified', 'ChangeNotified']);
    expect((await pool.query('SELECT 1 FROM restock_waits WHERE customer_id = $1', [customer])).rowCount).toBe(0);
    expect((await pool.query('SELECT 1 FROM es_outbox WHERE key = $1', [customer])).rowCount).toBe(2);
  });
});

describe('a BackInStock read while another transaction releases an order it parks a copy behind', () => {
  // Found by the chaos soak: the release (its OrderPlaced read) had not committed, so the customer was neither waiting
  // in restock_waits nor left without a copy of the BackInStock; the copy then waited for PARK_TIMEOUT_MS.
  it('the sweep decides the copy at its next pass, whatever the timeout, and a copy of news already told is not told again', async () => {
    const customer = `c-${randomUUID()}`;
    const sku = `SKU-${randomUUID()}`;
    const orderId = `order-${customer}`;
    const parked = new ParkedEventsRepository();
    const parkedTypes = async () =>
      (await pool.query<{ event_type: string }>('SELECT event_type FROM parked_events WHERE order_id = $1 ORDER BY seq', [orderId])).rows.map((r) => r.event_type);
    await store.transaction((tx) =>
      handler.apply(tx, [envelope('StockUnavailable', { sku, orderId, lineId: 'line-1', customerId: customer, quantity: 1, substitutes: [] }, 1)]),
    );
    expect(await parkedTypes()).toEqual(['StockUnavailable']);

    // The release, held open before its commit while the BackInStock's transaction runs from start to commit.
    let reachedCommit!: () => void;
    const atCommit = new Promise<void>((resolve) => (reachedCommit = resolve));
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    const release = store.transaction(async (tx) => {
      const told = await handler.apply(tx, [envelope('OrderPlaced', { orderId, customerId: customer, lines: [{ lineId: 'line-1', sku, quantity: 1 }], placedAt: at(0) }, 0)]);
      reachedCommit();
      await committing;
      return told;
    });
    await atCommit;
    const backInStock = envelope('BackInStock', { sku, available: 4 }, 2);
    await store.transaction((tx) => handler.apply(tx, [backInStock]));
    commit();
    await release;
    expect(await kindsOf(customer)).toEqual([{ kind: 'out-of-stock', channel: 'in-app' }]);
    expect(await parkedTypes()).toEqual(['BackInStock']);

    // An hour's timeout: only the order being known can release the copy now.
    const sweeper = new ParkedEventsSweeper(pool, parked, handler, 3_600_000, pino({ level: 'silent' }));
    expect(await sweeper.sweep()).toBe(1);
    expect(await kindsOf(customer)).toEqual([
      { kind: 'out-of-stock', channel: 'in-app' },
      { kind: 'back-in-stock', channel: 'in-app' },
    ]);
    expect(await parkedTypes()).toEqual([]);
    expect(await sweeper.sweep()).toBe(0);

    // The other interleaving leaves the customer told directly and a copy behind the order: the copy tells nothing.
    await store.transaction((tx) => parked.park(tx, orderId, sku, backInStock));
    expect(await sweeper.sweep()).toBe(1);
    expect((await kindsOf(customer)).map((n) => n.kind)).toEqual(['out-of-stock', 'back-in-stock']);
  });
});

describe('the customer pipeline', () => {
  it('appends many customers at once, a customer named twice in decision order, with the address kept aside', async () => {
    const [ann, ben] = [`c-${randomUUID()}`, `c-${randomUUID()}`];
    const placed: NotificationInput = {
      type: 'OrderPlaced',
      ...source(0),
      data: { orderId: `order-${ann}`, customerId: ann, email: 'ann@example.com', lines: [{ lineId: 'line-1', sku: 'SKU-Q', quantity: 1 }], placedAt: at(0) },
    };
    const work = (customerId: string, input: NotificationInput) => ({ id: customerId, command: { customerId, input }, cause });
    const { results, outcomes } = await pipeline.run([work(ann, placed), work(ben, backorderQueued(ben, 1)), work(ann, backorderQueued(ann, 2))]);
    const told = results.flatMap((result) => (result.ok && result.decision ? result.decision.output : []));
    expect(told.map((n) => `${n.customerId === ann ? 'ann' : 'ben'}:${n.channel}`)).toEqual(['ben:in-app', 'ann:in-app', 'ann:email']);
    // One append for both customers.
    expect([outcomes.get(ann)!.version, outcomes.get(ben)!.version]).toEqual([2, 1]);
    expect(await factTypes(ann)).toEqual(['EmailAddressGiven', 'ChangeNotified']);
    expect((await pool.query('SELECT email FROM customer_emails WHERE customer_id = $1', [ann])).rows).toEqual([{ email: 'ann@example.com' }]);
    const stored = JSON.stringify((await store.readStream(customerStreamId(ann))).map((e) => e.data));
    expect(stored).not.toContain('ann@example.com');
    const deliveries = await pool.query('SELECT d.channel, d.status FROM deliveries d JOIN notifications n USING (notification_id) WHERE n.customer_id = $1', [
      ann,
    ]);
    expect(deliveries.rows).toEqual([{ channel: 'email', status: 'skipped' }]);

    // Loaded again, the customer has the address on file: the next change is emailed too.
    const again = await pipeline.run([work(ann, backorderQueued(ann, 3, 'line-2'))]);
    const [result] = again.results;
    expect(result!.ok && result!.decision!.output.map((n) => n.channel)).toEqual(['in-app', 'email']);
  });
});
