import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fulfillment/contracts';
import { BatchEventPattern, type ConsumedMessage } from '@fulfillment/messaging';
import { SupplierEventsHandler } from './supplier-events.handler.js';

@Controller()
export class SupplierEventsKafkaController {
  constructor(private readonly handler: SupplierEventsHandler) {}

  @BatchEventPattern(TOPICS.supplierEvents)
  async onSupplierEvents(@Payload() messages: ConsumedMessage[]): Promise<void> {
    await this.handler.handle(messages);
  }
}
