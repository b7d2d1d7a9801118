import { eventStoreMigrations, PostgresEventStore, type Tx } from '@fulfillment/eventstore';
import { ConsumeOnce, type ConsumedMessage } from '@fulfillment/messaging';
import { openDatabase, TopicNames, type ServiceRuntime } from '@fulfillment/platform';
import { afterAll, beforeAll, expect } from '@jest/globals';
import type { MessageType } from '@fulfillment/contracts';
import {
  causeOf,
  createTestDatabase,
  MessageConsumerContract,
  type Delivery,
  type EnvelopeOfType,
  type MessageExpectation,
  type TestDatabase,
} from '@fulfillment/testing';
import type { DataSource, MigrationInterface } from 'typeorm';
import { InventorySchema1795737600000 } from '../../../src/migrations/inventory-schema.migration.js';
import { OrderEventsKafkaController } from '../../../src/order-events/order-events.kafka.controller.js';
import { OrderLinesRepository } from '../../../src/order-events/order-lines.repository.js';
import { SkuPipeline, type SkuWork } from '../../../src/sku/sku.pipeline.js';
import { SupplierEventsKafkaController } from '../../../src/supplier-events/supplier-events.kafka.controller.js';

/** The real SKU pipeline, which also keeps the work it was given: what the consumer made of a message. */
class RecordingSkuPipeline extends SkuPipeline {
  readonly work: SkuWork[] = [];

  override handle(tx: Tx, work: readonly SkuWork[]): ReturnType<SkuPipeline['handle']> {
    this.work.push(...work);
    return super.handle(tx, work);
  }
}

type Consumes = (messages: ConsumedMessage[]) => Promise<void>;

/**
 * Inventory's Kafka controllers as the service wires them, on a migrated database of their own: the inbox, the order
 * lines it remembers and the SKU streams are real, so a message is consumed exactly as in production.
 */
export class InventoryConsumer {
  private constructor(
    private readonly database: TestDatabase,
    private readonly dataSource: DataSource,
    private readonly skus: RecordingSkuPipeline,
    readonly orderEvents: Consumes,
    readonly supplierEvents: Consumes,
  ) {}

  static async start(): Promise<InventoryConsumer> {
    const database = await createTestDatabase('inventory_pact');
    const { dataSource, pool } = await openDatabase({
      url: database.url,
      migrations: [...(eventStoreMigrations as (new () => MigrationInterface)[]), InventorySchema1795737600000],
    });
    const store = new PostgresEventStore(pool);
    const skus = new RecordingSkuPipeline(store, { topics: new TopicNames('') } as ServiceRuntime);
    const once = new ConsumeOnce(store, 'inventory');
    const orderEvents = new OrderEventsKafkaController(once, skus, new OrderLinesRepository());
    const supplierEvents = new SupplierEventsKafkaController(once, skus);
    return new InventoryConsumer(
      database,
      dataSource,
      skus,
      (messages) => orderEvents.onOrderEvents(messages),
      (messages) => supplierEvents.onSupplierEvents(messages),
    );
  }

  /** Hands `envelope` to `consumes` as the Kafka transport would, and returns the SKU work it produced. */
  async consume(consumes: Consumes, envelope: EnvelopeOfType<ConsumedMessage['envelope']['type']>, delivery: Delivery): Promise<SkuWork[]> {
    const before = this.skus.work.length;
    await consumes([{ envelope, topic: delivery.topic, partition: 0, offset: '0', key: delivery.key, headers: {} }]);
    return this.skus.work.slice(before);
  }

  async stop(): Promise<void> {
    await this.dataSource?.destroy();
    await this.database?.drop();
  }
}

/**
 * A pact file's consumer side: inventory's contract with `provider`, and an InventoryConsumer (started before the
 * file's tests, stopped after them) to check each message on.
 */
export class InventoryPact {
  readonly contract: MessageConsumerContract;
  private consumer?: InventoryConsumer;

  constructor(provider: string) {
    this.contract = MessageConsumerContract.of('inventory-service', provider);
    beforeAll(async () => {
      this.consumer = await InventoryConsumer.start();
    }, 60_000);
    afterAll(() => this.consumer?.stop(), 60_000);
  }

  get inventory(): InventoryConsumer {
    if (!this.consumer) throw new Error('the InventoryConsumer starts in beforeAll: use it inside a test');
    return this.consumer;
  }

  /**
   * Records `message` once inventory's `controller`, handed the example, gives the SKU pipeline exactly `commands`
   * (each on the SKU named with it), all caused by the message in its flow.
   */
  expectCommands<T extends MessageType>(
    message: MessageExpectation<T>,
    controller: 'orderEvents' | 'supplierEvents',
    commands: [sku: string, command: unknown][],
  ): Promise<void> {
    return this.contract.expect(message, async (envelope, delivery) => {
      const cause = causeOf(envelope);
      expect(await this.inventory.consume(this.inventory[controller], envelope, delivery)).toEqual(
        commands.map(([id, command]) => ({ id, command, cause })),
      );
    });
  }
}
