import { TOPICS } from '@fulfillment/contracts';
import type { Work } from '@fulfillment/eventstore';
import { ServicePipeline } from '@fulfillment/platform';
import type { PurchaseOrderCommand, PurchaseOrderState, ReceiveUnplanned, UnplannedReceiptsState } from '@fulfillment/supplier-domain';
import { purchaseOrderAggregate, unplannedReceiptsAggregate } from './purchase-order.aggregate.js';
import { PurchaseOrdersRepository } from './purchase-orders.repository.js';
import { publishSupplierEvents } from './supplier-events.mapper.js';

export type PurchaseOrderWork = Work<PurchaseOrderCommand, PurchaseOrderState>;
export type UnplannedReceiptWork = Work<ReceiveUnplanned, UnplannedReceiptsState>;

/** Every write to a purchase order, from HTTP and from Kafka, with the purchase-order listing kept in step. */
export class PurchaseOrderPipeline extends ServicePipeline({
  aggregate: purchaseOrderAggregate,
  topic: TOPICS.supplierEvents,
  publish: publishSupplierEvents,
  readModel: PurchaseOrdersRepository,
}) {}

/** Receipts outside purchase orders. */
export class UnplannedReceiptsPipeline extends ServicePipeline({
  aggregate: unplannedReceiptsAggregate,
  topic: TOPICS.supplierEvents,
  publish: publishSupplierEvents,
}) {}
