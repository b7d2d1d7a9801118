import { afterEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { EventStoreSchema1795651200000, eventStoreMigrations, runEventStoreMigrations } from './schema.js';
import { createTestDatabase, type TestDatabase } from './testing-env.js';

/** Tables, columns, constraints and indexes of the public schema, in a stable order. */
async function describeSchema(url: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const columns = await client.query(
      `SELECT table_name, column_name, data_type, is_nullable, column_default, is_identity
       FROM information_schema.columns WHERE table_schema = 'public' ORDER BY table_name, ordinal_position`,
    );
    const indexes = await client.query(
      `SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' ORDER BY tablename, indexname`,
    );
    const constraints = await client.query(
      `SELECT conrelid::regclass::text AS table_name, conname, pg_get_constraintdef(oid) AS definition
       FROM pg_constraint WHERE connamespace = 'public'::regnamespace ORDER BY 1, 2`,
    );
    return { columns: columns.rows, indexes: indexes.rows, constraints: constraints.rows };
  } finally {
    await client.end();
  }
}

const dataSourceFor = (url: string) =>
  new DataSource({ type: 'postgres', url, migrations: eventStoreMigrations, logging: false });

describe('event store migrations', () => {
  let database: TestDatabase | undefined;
  afterEach(async () => {
    await database?.drop();
    database = undefined;
  });

  it('create the schema on an empty database and do nothing the second time', async () => {
    database = await createTestDatabase();

    const first = dataSourceFor(database.url);
    await first.initialize();
    const applied = await first.runMigrations();
    await first.destroy();
    expect(applied.map((m) => m.name)).toEqual(['EventStoreSchema1795651200000', 'EventStoreSchema1796083200000']);
    const schema = await describeSchema(database.url);
    expect(JSON.stringify(schema)).toContain('es_events_global_order');

    const second = dataSourceFor(database.url);
    await second.initialize();
    expect(await second.runMigrations()).toEqual([]);
    await second.destroy();
    expect(await describeSchema(database.url)).toEqual(schema);
  });

  it('are idempotent SQL: running the migration again changes nothing', async () => {
    database = await createTestDatabase();
    await runEventStoreMigrations(database.url);
    const schema = await describeSchema(database.url);

    const dataSource = dataSourceFor(database.url);
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    try {
      await new EventStoreSchema1795651200000().up(runner);
    } finally {
      await runner.release();
      await dataSource.destroy();
    }
    expect(await describeSchema(database.url)).toEqual(schema);
  });

  it('let two processes call runEventStoreMigrations on one fresh database at once', async () => {
    database = await createTestDatabase();
    const url = database.url;
    const results = await Promise.all([runEventStoreMigrations(url), runEventStoreMigrations(url)]);
    expect(results.flat()).toContain('EventStoreSchema1795651200000');
    expect(await runEventStoreMigrations(url)).toEqual([]);
    const schema = JSON.stringify(await describeSchema(url));
    for (const table of ['es_streams', 'es_events', 'es_snapshots', 'es_outbox', 'es_inbox', 'es_projection_checkpoints']) {
      expect(schema).toContain(`"table_name":"${table}"`);
    }
  });

  it('survive two service replicas applying the pending migration at once', async () => {
    database = await createTestDatabase();
    // TypeORM's migrations table already exists, as it does once a service has started with other migrations.
    const bare = new DataSource({ type: 'postgres', url: database.url, migrations: [], logging: false });
    await bare.initialize();
    await bare.runMigrations();
    await bare.destroy();

    const replicas = [dataSourceFor(database.url), dataSourceFor(database.url)];
    await Promise.all(replicas.map((replica) => replica.initialize()));
    try {
      const applied = await Promise.all(replicas.map((replica) => replica.runMigrations()));
      expect(applied.flat().length).toBeGreaterThanOrEqual(1);
    } finally {
      await Promise.all(replicas.map((replica) => replica.destroy()));
    }
    expect(JSON.stringify(await describeSchema(database.url))).toContain('es_events_global_order');
  });

  it('can be reverted', async () => {
    database = await createTestDatabase();
    const dataSource = dataSourceFor(database.url);
    await dataSource.initialize();
    try {
      await dataSource.runMigrations();
      await dataSource.undoLastMigration();
      const { rows } = await dataSource.query("SELECT tablename FROM pg_tables WHERE tablename LIKE 'es\\_%'");
      expect(rows ?? []).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });
});
