// The unit of work on a real, migrated PostgreSQL database: what one transaction of several commands writes.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ConcurrencyError, eventStoreMigrations, PostgresEventStore } from '@fulfillment/eventstore';
import { openDatabase, TopicNames, type ServiceRuntime } from '@fulfillment/platform';
import type { PurchaseOrderCommand } from '@fulfillment/supplier-domain';
import { createTestDatabase, type TestDatabase } from '@fulfillment/testing';
import type pg from 'pg';
import { pino } from 'pino';
import type { DataSource, MigrationInterface } from 'typeorm';
import { SupplierReadModel1795737600000 } from '../src/migrations/supplier-read-model.migration.js';
import { PurchaseOrdersRepository } from '../src/shared/purchase-orders.repository.js';
import { SupplierTransactions } from '../src/shared/supplier-transactions.js';
import { messageCausation, requestCausation, SupplierUnitOfWork } from '../src/shared/supplier-unit-of-work.js';

let database: TestDatabase;
let dataSource: DataSource;
let pool: pg.Pool;
let store: PostgresEventStore;
const repository = new PurchaseOrdersRepository();
const TOPIC = 'test.supplier.events';

beforeAll(async () => {
  database = await createTestDatabase('test_supplier_uow');
  ({ dataSource, pool } = await openDatabase({
    url: database.url,
    migrations: [...(eventStoreMigrations as (new () => MigrationInterface)[]), SupplierReadModel1795737600000],
  }));
  store = new PostgresEventStore(pool);
}, 60_000);

afterAll(async () => {
  await dataSource?.destroy();
  await database?.drop();
});

const NOW = new Date().toISOString();
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

const place = (purchaseOrderId: string, sku: string, quantity: number): PurchaseOrderCommand => ({
  type: 'PlacePurchaseOrder',
  data: { purchaseOrderId, sku, quantity, expectedAt: inDays(7), reason: 'manual', now: NOW },
});
const receive = (quantity: number): PurchaseOrderCommand => ({ type: 'ReceivePurchaseOrder', data: { quantity, now: NOW } });

function inTransaction(work: (uow: SupplierUnitOfWork) => Promise<void>): Promise<void> {
  return store.transaction(async (tx) => {
    const uow = new SupplierUnitOfWork({ store, tx, repository, eventsTopic: TOPIC });
    await work(uow);
    await uow.commit();
  });
}

async function outboxFrom(position: bigint): Promise<{ key: string; type: string; purchaseOrderId: string | null }[]> {
  const { rows } = await pool.query<{ key: string; value: string }>(
    'SELECT key, value FROM es_outbox WHERE position > $1 ORDER BY position',
    [String(position)],
  );
  return rows.map(({ key, value }) => {
    const env = JSON.parse(value) as { type: string; data: { purchaseOrderId: string | null } };
    return { key, type: env.type, purchaseOrderId: env.data.purchaseOrderId };
  });
}

const lastOutboxPosition = async (): Promise<bigint> =>
  BigInt((await pool.query<{ p: string }>('SELECT coalesce(max(position), 0) AS p FROM es_outbox')).rows[0]!.p);

describe('SupplierUnitOfWork', () => {
  it('appends each purchase order once and publishes in the order things were decided, across orders', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    const sku = `SKU-${randomUUID().slice(0, 8)}`;
    const since = await lastOutboxPosition();
    const cause = requestCausation('flow-uow');
    const append = jest.spyOn(store, 'append');
    await inTransaction(async (uow) => {
      await uow.execute(a, place(a, sku, 10), cause);
      await uow.execute(b, place(b, sku, 5), cause);
      await uow.execute(a, receive(4), cause);
      uow.receiveUnplanned(sku, 2, NOW, messageCausation({ id: randomUUID(), correlationid: 'flow-uow' }));
      await uow.execute(b, receive(5), cause);
    });

    expect(await outboxFrom(since)).toEqual([
      { key: sku, type: 'PurchaseOrderPlaced', purchaseOrderId: a },
      { key: sku, type: 'PurchaseOrderPlaced', purchaseOrderId: b },
      { key: sku, type: 'RestockReceived', purchaseOrderId: a },
      { key: sku, type: 'RestockReceived', purchaseOrderId: null },
      { key: sku, type: 'RestockReceived', purchaseOrderId: b },
    ]);
    expect(append.mock.calls.map(([streamId, expected, events]) => [streamId, expected, events.length])).toEqual([
      [`purchase-order-${a}`, 0, 2],
      [`purchase-order-${b}`, 0, 2],
      [`sku-receipts-${sku}`, 'any', 1],
    ]);
    append.mockRestore();
    expect((await store.readStream(`purchase-order-${a}`)).map((e) => e.type)).toEqual([
      'PurchaseOrderPlaced',
      'PurchaseOrderReceived',
    ]);
    // Both were placed at NOW, so the listing's order between them is the id's: compare as a set.
    const listed = await repository.list(pool, { sku, limit: 10 });
    expect(listed).toHaveLength(2);
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ purchaseOrderId: a, received: 4, status: 'open' }),
        expect.objectContaining({ purchaseOrderId: b, received: 5, status: 'received' }),
      ]),
    );
  });

  it('decides each command on the state left by the commands before it, and writes nothing when one is refused', async () => {
    const id = randomUUID();
    const attempt = inTransaction(async (uow) => {
      await uow.execute(id, place(id, 'SKU-SEQ', 5), requestCausation('flow'));
      await uow.execute(id, receive(3), requestCausation('flow'));
      await uow.execute(id, receive(3), requestCausation('flow'));
    });
    await expect(attempt).rejects.toThrow('ordered 5, received 3, attempted 3');
    // The transaction rolled back: nothing of it is stored or queued.
    expect(await store.readStream(`purchase-order-${id}`)).toEqual([]);
    expect(await repository.list(pool, { sku: 'SKU-SEQ', limit: 10 })).toEqual([]);
  });

  it('gives the events a message causes the same ids when the message is applied again after a rollback', async () => {
    const id = randomUUID();
    const message = { id: randomUUID(), correlationid: 'flow-retry' };
    const ids: string[][] = [];
    for (const outcome of ['rollback', 'commit'] as const) {
      await inTransaction(async (uow) => {
        const { events } = await uow.execute(id, place(id, 'SKU-RETRY', 2), messageCausation(message));
        ids.push(events.map((e) => e.id));
        if (outcome === 'rollback') throw new Error('crash before commit');
      }).catch((error: Error) => expect(error.message).toBe('crash before commit'));
    }
    expect(ids[1]).toEqual(ids[0]);
    const [stored] = await store.readStream(`purchase-order-${id}`);
    expect(stored).toMatchObject({ id: ids[0]![0], metadata: { correlationId: 'flow-retry', causationId: message.id } });
  });

  it('fails rather than silently skip a purchase order whose listing row is missing', async () => {
    const id = randomUUID();
    await inTransaction(async (uow) => void (await uow.execute(id, place(id, 'SKU-LOST', 5), requestCausation('flow'))));
    await pool.query('DELETE FROM supplier_purchase_orders WHERE purchase_order_id = $1', [id]);
    const attempt = inTransaction(async (uow) => void (await uow.execute(id, receive(1), requestCausation('flow'))));
    await expect(attempt).rejects.toThrow(`read model has no row for purchase order ${id}`);
    expect(await store.readStream(`purchase-order-${id}`)).toHaveLength(1);
  });

  it('commits once', async () => {
    await store.transaction(async (tx) => {
      const uow = new SupplierUnitOfWork({ store, tx, repository, eventsTopic: TOPIC });
      await uow.commit();
      await expect(uow.commit()).rejects.toThrow('already committed');
    });
  });
});

describe('SupplierTransactions.runWithRetry', () => {
  const transactions = () =>
    new SupplierTransactions(
      { store, pool, topics: new TopicNames('test.'), logger: pino({ level: 'silent' }) } as unknown as ServiceRuntime,
      repository,
    );

  async function placed(): Promise<string> {
    const id = randomUUID();
    await inTransaction(async (uow) => void (await uow.execute(id, place(id, 'SKU-RACE', 10), requestCausation('flow'))));
    return id;
  }

  // A writer that does not take the stream lock, landing between this transaction's load and its append.
  const interfere = (id: string) =>
    store.append(`purchase-order-${id}`, 'any', [
      { type: 'PurchaseOrderReceived', data: { purchaseOrderId: id, sku: 'SKU-RACE', quantity: 1, receivedAt: NOW, remainingOnOrder: 9 } },
    ]);

  it('decides again on the new state when the purchase order changed under the first attempt', async () => {
    const id = await placed();
    let attempts = 0;
    const view = await transactions().runWithRetry(async (uow) => {
      attempts++;
      await uow.purchaseOrder(id);
      if (attempts === 1) await interfere(id);
      return (await uow.execute(id, receive(2), requestCausation('flow'))).view;
    });
    expect(attempts).toBe(2);
    expect(view).toMatchObject({ received: 3 });
    expect((await store.readStream(`purchase-order-${id}`)).map((e) => e.type)).toEqual([
      'PurchaseOrderPlaced',
      'PurchaseOrderReceived',
      'PurchaseOrderReceived',
    ]);
  });

  it('gives up with the ConcurrencyError (HTTP 412) when the second attempt conflicts too', async () => {
    const id = await placed();
    let attempts = 0;
    const attempt = transactions().runWithRetry(async (uow) => {
      attempts++;
      await uow.purchaseOrder(id);
      await interfere(id);
      await uow.execute(id, receive(2), requestCausation('flow'));
    });
    await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
    expect(attempts).toBe(2);
  });
});
