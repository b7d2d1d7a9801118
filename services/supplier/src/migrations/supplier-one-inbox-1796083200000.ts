import type { MigrationInterface, QueryRunner } from 'typeorm';
import { oneInboxPerService } from '@fulfillment/platform';

// The supplier's two consumers now share one inbox named after the service (message identities are unique across
// topics); the rows of the two former inboxes move into it, so nothing consumed before the upgrade is applied again.
export class SupplierOneInbox1796083200000 implements MigrationInterface {
  readonly name = 'SupplierOneInbox1796083200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const statement of oneInboxPerService('supplier', ['supplier-service/supplier.commands', 'supplier-service/inventory.events'])) {
      await queryRunner.query(statement);
    }
  }

  async down(): Promise<void> {
    // The merged inbox keeps the ids; nothing to undo.
  }
}
