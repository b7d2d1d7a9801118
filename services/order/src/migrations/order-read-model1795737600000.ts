import type { MigrationInterface, QueryRunner } from 'typeorm';

// The order's view and the HTTP idempotency keys live next to the event store, so both are written in the same
// transaction as the events they follow from.
const up = [
  // One row per order, replaced after every append; `version` is the stream version the row reflects, so a stale
  // writer can never overwrite a newer view.
  `CREATE TABLE IF NOT EXISTS order_views (
     order_id    text        PRIMARY KEY,
     customer_id text        NOT NULL,
     status      text        NOT NULL,
     lines       jsonb       NOT NULL,
     version     bigint      NOT NULL,
     placed_at   timestamptz NOT NULL,
     updated_at  timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX IF NOT EXISTS order_views_customer ON order_views (customer_id, placed_at)`,

  // `request_fingerprint` tells a retry of the same request (answered with the same order) from a key reused for
  // another request (refused).
  `CREATE TABLE IF NOT EXISTS order_idempotency_keys (
     idempotency_key     text        PRIMARY KEY,
     order_id            text        NOT NULL,
     request_fingerprint text        NOT NULL,
     created_at          timestamptz NOT NULL DEFAULT now()
   )`,
];

const down = ['DROP TABLE IF EXISTS order_idempotency_keys', 'DROP TABLE IF EXISTS order_views'];

export class OrderReadModel1795737600000 implements MigrationInterface {
  readonly name = 'OrderReadModel1795737600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of up) await queryRunner.query(statement);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const statement of down) await queryRunner.query(statement);
  }
}
