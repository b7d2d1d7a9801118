import { Inject, Injectable } from '@nestjs/common';
import { TOPICS } from '@fulfillment/contracts';
import { CommandPipeline, type PostgresEventStore, type Work } from '@fulfillment/eventstore';
import { EVENT_STORE, RUNTIME, type ServiceRuntime } from '@fulfillment/platform';
import type {
  PurchaseOrderCommand,
  PurchaseOrderEvent,
  PurchaseOrderState,
  ReceiveUnplanned,
  UnplannedReceiptsState,
  UnplannedRestockReceived,
} from '@fulfillment/supplier-domain';
import { purchaseOrderAggregate, unplannedReceiptsAggregate } from './purchase-order.aggregate.js';
import { PurchaseOrdersRepository } from './purchase-orders.repository.js';
import { publishSupplierEvents } from './supplier-events.mapper.js';

export type PurchaseOrderWork = Work<PurchaseOrderCommand, PurchaseOrderState>;
export type UnplannedReceiptWork = Work<ReceiveUnplanned, UnplannedReceiptsState>;

/** Every write to a purchase order, from HTTP and from Kafka, with the purchase-order listing kept in step. */
@Injectable()
export class PurchaseOrderPipeline extends CommandPipeline<PurchaseOrderCommand, PurchaseOrderEvent, PurchaseOrderState> {
  constructor(@Inject(EVENT_STORE) store: PostgresEventStore, @Inject(RUNTIME) rt: ServiceRuntime, listing: PurchaseOrdersRepository) {
    super(store, {
      aggregate: purchaseOrderAggregate,
      publish: publishSupplierEvents(rt.topics.name(TOPICS.supplierEvents)),
      project: (tx, changed) => listing.save(tx, changed),
    });
  }
}

/** Receipts outside purchase orders. */
@Injectable()
export class UnplannedReceiptsPipeline extends CommandPipeline<ReceiveUnplanned, UnplannedRestockReceived, UnplannedReceiptsState> {
  constructor(@Inject(EVENT_STORE) store: PostgresEventStore, @Inject(RUNTIME) rt: ServiceRuntime) {
    super(store, { aggregate: unplannedReceiptsAggregate, publish: publishSupplierEvents(rt.topics.name(TOPICS.supplierEvents)) });
  }
}
