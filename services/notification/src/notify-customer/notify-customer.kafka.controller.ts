import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS } from '@fulfillment/contracts';
import { BatchEventPattern, ConsumeOnce, type ConsumedMessage } from '@fulfillment/messaging';
import { NOTIFICATION_INPUT_TYPES, type Notification } from '@fulfillment/notification-domain';
import { NotifyCustomerHandler } from './notify-customer.handler.js';

/**
 * Every consumed topic goes to the same handler: what the customer is told depends on the event type, not on where it
 * came from. supplier.events carries nothing the domain reacts to today (a purchase order's new date reaches
 * customers as inventory's BackorderEtaChanged, which names the order line), so its batches are acknowledged without
 * effect; it is consumed so that a supplier event the domain learns to tell about needs no new subscription. Types the
 * domain ignores are skipped by the consumer unread: they cost neither validation, a transaction nor an inbox row.
 */
@Controller()
export class NotifyCustomerKafkaController {
  constructor(
    private readonly once: ConsumeOnce,
    private readonly handler: NotifyCustomerHandler,
  ) {}

  @BatchEventPattern(TOPICS.orderEvents, { types: NOTIFICATION_INPUT_TYPES })
  onOrderEvents(@Payload() messages: ConsumedMessage[]): Promise<void> {
    return this.consume(messages);
  }

  @BatchEventPattern(TOPICS.inventoryEvents, { types: NOTIFICATION_INPUT_TYPES })
  onInventoryEvents(@Payload() messages: ConsumedMessage[]): Promise<void> {
    return this.consume(messages);
  }

  @BatchEventPattern(TOPICS.supplierEvents, { types: NOTIFICATION_INPUT_TYPES })
  onSupplierEvents(@Payload() messages: ConsumedMessage[]): Promise<void> {
    return this.consume(messages);
  }

  private async consume(messages: ConsumedMessage[]): Promise<void> {
    let notifications: Notification[] = [];
    await this.once.run(messages, {
      commands: (fresh) => fresh.map((message) => message.envelope),
      execute: async (tx, envelopes) => {
        notifications = await this.handler.apply(tx, envelopes);
      },
    });
    this.handler.count(notifications);
  }
}
