import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fulfillment/contracts';
import { BatchEventPattern, ConsumeOnce, type ConsumedMessage } from '@fulfillment/messaging';
import { OrderPipeline } from '../order/order.pipeline.js';
import { isOrderCommand, orderWorkOfCommand, type OrderCommandEnvelope } from './order-commands.mapper.js';

/** `order.commands`: what other services ask of orders. */
@Controller()
export class OrderCommandsKafkaController {
  constructor(
    private readonly once: ConsumeOnce,
    private readonly orders: OrderPipeline,
  ) {}

  @BatchEventPattern(TOPICS.orderCommands)
  async onOrderCommands(@Payload() messages: ConsumedMessage[]): Promise<void> {
    await this.once.run(messages, {
      accepts: isOrderCommand,
      commands: (fresh) => {
        const now = new Date().toISOString();
        return fresh.map(({ envelope }) => orderWorkOfCommand(envelope as OrderCommandEnvelope, now));
      },
      execute: (tx, work) => this.orders.handle(tx, work),
    });
  }
}
