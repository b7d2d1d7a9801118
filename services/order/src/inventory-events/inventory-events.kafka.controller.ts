import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fulfillment/contracts';
import { BatchEventPattern, ConsumeOnce, type ConsumedMessage } from '@fulfillment/messaging';
import { OrderPipeline } from '../order/order.pipeline.js';
import { INVENTORY_OUTCOME_TYPES, orderWorkOfOutcome, type InventoryOutcomeEnvelope } from './inventory-events.mapper.js';

/** `inventory.events`: inventory's answers about order lines; the rest of the topic is not the order's business. */
@Controller()
export class InventoryEventsKafkaController {
  constructor(
    private readonly once: ConsumeOnce,
    private readonly orders: OrderPipeline,
  ) {}

  @BatchEventPattern(TOPICS.inventoryEvents, { types: INVENTORY_OUTCOME_TYPES })
  async onInventoryEvents(@Payload() messages: ConsumedMessage[]): Promise<void> {
    await this.once.run(messages, {
      commands: (fresh) => {
        const now = new Date().toISOString();
        return fresh.map(({ envelope }) => orderWorkOfOutcome(envelope as InventoryOutcomeEnvelope, now));
      },
      execute: (tx, work) => this.orders.handle(tx, work),
    });
  }
}
