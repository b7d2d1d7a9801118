import type { MigrationInterface, QueryRunner } from 'typeorm';

// TypeORM takes the migration's timestamp from the last 13 digits of the class name; it runs after the event store's.
export class SupplierReadModel1795737600000 implements MigrationInterface {
  async up(runner: QueryRunner): Promise<void> {
    // Quantities are bigint because the contract bounds them only by JavaScript's safe integers.
    await runner.query(`CREATE TABLE IF NOT EXISTS supplier_purchase_orders (
      purchase_order_id text        PRIMARY KEY,
      sku               text        NOT NULL,
      quantity          bigint      NOT NULL CHECK (quantity > 0),
      received          bigint      NOT NULL CHECK (received >= 0),
      expected_at       timestamptz NOT NULL,
      status            text        NOT NULL,
      reason            text        NOT NULL,
      placed_at         timestamptz NOT NULL,
      updated_at        timestamptz NOT NULL,
      stream_version    bigint      NOT NULL
    )`);
    await runner.query(`CREATE INDEX IF NOT EXISTS supplier_purchase_orders_by_sku
      ON supplier_purchase_orders (sku, placed_at, purchase_order_id)`);
    await runner.query(`CREATE INDEX IF NOT EXISTS supplier_purchase_orders_by_status
      ON supplier_purchase_orders (status, placed_at, purchase_order_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS supplier_purchase_orders');
  }
}
