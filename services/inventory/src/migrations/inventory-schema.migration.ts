import type { MigrationInterface, QueryRunner } from 'typeorm';

// OrderCancelled names only the order: inventory remembers which SKU each line went to when the order was placed, so
// it can route the cancellation of every line to that SKU's stream.
export class InventorySchema1795737600000 implements MigrationInterface {
  readonly name = 'InventorySchema1795737600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS order_lines (
        order_id    text NOT NULL,
        line_id     text NOT NULL,
        sku         text NOT NULL,
        customer_id text NOT NULL,
        PRIMARY KEY (order_id, line_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS order_lines');
  }
}
