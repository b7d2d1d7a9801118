import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fulfillment/contracts';
import { BatchEventPattern, type ConsumedMessage } from '@fulfillment/messaging';
import { ReplenishHandler } from './replenish.handler.js';

@Controller()
export class ReplenishmentRequestedKafkaController {
  constructor(private readonly handler: ReplenishHandler) {}

  /** Of inventory's events only ReplenishmentRequested concerns the supplier; the rest are acknowledged unread. */
  @BatchEventPattern(TOPICS.inventoryEvents)
  async onInventoryEvents(@Payload() messages: ConsumedMessage[]): Promise<void> {
    const requests = messages.flatMap(({ envelope }) =>
      envelope.type === 'ReplenishmentRequested' ? [envelope] : [],
    );
    if (requests.length > 0) await this.handler.replenish(requests);
  }
}
