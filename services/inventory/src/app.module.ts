import { Module, type DynamicModule } from '@nestjs/common';
import { TOPICS } from '@fulfillment/contracts';
import { Inbox } from '@fulfillment/eventstore';
import type { ServiceRuntime } from '@fulfillment/platform';
import { AdjustStockHttpController } from './adjust-stock/adjust-stock.http.controller.js';
import { ConfigureSkuHttpController } from './configure-sku/configure-sku.http.controller.js';
import { GetSkuHttpController } from './get-sku/get-sku.http.controller.js';
import { OrderEventsHandler } from './order-events/order-events.handler.js';
import { OrderEventsKafkaController } from './order-events/order-events.kafka.controller.js';
import { OrderLinesRepository } from './order-events/order-lines.repository.js';
import { SkuCommandsHandler } from './sku/sku-commands.handler.js';
import { SkuRepository } from './sku/sku.repository.js';
import { SupplierEventsHandler } from './supplier-events/supplier-events.handler.js';
import { SupplierEventsKafkaController } from './supplier-events/supplier-events.kafka.controller.js';

/** Inbox consumer name: envelope ids are unique across topics, so one name serves both consumed topics. */
export const INBOX_CONSUMER = 'inventory';

@Module({})
export class InventoryModule {
  static register(rt: ServiceRuntime): DynamicModule {
    const logger = rt.logger.child({ component: 'inventory' });
    const skus = new SkuRepository(rt.store);
    const commands = new SkuCommandsHandler(rt.store, skus, rt.topics.name(TOPICS.inventoryEvents), logger);
    const inbox = new Inbox(INBOX_CONSUMER);
    return {
      module: InventoryModule,
      controllers: [
        ConfigureSkuHttpController,
        AdjustStockHttpController,
        GetSkuHttpController,
        OrderEventsKafkaController,
        SupplierEventsKafkaController,
      ],
      providers: [
        { provide: SkuRepository, useValue: skus },
        { provide: SkuCommandsHandler, useValue: commands },
        {
          provide: OrderEventsHandler,
          useValue: new OrderEventsHandler(rt.store, inbox, new OrderLinesRepository(), commands, logger),
        },
        { provide: SupplierEventsHandler, useValue: new SupplierEventsHandler(rt.store, inbox, commands, logger) },
      ],
    };
  }
}
