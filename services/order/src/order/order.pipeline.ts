import { Inject, Injectable } from '@nestjs/common';
import { TOPICS } from '@fulfillment/contracts';
import { CommandPipeline, type PostgresEventStore, type Work } from '@fulfillment/eventstore';
import type { OrderCommand, OrderEvent, OrderState } from '@fulfillment/order-domain';
import { EVENT_STORE, RUNTIME, type ServiceRuntime } from '@fulfillment/platform';
import { orderAggregate } from './order.aggregate.js';
import { publishOrderEvents } from './order-events.mapper.js';
import { OrderViewRepository } from './order-views.repository.js';

export type OrderWork = Work<OrderCommand, OrderState>;

/** Every write to an order, from HTTP and from Kafka: the shared pipeline with the order's mapper and view. */
@Injectable()
export class OrderPipeline extends CommandPipeline<OrderCommand, OrderEvent, OrderState> {
  constructor(@Inject(EVENT_STORE) store: PostgresEventStore, @Inject(RUNTIME) rt: ServiceRuntime, views: OrderViewRepository) {
    super(store, {
      aggregate: orderAggregate,
      publish: publishOrderEvents(rt.topics.name(TOPICS.orderEvents)),
      project: (tx, changed) => views.save(tx, changed),
    });
  }
}
