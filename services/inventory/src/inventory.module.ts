import { Module } from '@nestjs/common';
import { AdjustStockHttpController } from './adjust-stock/adjust-stock.http.controller.js';
import { ConfigureSkuHttpController } from './configure-sku/configure-sku.http.controller.js';
import { GetSkuHttpController } from './get-sku/get-sku.http.controller.js';
import { OrderEventsKafkaController } from './order-events/order-events.kafka.controller.js';
import { OrderLinesRepository } from './order-events/order-lines.repository.js';
import { SkuPipeline } from './sku/sku.pipeline.js';
import { SupplierEventsKafkaController } from './supplier-events/supplier-events.kafka.controller.js';

/** The runtime reaches the providers through the platform's global tokens (RUNTIME, EVENT_STORE, PG_POOL, ...). */
@Module({
  controllers: [
    ConfigureSkuHttpController,
    AdjustStockHttpController,
    GetSkuHttpController,
    OrderEventsKafkaController,
    SupplierEventsKafkaController,
  ],
  providers: [SkuPipeline, OrderLinesRepository],
})
export class InventoryModule {}
