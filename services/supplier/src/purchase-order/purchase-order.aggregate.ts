import { storedEvents, type Aggregate } from '@fulfillment/eventstore';
import {
  purchaseOrderDecider,
  purchaseOrderStreamName,
  skuReceiptsStreamName,
  unplannedReceiptsDecider,
  type PurchaseOrderCommand,
  type PurchaseOrderEvent,
  type PurchaseOrderState,
  type ReceiveUnplanned,
  type UnplannedReceiptsState,
  type UnplannedRestockReceived,
} from '@fulfillment/supplier-domain';

/** A purchase order in the store: one short stream per purchase order. */
export const purchaseOrderAggregate: Aggregate<PurchaseOrderCommand, PurchaseOrderEvent, PurchaseOrderState> = {
  name: 'purchase-order',
  decider: purchaseOrderDecider,
  streamName: purchaseOrderStreamName,
  events: storedEvents<PurchaseOrderEvent>({ types: ['PurchaseOrderPlaced', 'PurchaseOrderEtaChanged', 'PurchaseOrderReceived'] }),
};

/** A SKU's receipts outside purchase orders: one stream per SKU. */
export const unplannedReceiptsAggregate: Aggregate<ReceiveUnplanned, UnplannedRestockReceived, UnplannedReceiptsState> = {
  name: 'unplanned-receipts',
  decider: unplannedReceiptsDecider,
  streamName: skuReceiptsStreamName,
  events: storedEvents<UnplannedRestockReceived>({ types: ['UnplannedRestockReceived'] }),
};
