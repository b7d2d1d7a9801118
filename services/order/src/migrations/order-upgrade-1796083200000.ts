import type { MigrationInterface, QueryRunner } from 'typeorm';
import { oneInboxPerService } from '@fulfillment/platform';

// From release 0.1: the order service's two consumers now share one inbox, named after the service (message
// identities are unique across topics), and the rows of the two former inboxes move into it, so nothing consumed before
// the upgrade is applied again; Idempotency-Keys of POST /orders move into the shared key table, answered as the release
// answered; the stored order views get the line bucket `shipped` (0: nothing shipped before shipping existed).
export class OrderUpgrade1796083200000 implements MigrationInterface {
  readonly name = 'OrderUpgrade1796083200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of oneInboxPerService('order', ['order-service:order.commands', 'order-service:inventory.events'])) {
      await queryRunner.query(statement);
    }
    await queryRunner.query(
      `INSERT INTO es_idempotency_keys (scope, key, fingerprint, status, response, created_at)
       SELECT 'POST /orders', idempotency_key, 'legacy:' || request_fingerprint, 202,
              jsonb_build_object('orderId', order_id, 'status', 'pending'), created_at
       FROM order_idempotency_keys
       ON CONFLICT (scope, key) DO NOTHING`,
    );
    await queryRunner.query(
      `UPDATE order_views v
       SET lines = (SELECT jsonb_agg(CASE WHEN l.line ? 'shipped' THEN l.line ELSE l.line || '{"shipped": 0}'::jsonb END ORDER BY l.ord)
                    FROM jsonb_array_elements(v.lines) WITH ORDINALITY AS l(line, ord))
       WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(v.lines) AS line WHERE NOT line ? 'shipped')`,
    );
  }

  async down(): Promise<void> {
    // The old rows are kept by `up`; nothing to undo.
  }
}
