import { Controller, Get, Param } from '@nestjs/common';
import { ZodValidationPipe } from '@fulfillment/platform';
import { idParam } from '../upstream/id-param.js';
import { OperatorOf, type Operator } from '../upstream/operator.js';
import { segment, UpstreamClient } from '../upstream/upstream.client.js';
import { timelineOf, type NotificationEntry, type OrderAnswer, type OrderEventEntry } from './order-timeline.view.js';

@Controller('api/orders')
export class OrderTimelineHttpController {
  constructor(private readonly upstream: UpstreamClient) {}

  /** The order, its events and what its customer was told about it, in time order. */
  @Get(':orderId/timeline')
  async timeline(@Param('orderId', new ZodValidationPipe(idParam, 'orderId')) orderId: string, @OperatorOf() operator: Operator) {
    const [order, events] = await Promise.all([
      this.upstream.get<OrderAnswer>('order', `/orders/${segment(orderId)}`, operator),
      this.upstream.get<OrderEventEntry[]>('order', `/orders/${segment(orderId)}/events`, operator),
    ]);
    const notifications = await this.upstream.tryGet<NotificationEntry[]>('notification', `/customers/${segment(order.customerId)}/notifications`, operator);
    return notifications.ok ? timelineOf(order, events, notifications.body) : timelineOf(order, events, null, notifications.error.message);
  }
}
