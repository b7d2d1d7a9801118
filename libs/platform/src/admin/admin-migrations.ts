import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Dead letters re-driven by `POST /admin/dead-letters/redrive`, so that one is sent back once however often the
 * operator asks, and the listing says which were. Shared by every service (libs/platform), after the event store's
 * own tables.
 */
export class AdminRedrives1796169600001 implements MigrationInterface {
  name = 'AdminRedrives1796169600001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS admin_redrives (
        dlq_topic   text        NOT NULL,
        dlq_partition integer   NOT NULL,
        dlq_offset  bigint      NOT NULL,
        source_topic text       NOT NULL,
        redriven_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (dlq_topic, dlq_partition, dlq_offset)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS admin_redrives');
  }
}

export const platformMigrations = [AdminRedrives1796169600001];
