import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { PostgresEventStore } from '@fulfillment/eventstore';
import { isOrderDomainError, isPlaced, orderView, type OrderView } from '@fulfillment/order-domain';
import { EVENT_STORE } from '@fulfillment/platform';
import { OrderCommandProcessor } from '../order-store/order-command.processor.js';
import type { Cause } from '../order-store/order-events.mapper.js';
import { cancelOrderCommand } from './cancel-order.command.js';

@Injectable()
export class CancelOrderHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    private readonly orders: OrderCommandProcessor,
  ) {}

  /** The order's view once cancelled (cancelling a cancelled order changes nothing and answers the same). */
  async cancel(orderId: string, reason: string, cause: Cause): Promise<{ view: OrderView; changed: boolean }> {
    const now = new Date().toISOString();
    try {
      const outcomes = await this.store.transaction((tx) =>
        this.orders.apply(tx, [{ orderId, command: cancelOrderCommand(orderId, reason, now), occurredAt: now, cause }]),
      );
      const { state, appended } = outcomes.get(orderId)!;
      if (!isPlaced(state)) throw new Error(`order ${orderId} has no state after its cancellation`);
      return { view: orderView(state)!, changed: appended > 0 };
    } catch (error) {
      if (isOrderDomainError(error) && error.kind === 'not-found') {
        throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `order ${orderId} not found` });
      }
      throw error;
    }
  }
}
