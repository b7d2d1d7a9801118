import { TOPICS } from '@fulfillment/contracts';
import type { Work } from '@fulfillment/eventstore';
import type { OrderCommand, OrderState } from '@fulfillment/order-domain';
import { ServicePipeline } from '@fulfillment/platform';
import { orderAggregate } from './order.aggregate.js';
import { publishOrderEvents } from './order-events.mapper.js';
import { OrderViewRepository } from './order-views.repository.js';

export type OrderWork = Work<OrderCommand, OrderState>;

/** Every write to an order, from HTTP and from Kafka: the shared pipeline with the order's mapper and view. */
export class OrderPipeline extends ServicePipeline({
  aggregate: orderAggregate,
  topic: TOPICS.orderEvents,
  publish: publishOrderEvents,
  readModel: OrderViewRepository,
}) {}
