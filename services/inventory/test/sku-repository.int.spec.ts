// The SKU aggregate on a real PostgreSQL event store: loads from snapshots give the state a full replay gives, and a
// batch of commands appends once per SKU with its outbox rows.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { ConcurrencyError, PostgresEventStore, runEventStoreMigrations, type Tx } from '@fulfillment/eventstore';
import { evolve, initialState, skuStreamName, type SkuEvent } from '@fulfillment/inventory-domain';
import { createTestDatabase, type TestDatabase } from '@fulfillment/testing';
import pg from 'pg';
import { SkuCommandsHandler, type SkuWork } from '../src/sku/sku-commands.handler.js';
import { SKU_SNAPSHOT_EVERY, SkuRepository, type LoadedSku } from '../src/sku/sku.repository.js';

/** A writer that ignores the stream lock appends right after each of the first `races` loads. */
class RacedSkuRepository extends SkuRepository {
  constructor(
    private readonly events: PostgresEventStore,
    private races: number,
  ) {
    super(events);
  }

  override async load(sku: string, opts: { tx?: Tx; forUpdate?: boolean } = {}): Promise<LoadedSku> {
    const loaded = await super.load(sku, opts);
    if (this.races-- > 0) {
      await this.events.append(skuStreamName(sku), 'any', [
        { type: 'StockAdjusted', data: { delta: 1, reason: 'race', at: new Date().toISOString() } },
      ]);
    }
    return loaded;
  }
}

let database: TestDatabase;
let pool: pg.Pool;
let store: PostgresEventStore;
let skus: SkuRepository;
let commands: SkuCommandsHandler;

beforeAll(async () => {
  database = await createTestDatabase('inventory_repo');
  await runEventStoreMigrations(database.url);
  pool = new pg.Pool({ connectionString: database.url, max: 4 });
  // An idle client the server closes (a restart, a terminated session) is dropped by the pool; without a listener
  // node would treat the pool's 'error' event as an uncaught exception.
  pool.on('error', () => undefined);
  store = new PostgresEventStore(pool);
  skus = new SkuRepository(store);
  commands = new SkuCommandsHandler(store, skus, 'inventory.events');
}, 60_000);

afterAll(async () => {
  await pool?.end();
  await database?.drop();
}, 60_000);

const now = () => new Date().toISOString();
const cause = { messageId: null, correlationId: 'repo-test' };
const order = (sku: string, n: number): SkuWork => ({
  sku,
  command: { type: 'AllocateOrderLine', data: { orderId: `order-${n}`, lineId: 'line-1', customerId: `c-${n}`, quantity: 1, now: now() } },
  cause,
});

const fullReplay = async (sku: string) =>
  (await store.readStream(skuStreamName(sku))).reduce(
    (state, stored) => evolve(state, { type: stored.type, data: stored.data } as SkuEvent),
    initialState(),
  );

describe('SkuRepository', () => {
  it('loads a long stream from its snapshot to the state a full replay gives', async () => {
    const sku = `SKU-${randomUUID()}`;
    const lines = SKU_SNAPSHOT_EVERY * 2 + 37;
    await commands.executeAlone([
      { sku, command: { type: 'RegisterPurchaseOrder', data: { purchaseOrderId: 'po-1', quantity: lines, expectedAt: '2026-12-24T00:00:00.000Z', now: now() } }, cause },
    ]);
    // Batches of 150 orders: every load after the first folds at least one full snapshot interval's worth.
    for (let first = 0; first < lines; first += 150) {
      const batch = Array.from({ length: Math.min(150, lines - first) }, (_, i) => order(sku, first + i));
      await store.transaction((tx) => commands.execute(tx, batch));
    }
    const { rows } = await pool.query('SELECT stream_version FROM es_snapshots WHERE stream_id = $1', [skuStreamName(sku)]);
    expect(Number(rows[0]?.stream_version)).toBeGreaterThan(SKU_SNAPSHOT_EVERY);

    const loaded = await skus.load(sku);
    expect(loaded.version).toBe(lines + 1);
    expect(loaded.state).toEqual(await fullReplay(sku));
    expect(loaded.state.queue).toHaveLength(lines);

    // One receipt serves every line: thousands of events after the snapshot, folded together on the next load.
    const outcome = await commands.executeAlone([
      { sku, command: { type: 'ReceiveRestock', data: { purchaseOrderId: 'po-1', quantity: lines, now: now() } }, cause },
    ]);
    expect(outcome.get(sku)!.events.filter((e) => e.event.type === 'BackorderAllocated')).toHaveLength(lines);
    const afterRestock = await skus.load(sku);
    expect(afterRestock.state).toEqual(await fullReplay(sku));
    expect(afterRestock.state).toEqual(outcome.get(sku)!.state);
    expect(afterRestock.state.queue).toEqual([]);
  }, 60_000);

  it('appends once per SKU, with one outbox row per published event, and rolls back with the batch', async () => {
    const [a, b] = [`SKU-A-${randomUUID()}`, `SKU-B-${randomUUID()}`];
    const adjust = (sku: string, delta: number): SkuWork => ({ sku, command: { type: 'AdjustStock', data: { delta, reason: 'count', now: now() } }, cause });
    await commands.executeAlone([adjust(a, 5), adjust(b, 1)]);
    const before = await pool.query('SELECT count(*)::int AS n FROM es_outbox');

    const outcome = await commands.executeAlone([order(a, 1), order(b, 2), order(a, 3)]);
    expect(outcome.get(a)).toMatchObject({ version: 3 });
    expect(outcome.get(b)).toMatchObject({ version: 2 });
    const after = await pool.query('SELECT count(*)::int AS n FROM es_outbox');
    expect(after.rows[0].n - before.rows[0].n).toBe(3);

    // A refusal anywhere in the batch leaves no trace of the rest of it.
    await expect(commands.executeAlone([order(b, 9), adjust(a, -100)])).rejects.toMatchObject({ code: 'insufficient-stock' });
    expect((await skus.load(b)).version).toBe(2);
    expect((await pool.query('SELECT count(*)::int AS n FROM es_outbox')).rows[0].n).toBe(after.rows[0].n);
  }, 60_000);

  it('decides again on a fresh state after a concurrent write, and gives up on a second one', async () => {
    const sku = `SKU-R-${randomUUID()}`;
    const adjust: SkuWork = { sku, command: { type: 'AdjustStock', data: { delta: 5, reason: 'count', now: now() } }, cause };
    const once = new SkuCommandsHandler(store, new RacedSkuRepository(store, 1), 'inventory.events');
    const outcome = await once.executeAlone([adjust]);
    // The racing unit and ours: the retry saw the other writer's event.
    expect(outcome.get(sku)!.state.onHand).toBe(6);
    expect((await skus.load(sku)).state.onHand).toBe(6);

    const twice = new SkuCommandsHandler(store, new RacedSkuRepository(store, 2), 'inventory.events');
    await expect(twice.executeAlone([adjust])).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await skus.load(sku)).state.onHand).toBe(8);
  }, 60_000);
});
