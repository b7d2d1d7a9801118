import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import type { PostgresEventStore } from '@fulfillment/eventstore';
import { orderStreamName } from '@fulfillment/order-domain';
import { EVENT_STORE } from '@fulfillment/platform';
import { historyEntryOf, type OrderHistoryEntry } from './order-history.mapper.js';

@Controller('orders')
export class OrderHistoryHttpController {
  constructor(@Inject(EVENT_STORE) private readonly store: PostgresEventStore) {}

  /** Everything that happened to the order, oldest first. */
  @Get(':orderId/events')
  async history(@Param('orderId') orderId: string): Promise<OrderHistoryEntry[]> {
    const events = await this.store.readStream(orderStreamName(orderId));
    if (events.length === 0) {
      throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `order ${orderId} not found` });
    }
    return events.map(historyEntryOf);
  }
}
