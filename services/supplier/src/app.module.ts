import { Module, type DynamicModule } from '@nestjs/common';
import type { ServiceRuntime } from '@fulfillment/platform';
import { ChangePurchaseOrderEtaHandler } from './change-purchase-order-eta/change-purchase-order-eta.handler.js';
import { ChangePurchaseOrderEtaHttpController } from './change-purchase-order-eta/change-purchase-order-eta.http.controller.js';
import { PlacePurchaseOrderHandler } from './place-purchase-order/place-purchase-order.handler.js';
import { PlacePurchaseOrderHttpController } from './place-purchase-order/place-purchase-order.http.controller.js';
import { PurchaseOrderQueries } from './query-purchase-orders/purchase-order.queries.js';
import { QueryPurchaseOrdersHttpController } from './query-purchase-orders/query-purchase-orders.http.controller.js';
import { ReceiveRestockHandler } from './receive-restock/receive-restock.handler.js';
import { ReceiveRestockHttpController } from './receive-restock/receive-restock.http.controller.js';
import { ReceiveRestockKafkaController } from './receive-restock/receive-restock.kafka.controller.js';
import { ReplenishHandler } from './replenish/replenish.handler.js';
import { ReplenishmentRequestedKafkaController } from './replenish/replenishment-requested.kafka.controller.js';
import { PurchaseOrdersRepository } from './shared/purchase-orders.repository.js';
import { SupplierTransactions } from './shared/supplier-transactions.js';

@Module({})
export class SupplierModule {
  // The runtime reaches providers through the platform's global RUNTIME token; the parameter keeps the shape
  // every service module shares.
  static register(_rt: ServiceRuntime): DynamicModule {
    return {
      module: SupplierModule,
      controllers: [
        PlacePurchaseOrderHttpController,
        ChangePurchaseOrderEtaHttpController,
        ReceiveRestockHttpController,
        QueryPurchaseOrdersHttpController,
        ReceiveRestockKafkaController,
        ReplenishmentRequestedKafkaController,
      ],
      providers: [
        PurchaseOrdersRepository,
        SupplierTransactions,
        PlacePurchaseOrderHandler,
        ChangePurchaseOrderEtaHandler,
        ReceiveRestockHandler,
        ReplenishHandler,
        PurchaseOrderQueries,
      ],
    };
  }
}
