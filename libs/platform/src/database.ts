import pg from 'pg';
import { DataSource, type MigrationInterface } from 'typeorm';
import { SessionClient } from '@fulfillment/eventstore';

type MigrationClass = new () => MigrationInterface;

/** Creates the service's database on first start (on the same server, through the `postgres` database). */
export async function ensureDatabase(url: string): Promise<boolean> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new SessionClient({ connectionString: maintenance.toString(), connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      return true;
    } catch (e) {
      // Two replicas starting at once: the other one created it.
      if ((e as { code?: string }).code === '42P04') return false;
      throw e;
    }
  } finally {
    await client.end();
  }
}

export interface DatabaseOptions {
  url: string;
  migrations: MigrationClass[];
  /** pool size; the outbox relay holds one extra connection for LISTEN */
  poolSize?: number;
  applicationName?: string;
}

/** A TypeORM DataSource with the service's migrations applied on start (a no-op when they already ran). */
export async function openDatabase(opts: DatabaseOptions): Promise<{ dataSource: DataSource; pool: pg.Pool; applied: string[] }> {
  await ensureDatabase(opts.url);
  const dataSource = new DataSource({
    type: 'postgres',
    url: opts.url,
    migrations: opts.migrations,
    migrationsTableName: 'typeorm_migrations',
    synchronize: false,
    logging: false,
    extra: {
      max: opts.poolSize ?? 20,
      application_name: opts.applicationName,
      connectionTimeoutMillis: 5000,
      // Every session listens for its own end: see SessionClient (a session cut under load ended the process).
      Client: SessionClient,
    },
  });
  await dataSource.initialize();
  let applied: Awaited<ReturnType<DataSource['runMigrations']>>;
  try {
    applied = await dataSource.runMigrations({ transaction: 'each' });
  } catch (error) {
    // The caller retries with a new DataSource: this one's pool must not stay open beside it.
    await dataSource.destroy().catch(() => undefined);
    throw error;
  }
  // The event store and read models run plain SQL on TypeORM's own pg pool: one pool per service.
  const pool = (dataSource.driver as unknown as { master: pg.Pool }).master;
  return { dataSource, pool, applied: applied.map((m) => m.name) };
}
