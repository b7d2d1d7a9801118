import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fulfillment/contracts';
import { Inbox } from '@fulfillment/eventstore';
import { BatchEventPattern, type ConsumedMessage } from '@fulfillment/messaging';
import { OrderBatchHandler } from '../order-store/order-batch.handler.js';
import { isOrderCommand, orderWorkOfCommand } from './order-commands.mapper.js';

@Controller()
export class OrderCommandsKafkaController {
  private readonly inbox = new Inbox('order-service:order.commands');

  constructor(private readonly batches: OrderBatchHandler) {}

  @BatchEventPattern(TOPICS.orderCommands)
  async onOrderCommands(@Payload() messages: ConsumedMessage[]): Promise<void> {
    await this.batches.handle(this.inbox, messages, (envelope, now) =>
      isOrderCommand(envelope) ? orderWorkOfCommand(envelope, now) : null,
    );
  }
}
