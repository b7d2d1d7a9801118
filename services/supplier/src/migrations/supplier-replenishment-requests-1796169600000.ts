import type { MigrationInterface, QueryRunner } from 'typeorm';

// Inventory's replenishment requests as the supplier keeps them (issue 13): the listing of
// GET /replenishment-requests, written by the replenishment pipeline in the transaction of each decision.
export class SupplierReplenishmentRequests1796169600000 implements MigrationInterface {
  readonly name = 'SupplierReplenishmentRequests1796169600000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`CREATE TABLE IF NOT EXISTS supplier_replenishment_requests (
      request_id        text        PRIMARY KEY,
      sku               text        NOT NULL,
      quantity          bigint      NOT NULL CHECK (quantity > 0),
      reason            text        NOT NULL,
      requested_at      timestamptz NOT NULL,
      status            text        NOT NULL CHECK (status IN ('open', 'answered')),
      unplanned_reason  text,
      answer            text,
      purchase_order_id text,
      answered_at       timestamptz
    )`);
    await runner.query(`CREATE INDEX IF NOT EXISTS supplier_replenishment_requests_by_status
      ON supplier_replenishment_requests (status, requested_at, request_id)`);
    await runner.query(`CREATE INDEX IF NOT EXISTS supplier_replenishment_requests_by_sku
      ON supplier_replenishment_requests (sku, requested_at, request_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE IF EXISTS supplier_replenishment_requests');
  }
}
