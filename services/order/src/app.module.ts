import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import type { ServiceRuntime } from '@fulfillment/platform';
import { CancelOrderHandler } from './cancel-order/cancel-order.handler.js';
import { CancelOrderHttpController } from './cancel-order/cancel-order.http.controller.js';
import { GetOrderHttpController } from './get-order/get-order.http.controller.js';
import { CorrelationIdMiddleware } from './http/correlation-id.js';
import { InventoryEventsKafkaController } from './inventory-events/inventory-events.kafka.controller.js';
import { OrderCommandsKafkaController } from './order-commands/order-commands.kafka.controller.js';
import { OrderHistoryHttpController } from './order-history/order-history.http.controller.js';
import { OrderBatchHandler } from './order-store/order-batch.handler.js';
import { OrderCommandProcessor } from './order-store/order-command.processor.js';
import { OrderViewRepository } from './order-store/order-view.repository.js';
import { IdempotencyKeyRepository } from './place-order/idempotency-key.repository.js';
import { PlaceOrderHandler } from './place-order/place-order.handler.js';
import { PlaceOrderHttpController } from './place-order/place-order.http.controller.js';

@Module({})
export class OrderModule implements NestModule {
  // The runtime reaches the providers through the platform's global tokens (RUNTIME, EVENT_STORE, ...).
  static register(_rt: ServiceRuntime): DynamicModule {
    return {
      module: OrderModule,
      controllers: [
        PlaceOrderHttpController,
        GetOrderHttpController,
        CancelOrderHttpController,
        OrderHistoryHttpController,
        OrderCommandsKafkaController,
        InventoryEventsKafkaController,
      ],
      providers: [
        OrderViewRepository,
        OrderCommandProcessor,
        OrderBatchHandler,
        IdempotencyKeyRepository,
        PlaceOrderHandler,
        CancelOrderHandler,
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(CorrelationIdMiddleware).forRoutes('orders');
  }
}
