import type { MigrationInterface, QueryRunner } from 'typeorm';

// SPEC 10 (issue 13). `sku_sweeps` is the expiry sweep's index, written by the SKU pipeline in the transaction of each
// change. The `planning_*` tables are the planning read models, written only by the `planning` projection from the
// event store's global log (checkpoint in es_projection_checkpoints), so they can be emptied and rebuilt from the
// events at any time. Quantities are bigint: the contracts bound them only by JavaScript's safe integers.
export class InventoryPoliciesPlanning1796169600000 implements MigrationInterface {
  readonly name = 'InventoryPoliciesPlanning1796169600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of [
      `CREATE TABLE IF NOT EXISTS sku_sweeps (
         sku    text        PRIMARY KEY,
         due_at timestamptz NOT NULL
       )`,
      `CREATE INDEX IF NOT EXISTS sku_sweeps_due ON sku_sweeps (due_at, sku)`,

      // Per SKU: the counters every planning read shows, kept from the events. Byte order ("C") for the SKU, so that
      // listing order and cursors do not depend on the database's locale.
      `CREATE TABLE IF NOT EXISTS planning_skus (
         sku         text COLLATE "C" PRIMARY KEY,
         on_hand     bigint NOT NULL DEFAULT 0,
         reserved    bigint NOT NULL DEFAULT 0,
         backordered bigint NOT NULL DEFAULT 0,
         queue_lines integer NOT NULL DEFAULT 0,
         incoming    bigint NOT NULL DEFAULT 0
       )`,
      `CREATE INDEX IF NOT EXISTS planning_skus_backordered ON planning_skus (sku) WHERE backordered > 0`,
      // The lines waiting now, with the date first promised to each (promiseKeptRatio compares the fill with it).
      `CREATE TABLE IF NOT EXISTS planning_queue_lines (
         sku               text        NOT NULL,
         order_id          text        NOT NULL,
         line_id           text        NOT NULL,
         waiting           bigint      NOT NULL,
         queued_at         timestamptz NOT NULL,
         first_promised_at timestamptz,
         PRIMARY KEY (sku, order_id, line_id)
       )`,
      `CREATE INDEX IF NOT EXISTS planning_queue_lines_oldest ON planning_queue_lines (sku, queued_at)`,
      `CREATE TABLE IF NOT EXISTS planning_purchase_orders (
         sku               text   NOT NULL,
         purchase_order_id text   NOT NULL,
         open_quantity     bigint NOT NULL,
         PRIMARY KEY (sku, purchase_order_id)
       )`,
      // Units ordered per line, at the time of the line's first answer; rows older than the longest window are pruned.
      `CREATE TABLE IF NOT EXISTS planning_demand (
         sku         text        NOT NULL,
         order_id    text        NOT NULL,
         line_id     text        NOT NULL,
         quantity    bigint      NOT NULL,
         answered_at timestamptz NOT NULL,
         PRIMARY KEY (sku, order_id, line_id)
       )`,
      `CREATE INDEX IF NOT EXISTS planning_demand_window ON planning_demand (answered_at, sku)`,
      // Lines filled from the queue, with the date first promised to them; pruned like the demand.
      `CREATE TABLE IF NOT EXISTS planning_fills (
         sku         text        NOT NULL,
         order_id    text        NOT NULL,
         line_id     text        NOT NULL,
         filled_at   timestamptz NOT NULL,
         promised_at timestamptz,
         PRIMARY KEY (sku, order_id, line_id)
       )`,
      `CREATE INDEX IF NOT EXISTS planning_fills_window ON planning_fills (filled_at, sku)`,
    ]) {
      await queryRunner.query(statement);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['planning_fills', 'planning_demand', 'planning_purchase_orders', 'planning_queue_lines', 'planning_skus', 'sku_sweeps']) {
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
    }
    await queryRunner.query(`DELETE FROM es_projection_checkpoints WHERE name = 'planning'`);
  }
}
