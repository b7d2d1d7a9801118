import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fulfillment/contracts';
import { BatchEventPattern, type ConsumedMessage } from '@fulfillment/messaging';
import { ReceiveRestockHandler } from './receive-restock.handler.js';

@Controller()
export class ReceiveRestockKafkaController {
  constructor(private readonly handler: ReceiveRestockHandler) {}

  @BatchEventPattern(TOPICS.supplierCommands)
  async onSupplierCommands(@Payload() messages: ConsumedMessage[]): Promise<void> {
    // ReceiveRestock is the only command of the topic's contract; the decoder has refused anything else.
    const commands = messages.flatMap(({ envelope }) =>
      envelope.type === 'ReceiveRestock' ? [envelope] : [],
    );
    if (commands.length > 0) await this.handler.receiveBatch(commands);
  }
}
