import { Inject, Injectable } from '@nestjs/common';
import type { Outcome } from '@fulfillment/eventstore';
import type { OrderCommand, OrderEvent, OrderState } from '@fulfillment/order-domain';
import { LOGGER, submitCommand, type CommandContext } from '@fulfillment/platform';
import type { Logger } from 'pino';
import { orderNotFound } from './order-not-found.js';
import { OrderPipeline } from './order.pipeline.js';
import { OrderViewRepository } from './order-views.repository.js';

/**
 * What the routes that change a placed order share: one command on the order, made at the instant the request was
 * accepted, its answer recorded under the request's Idempotency-Key. A customer token reaches only its own orders
 * (anyone else's is a 404), and an order never placed is a 404 in the route's words.
 */
@Injectable()
export abstract class OrderCommandHttpController {
  constructor(
    protected readonly orders: OrderPipeline,
    protected readonly views: OrderViewRepository,
    @Inject(LOGGER) protected readonly logger: Logger,
  ) {}

  protected async submit<B>(
    context: CommandContext,
    orderId: string,
    command: (now: string) => OrderCommand,
    answer: (outcome: Outcome<OrderCommand, OrderEvent, OrderState>) => B,
  ): Promise<B> {
    await this.views.ensureVisibleTo(context.caller, orderId);
    const now = new Date().toISOString();
    return submitCommand(this.orders, context, { id: orderId, command: command(now), at: now }, answer).catch(orderNotFound(orderId));
  }
}
