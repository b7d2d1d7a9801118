import { Module } from '@nestjs/common';
import { ChangePurchaseOrderEtaHttpController } from './change-purchase-order-eta/change-purchase-order-eta.http.controller.js';
import { PlacePurchaseOrderHttpController } from './place-purchase-order/place-purchase-order.http.controller.js';
import { PurchaseOrderPipeline, UnplannedReceiptsPipeline } from './purchase-order/purchase-order.pipeline.js';
import { PurchaseOrdersRepository } from './purchase-order/purchase-orders.repository.js';
import { PurchaseOrderQueries } from './query-purchase-orders/purchase-order.queries.js';
import { QueryPurchaseOrdersHttpController } from './query-purchase-orders/query-purchase-orders.http.controller.js';
import { QueryReplenishmentRequestsHttpController } from './query-replenishment-requests/query-replenishment-requests.http.controller.js';
import { ReceiveRestockHttpController } from './receive-restock/receive-restock.http.controller.js';
import { ReceiveRestockKafkaController } from './receive-restock/receive-restock.kafka.controller.js';
import { ReplenishmentRequestedKafkaController } from './replenish/replenishment-requested.kafka.controller.js';
import { ReplenishmentPipeline } from './replenishment-request/replenishment.pipeline.js';
import { ReplenishmentRequestsRepository } from './replenishment-request/replenishment-requests.repository.js';

/** The runtime reaches the providers through the platform's global tokens (RUNTIME, EVENT_STORE, PG_POOL, ...). */
@Module({
  controllers: [
    PlacePurchaseOrderHttpController,
    ChangePurchaseOrderEtaHttpController,
    ReceiveRestockHttpController,
    QueryPurchaseOrdersHttpController,
    ReceiveRestockKafkaController,
    ReplenishmentRequestedKafkaController,
    QueryReplenishmentRequestsHttpController,
  ],
  providers: [
    PurchaseOrdersRepository,
    PurchaseOrderPipeline,
    UnplannedReceiptsPipeline,
    PurchaseOrderQueries,
    ReplenishmentRequestsRepository,
    ReplenishmentPipeline,
  ],
})
export class SupplierModule {}
