import type { MigrationInterface, QueryRunner } from 'typeorm';
import { oneInboxPerService } from '@fulfillment/platform';

// The order service's two consumers now share one inbox, named after the service (message identities are unique
// across topics). The rows of the two former inboxes move into it, so nothing consumed before the upgrade is applied
// again; Idempotency-Keys of POST /orders move into the shared key table, answered as the release before answered.
export class OrderOneInbox1796083200000 implements MigrationInterface {
  readonly name = 'OrderOneInbox1796083200000';

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
  }

  async down(): Promise<void> {
    // The old rows are kept by `up`; nothing to undo.
  }
}
