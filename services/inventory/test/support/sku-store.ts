// The SKU pipeline on a fresh PostgreSQL database of its own, for the specs that drive it directly (no service process):
// the event store's tables (and, if asked, the planning tables), a pool on the database, the store and the pipeline.
import { afterAll, beforeAll } from '@jest/globals';
import { PostgresEventStore, runEventStoreMigrations, sessionPool } from '@fulfillment/eventstore';
import { TopicNames, type ServiceRuntime } from '@fulfillment/platform';
import { createTestDatabase, type TestDatabase } from '@fulfillment/testing';
import pg from 'pg';
import type { QueryRunner } from 'typeorm';
import { InventoryPoliciesPlanning1796169600000 } from '../../src/migrations/inventory-policies-planning.migration.js';
import { SkuPipeline } from '../../src/sku/sku.pipeline.js';

export interface SkuStoreOptions {
  /** connections of the pool (default 4) */
  poolSize?: number;
  /** also create the tables of the policies and planning migration (sku_sweeps, the planning read models) */
  planning?: boolean;
}

export interface SkuStore {
  readonly database: TestDatabase;
  readonly pool: pg.Pool;
  readonly store: PostgresEventStore;
  readonly skus: SkuPipeline;
  /** Another pool on the same database, its idle-client errors ignored; the caller ends it. */
  newPool(max: number): pg.Pool;
}

/**
 * Registers the hooks that create the database before the file's tests (before the file's own `beforeAll`s, when called
 * first) and drop it after them; the returned object is usable from then on.
 */
export function skuStoreFixture(name: string, { poolSize = 4, planning = false }: SkuStoreOptions = {}): SkuStore {
  let database: TestDatabase | undefined;
  let pool: pg.Pool | undefined;
  let opened: Omit<SkuStore, 'newPool'> | undefined;
  const get = () => {
    if (!opened) throw new Error('the SKU store is opened in beforeAll');
    return opened;
  };
  beforeAll(async () => {
    database = await createTestDatabase(name);
    await runEventStoreMigrations(database.url);
    const open = sessionPool({ connectionString: database.url, max: poolSize });
    pool = open;
    if (planning) await new InventoryPoliciesPlanning1796169600000().up({ query: (sql: string) => open.query(sql) } as unknown as QueryRunner);
    const store = new PostgresEventStore(open);
    opened = { database, pool: open, store, skus: new SkuPipeline(store, { topics: new TopicNames('') } as ServiceRuntime) };
  }, 60_000);
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  }, 60_000);
  return {
    get database() {
      return get().database;
    },
    get pool() {
      return get().pool;
    },
    get store() {
      return get().store;
    },
    get skus() {
      return get().skus;
    },
    newPool: (max) => sessionPool({ connectionString: get().database.url, max }),
  };
}
