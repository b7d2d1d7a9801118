import { Module } from '@nestjs/common';
import { CancelOrderHttpController } from './cancel-order/cancel-order.http.controller.js';
import { CancelOrderLineHttpController } from './cancel-order-line/cancel-order-line.http.controller.js';
import { GetOrderHttpController } from './get-order/get-order.http.controller.js';
import { InventoryEventsKafkaController } from './inventory-events/inventory-events.kafka.controller.js';
import { OrderCommandsKafkaController } from './order-commands/order-commands.kafka.controller.js';
import { OrderHistoryHttpController } from './order-history/order-history.http.controller.js';
import { OrderPipeline } from './order/order.pipeline.js';
import { OrderViewRepository } from './order/order-views.repository.js';
import { PlaceOrderHttpController } from './place-order/place-order.http.controller.js';
import { ShipOrderHttpController } from './ship-order/ship-order.http.controller.js';
import { SubstituteOrderLineHttpController } from './substitute-order-line/substitute-order-line.http.controller.js';

/** The runtime reaches the providers through the platform's global tokens (RUNTIME, EVENT_STORE, PG_POOL, ...). */
@Module({
  controllers: [
    PlaceOrderHttpController,
    GetOrderHttpController,
    CancelOrderHttpController,
    ShipOrderHttpController,
    CancelOrderLineHttpController,
    SubstituteOrderLineHttpController,
    OrderHistoryHttpController,
    OrderCommandsKafkaController,
    InventoryEventsKafkaController,
  ],
  providers: [OrderViewRepository, OrderPipeline],
})
export class OrderModule {}
