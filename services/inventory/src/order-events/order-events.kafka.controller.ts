import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fulfillment/contracts';
import { BatchEventPattern, type ConsumedMessage } from '@fulfillment/messaging';
import { OrderEventsHandler } from './order-events.handler.js';

@Controller()
export class OrderEventsKafkaController {
  constructor(private readonly handler: OrderEventsHandler) {}

  @BatchEventPattern(TOPICS.orderEvents)
  async onOrderEvents(@Payload() messages: ConsumedMessage[]): Promise<void> {
    await this.handler.handle(messages);
  }
}
