import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fulfillment/contracts';
import { Inbox } from '@fulfillment/eventstore';
import { BatchEventPattern, type ConsumedMessage } from '@fulfillment/messaging';
import { OrderBatchHandler } from '../order-store/order-batch.handler.js';
import { isInventoryOutcome, orderWorkOfOutcome } from './inventory-events.mapper.js';

@Controller()
export class InventoryEventsKafkaController {
  private readonly inbox = new Inbox('order-service:inventory.events');

  constructor(private readonly batches: OrderBatchHandler) {}

  @BatchEventPattern(TOPICS.inventoryEvents)
  async onInventoryEvents(@Payload() messages: ConsumedMessage[]): Promise<void> {
    await this.batches.handle(this.inbox, messages, (envelope, now) =>
      isInventoryOutcome(envelope) ? orderWorkOfOutcome(envelope, now) : null,
    );
  }
}
