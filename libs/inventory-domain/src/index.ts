export {
  defaultConfiguration,
  evolve,
  initialState,
  type BackInStock,
  type BackorderAllocated,
  type BackorderEtaChanged,
  type BackorderQueued,
  type BackorderReleased,
  type LineRef,
  type LineReservation,
  type OpenPurchaseOrder,
  type PurchaseOrderEtaChanged,
  type PurchaseOrderRegistered,
  type QueuedLine,
  type ReplenishmentReason,
  type ReplenishmentRequested,
  type ReservationReleased,
  type RestockReceived,
  type SkuConfiguration,
  type SkuConfigured,
  type SkuEvent,
  type SkuEventType,
  type SkuState,
  type StockAdjusted,
  type StockReserved,
  type StockUnavailable,
  type UnavailableReason,
} from './sku.js';
export {
  decide,
  type AdjustStock,
  type AllocateOrderLine,
  type CancelOrderLine,
  type ChangePurchaseOrderEta,
  type ConfigureSku,
  type ReceiveRestock,
  type RegisterPurchaseOrder,
  type SkuCommand,
  type SkuCommandType,
} from './sku.decide.js';
export { available, backordered, incoming, reserved, skuView, stockPosition, type SkuView } from './sku.views.js';
export { promisedDates } from './promised-dates.js';
export { evolveAll } from './evolve-all.js';
export {
  InventoryDomainError,
  isInventoryDomainError,
  type InventoryErrorCode,
  type InventoryErrorKind,
} from './inventory-domain.error.js';
export type { IsoInstant } from '@fulfillment/time';

/** The event-store stream that holds one SKU's events. */
export const skuStreamName = (sku: string): string => `sku-${sku}`;
