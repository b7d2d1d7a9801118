// One unit of notification work on the real PostgreSQL: many customers decided in memory, written set-based by flush.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConcurrencyError, eventStoreMigrations, PostgresEventStore } from '@fulfillment/eventstore';
import type { NotificationInput } from '@fulfillment/notification-domain';
import { createTestDatabase, type TestDatabase } from '@fulfillment/testing';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { customerStreamId } from '../src/customer-stream/customer.stream.js';
import { CustomersRepository } from '../src/customer-stream/customers.repository.js';
import { NotificationSchema1795737600000 } from '../src/migrations/notification-schema-1795737600000.js';
import { CustomerChanges, type ChangeDependencies } from '../src/notify-customer/customer-changes.js';
import { NotificationsRepository } from '../src/notify-customer/notifications.repository.js';

let database: TestDatabase;
let pool: pg.Pool;
let store: PostgresEventStore;
let deps: ChangeDependencies;

beforeAll(async () => {
  database = await createTestDatabase('test_notification_changes');
  const dataSource = new DataSource({
    type: 'postgres',
    url: database.url,
    migrations: [...eventStoreMigrations, NotificationSchema1795737600000],
    logging: false,
  });
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  store = new PostgresEventStore(pool);
  deps = {
    customers: new CustomersRepository(store),
    notifications: new NotificationsRepository(),
    config: { webhookEnabled: false, timeZone: 'UTC' },
    emailDelivery: { status: 'skipped', reason: 'SMTP_URL is not set' },
    notificationTopic: 'test.notification.events',
  };
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await database?.drop();
});

const at = (second: number) => new Date(Date.UTC(2026, 10, 27, 10, 0, second)).toISOString();
const cause = () => ({ eventId: randomUUID(), correlationId: randomUUID() });
const source = (second: number) => ({ eventId: randomUUID(), occurredAt: at(second) });

const stockUnavailable = (customerId: string, sku: string, second: number): NotificationInput => ({
  type: 'StockUnavailable',
  ...source(second),
  data: { sku, orderId: `order-${customerId}`, lineId: 'line-1', customerId, quantity: 1, substitutes: [] },
});
const backorderQueued = (customerId: string, second: number): NotificationInput => ({
  type: 'BackorderQueued',
  ...source(second),
  data: { sku: 'SKU-Q', orderId: `order-${customerId}`, lineId: 'line-1', customerId, quantity: 1, position: 1, expectedAt: null },
});

const kindsOf = async (customerId: string) =>
  (await pool.query<{ kind: string; channel: string }>('SELECT kind, channel FROM notifications WHERE customer_id = $1 ORDER BY seq', [customerId]))
    .rows;
const factTypes = async (customerId: string) => (await store.readStream(customerStreamId(customerId))).map((e) => e.type);

describe('a unit of notification work', () => {
  it('writes what a BackInStock decides on after a StockUnavailable of the same unit', async () => {
    const customer = `c-${randomUUID()}`;
    const sku = `SKU-${randomUUID()}`;
    await store.transaction(async (tx) => {
      const changes = new CustomerChanges(tx, deps);
      await changes.load([customer]);
      await changes.apply(stockUnavailable(customer, sku, 1), cause());
      // Whom a BackInStock concerns is read from restock_waits: the wait decided just above must be there already.
      await changes.apply({ type: 'BackInStock', ...source(2), data: { sku, available: 3 } }, cause());
      await changes.flush();
    });
    expect(await kindsOf(customer)).toEqual([
      { kind: 'out-of-stock', channel: 'in-app' },
      { kind: 'back-in-stock', channel: 'in-app' },
    ]);
    expect(await factTypes(customer)).toEqual(['ChangeNotified', 'ChangeNotified']);
    expect((await pool.query('SELECT 1 FROM restock_waits WHERE customer_id = $1', [customer])).rowCount).toBe(0);
    expect((await pool.query("SELECT 1 FROM es_outbox WHERE key = $1", [customer])).rowCount).toBe(2);
  });

  it('appends many customers at once, a customer named twice in decision order, with the address kept aside', async () => {
    const [ann, ben] = [`c-${randomUUID()}`, `c-${randomUUID()}`];
    const outcome = await store.transaction(async (tx) => {
      const changes = new CustomerChanges(tx, deps);
      await changes.load([ann, ben]);
      await changes.apply(
        {
          type: 'OrderPlaced',
          ...source(0),
          data: { orderId: `order-${ann}`, customerId: ann, email: 'ann@example.com', lines: [{ lineId: 'line-1', sku: 'SKU-Q', quantity: 1 }], placedAt: at(0) },
        },
        cause(),
      );
      await changes.apply(backorderQueued(ben, 1), cause());
      await changes.apply(backorderQueued(ann, 2), cause());
      await changes.flush();
      return changes.notifications.map((n) => `${n.customerId === ann ? 'ann' : 'ben'}:${n.channel}`);
    });
    expect(outcome).toEqual(['ben:in-app', 'ann:in-app', 'ann:email']);
    expect(await factTypes(ann)).toEqual(['EmailAddressGiven', 'ChangeNotified']);
    expect(await factTypes(ben)).toEqual(['ChangeNotified']);
    expect((await pool.query('SELECT email FROM customer_emails WHERE customer_id = $1', [ann])).rows).toEqual([{ email: 'ann@example.com' }]);
    const stored = JSON.stringify((await store.readStream(customerStreamId(ann))).map((e) => e.data));
    expect(stored).not.toContain('ann@example.com');
    const deliveries = await pool.query('SELECT d.channel, d.status FROM deliveries d JOIN notifications n USING (notification_id) WHERE n.customer_id = $1', [ann]);
    expect(deliveries.rows).toEqual([{ channel: 'email', status: 'skipped' }]);
  });

  it('fails with ConcurrencyError, writing nothing, when a customer stream moved under it', async () => {
    const [cal, dot] = [`c-${randomUUID()}`, `c-${randomUUID()}`];
    const failure = await store
      .transaction(async (tx) => {
        const changes = new CustomerChanges(tx, deps);
        await changes.load([cal, dot]);
        await changes.apply(backorderQueued(cal, 1), cause());
        await changes.apply(backorderQueued(dot, 1), cause());
        // A writer that does not take the stream lock (an import, a bug) appends to Dot's stream meanwhile.
        await store.append(customerStreamId(dot), 'any', [{ type: 'OrderBackorderNoted', data: { customerId: dot, orderId: 'o-x' } }]);
        await changes.flush();
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConcurrencyError);
    expect(failure).toMatchObject({ streamId: customerStreamId(dot), expected: 0, actual: 1 });
    expect(await factTypes(cal)).toEqual([]);
    expect(await kindsOf(cal)).toEqual([]);
    expect((await pool.query('SELECT 1 FROM es_outbox WHERE key IN ($1, $2)', [cal, dot])).rowCount).toBe(0);
  });
});
