import { decide } from './purchase-order.decide.js';
import { evolve, initialState } from './purchase-order.js';
import { decideReplenishment } from './replenishment-requests.decide.js';
import { evolveReplenishment, initialReplenishmentState } from './replenishment-requests.js';

export { normalizeInstant, type IsoInstant } from '@fulfillment/time';
export {
  evolve,
  initialState,
  isPlaced,
  purchaseOrderStreamName,
  purchaseOrderView,
  remainingOnOrder,
  type PlacedPurchaseOrder,
  type PurchaseOrderEtaChanged,
  type PurchaseOrderEvent,
  type PurchaseOrderPlaced,
  type PurchaseOrderReason,
  type PurchaseOrderReceived,
  type PurchaseOrderState,
  type PurchaseOrderStatus,
  type PurchaseOrderView,
} from './purchase-order.js';
export {
  decide,
  type ChangePurchaseOrderEta,
  type PlacePurchaseOrder,
  type PurchaseOrderCommand,
  type ReceivePurchaseOrder,
} from './purchase-order.decide.js';
export { planReplenishment, type ReplenishmentRequest } from './replenishment.policy.js';
export {
  receiveUnplanned,
  skuReceiptsStreamName,
  unplannedReceiptsDecider,
  type ReceiveUnplanned,
  type UnplannedReceiptsState,
  type UnplannedRestockReceived,
} from './unplanned-receipt.js';
export {
  evolveReplenishment,
  initialReplenishmentState,
  NO_LEAD_TIME,
  openRequests,
  RECENT_REQUESTS_KEPT,
  replenishmentStreamName,
  type AnswerKind,
  type OpenRequest,
  type ReplenishmentEvent,
  type ReplenishmentRequestAnswered,
  type ReplenishmentRequestRecorded,
  type ReplenishmentState,
  type ReplenishmentUnplanned,
} from './replenishment-requests.js';
export {
  decideReplenishment,
  type AnswerReplenishmentRequests,
  type RecordReplenishmentRequest,
  type ReplenishmentCommand,
} from './replenishment-requests.decide.js';
export {
  isSupplierDomainError,
  SupplierDomainError,
  type SupplierErrorCode,
  type SupplierErrorKind,
} from './supplier-domain.error.js';

/** The three functions an event-sourced command handler needs (emmett's `DeciderCommandHandler` shape). */
export const purchaseOrderDecider = { decide, evolve, initialState } as const;

/** The replenishment requests of one SKU (stream `replenishment-<sku>`), as a decider. */
export const replenishmentDecider = {
  decide: decideReplenishment,
  evolve: evolveReplenishment,
  initialState: initialReplenishmentState,
} as const;
