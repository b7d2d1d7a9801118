import { SessionClient } from './session-client.js';
import { DataSource, type MigrationInterface, type QueryRunner } from 'typeorm';
import { LockClass } from './locks.js';

export const DEFAULT_NOTIFY_CHANNEL = 'es_outbox';

// Every statement is idempotent so a database whose migrations table was lost, or two replicas migrating at once,
// still ends with one schema.
const initialSchema = [
  // Two service replicas may start together; the second waits here and then finds everything in place.
  `SELECT pg_advisory_xact_lock(${LockClass.migration}, 0)`,

  // One row per stream: the optimistic-concurrency check and the per-stream serialisation point of an append.
  // fillfactor leaves room for HOT updates of the version, which is not indexed.
  `CREATE TABLE IF NOT EXISTS es_streams (
     stream_id text PRIMARY KEY,
     version   bigint NOT NULL CHECK (version > 0)
   ) WITH (fillfactor = 80)`,

  // transaction_id orders the global log by commit visibility (see readAll); global_position breaks ties.
  `CREATE TABLE IF NOT EXISTS es_events (
     global_position bigint GENERATED ALWAYS AS IDENTITY,
     transaction_id  xid8        NOT NULL DEFAULT pg_current_xact_id(),
     stream_id       text        NOT NULL,
     stream_version  bigint      NOT NULL CHECK (stream_version > 0),
     event_id        uuid        NOT NULL,
     event_type      text        NOT NULL,
     data            jsonb       NOT NULL,
     metadata        jsonb       NOT NULL DEFAULT '{}'::jsonb,
     created_at      timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (stream_id, stream_version)
   )`,
  `CREATE INDEX IF NOT EXISTS es_events_global_order ON es_events (transaction_id, global_position)`,

  // Only the latest snapshot per stream and state schema is kept.
  `CREATE TABLE IF NOT EXISTS es_snapshots (
     stream_id      text        NOT NULL,
     schema_version integer     NOT NULL,
     stream_version bigint      NOT NULL,
     state          jsonb       NOT NULL,
     created_at     timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (stream_id, schema_version)
   )`,

  `CREATE TABLE IF NOT EXISTS es_outbox (
     position   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     topic      text        NOT NULL,
     key        text        NOT NULL,
     value      text        NOT NULL,
     headers    jsonb       NOT NULL DEFAULT '{}'::jsonb,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,

  `CREATE TABLE IF NOT EXISTS es_inbox (
     consumer     text        NOT NULL,
     message_id   text        NOT NULL,
     processed_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (consumer, message_id)
   )`,
  `CREATE INDEX IF NOT EXISTS es_inbox_processed_at ON es_inbox (processed_at)`,

  `CREATE TABLE IF NOT EXISTS es_projection_checkpoints (
     name            text PRIMARY KEY,
     transaction_id  xid8,
     global_position bigint,
     updated_at      timestamptz NOT NULL DEFAULT now()
   )`,
];

const dropInitialSchema = [
  'DROP TABLE IF EXISTS es_projection_checkpoints',
  'DROP TABLE IF EXISTS es_inbox',
  'DROP TABLE IF EXISTS es_outbox',
  'DROP TABLE IF EXISTS es_snapshots',
  'DROP TABLE IF EXISTS es_events',
  'DROP TABLE IF EXISTS es_streams',
];

// TypeORM takes the migration's timestamp from the last 13 digits of its name.
export class EventStoreSchema1795651200000 implements MigrationInterface {
  readonly name = 'EventStoreSchema1795651200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of initialSchema) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of dropInitialSchema) await queryRunner.query(statement);
  }
}

// Released schemas are never edited: what v2 needs comes on top.
const secondSchema = [
  `SELECT pg_advisory_xact_lock(${LockClass.migration}, 0)`,
  // The shape of each stored event, so that an event written before its domain type changed is upcast on read. Every
  // event stored before this column existed was written at version 1; the constant default is instant on PG 11+.
  `ALTER TABLE es_events ADD COLUMN IF NOT EXISTS schema_version integer NOT NULL DEFAULT 1`,
  // Idempotency-Key of mutating HTTP requests: the first answer, recorded in the transaction of its effect, so that a
  // retried request gets it again and a crash can never leave a key without its effect or an effect without its key.
  `CREATE TABLE IF NOT EXISTS es_idempotency_keys (
     scope        text        NOT NULL,
     key          text        NOT NULL,
     fingerprint  text        NOT NULL,
     status       integer,
     response     jsonb,
     created_at   timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (scope, key)
   )`,
  `CREATE INDEX IF NOT EXISTS es_idempotency_keys_created_at ON es_idempotency_keys (created_at)`,
];

export class EventStoreSchema1796083200000 implements MigrationInterface {
  readonly name = 'EventStoreSchema1796083200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of secondSchema) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS es_idempotency_keys');
    await queryRunner.query('ALTER TABLE es_events DROP COLUMN IF EXISTS schema_version');
  }
}

/** Add these to a service's DataSource `migrations`, before its own. */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- TypeORM's DataSourceOptions takes Function[]
export const eventStoreMigrations: Function[] = [EventStoreSchema1795651200000, EventStoreSchema1796083200000];

/**
 * Applies the event store schema to the database at `url`; returns the names of the migrations that ran. Concurrent
 * callers take turns, because TypeORM's own creation of its migrations table is not safe against a race.
 */
export async function runEventStoreMigrations(url: string): Promise<string[]> {
  const lock = new SessionClient({ connectionString: url });
  await lock.connect();
  try {
    // Not the key the migration itself locks: that lock is taken on another connection and would wait for this one.
    await lock.query('SELECT pg_advisory_lock($1, 1)', [LockClass.migration]);
    const dataSource = new DataSource({ type: 'postgres', url, migrations: eventStoreMigrations, logging: false });
    await dataSource.initialize();
    try {
      const executed = await dataSource.runMigrations({ transaction: 'each' });
      return executed.map((migration) => migration.name);
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await lock.end();
  }
}
