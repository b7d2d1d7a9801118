import { TOPICS } from '@fulfillment/contracts';
import { eventStoreMigrations, Inbox, PostgresEventStore, type Tx } from '@fulfillment/eventstore';
import type { ConsumedMessage } from '@fulfillment/messaging';
import { openDatabase } from '@fulfillment/platform';
import { createTestDatabase, type Delivery, type EnvelopeOfType, type TestDatabase } from '@fulfillment/testing';
import { pino } from 'pino';
import type { DataSource, MigrationInterface } from 'typeorm';
import { INBOX_CONSUMER } from '../../../src/app.module.js';
import { InventorySchema1795737600000 } from '../../../src/migrations/inventory-schema.migration.js';
import { OrderEventsHandler } from '../../../src/order-events/order-events.handler.js';
import { OrderLinesRepository } from '../../../src/order-events/order-lines.repository.js';
import { SkuCommandsHandler, type SkuOutcome, type SkuWork } from '../../../src/sku/sku-commands.handler.js';
import { SkuRepository } from '../../../src/sku/sku.repository.js';
import { SupplierEventsHandler } from '../../../src/supplier-events/supplier-events.handler.js';

/** The real SKU command handler, which also keeps the work it was given: what the consumer made of a message. */
class RecordingSkuCommands extends SkuCommandsHandler {
  readonly work: SkuWork[] = [];

  override execute(tx: Tx, work: readonly SkuWork[]): Promise<Map<string, SkuOutcome>> {
    this.work.push(...work);
    return super.execute(tx, work);
  }
}

/**
 * Inventory's Kafka handlers as the service wires them, on a migrated database of their own: the inbox, the order
 * lines it remembers and the SKU streams are real, so a message is consumed exactly as in production.
 */
export class InventoryConsumer {
  private constructor(
    private readonly database: TestDatabase,
    private readonly dataSource: DataSource,
    private readonly commands: RecordingSkuCommands,
    readonly orderEvents: OrderEventsHandler,
    readonly supplierEvents: SupplierEventsHandler,
  ) {}

  static async start(): Promise<InventoryConsumer> {
    const database = await createTestDatabase('inventory_pact');
    const { dataSource, pool } = await openDatabase({
      url: database.url,
      migrations: [...(eventStoreMigrations as (new () => MigrationInterface)[]), InventorySchema1795737600000],
    });
    const store = new PostgresEventStore(pool);
    const commands = new RecordingSkuCommands(store, new SkuRepository(store), TOPICS.inventoryEvents);
    const inbox = new Inbox(INBOX_CONSUMER);
    const logger = pino({ level: 'silent' });
    return new InventoryConsumer(
      database,
      dataSource,
      commands,
      new OrderEventsHandler(store, inbox, new OrderLinesRepository(), commands, logger),
      new SupplierEventsHandler(store, inbox, commands, logger),
    );
  }

  /** Hands `envelope` to `handler` as the Kafka transport would, and returns the SKU work it produced. */
  async consume(
    handler: { handle(messages: readonly ConsumedMessage[]): Promise<void> },
    envelope: EnvelopeOfType<ConsumedMessage['envelope']['type']>,
    delivery: Delivery,
  ): Promise<SkuWork[]> {
    const before = this.commands.work.length;
    await handler.handle([{ envelope, topic: delivery.topic, partition: 0, offset: '0', key: delivery.key, headers: {} }]);
    return this.commands.work.slice(before);
  }

  async stop(): Promise<void> {
    await this.dataSource?.destroy();
    await this.database?.drop();
  }
}
