// What each command does and emits, and what the shell must map: README.md of this library.
export {
  defaultConfiguration,
  evolve,
  initialState,
  isHoldingPreorders,
  lineKey,
  queuedLineOf,
  reservationOf,
  type BackInStock,
  type BackorderAllocated,
  type BackorderEtaChanged,
  type BackorderQueued,
  type BackorderReleased,
  type EndedHold,
  type LineRef,
  type LineReservation,
  type OpenPurchaseOrder,
  type PurchaseOrderEtaChanged,
  type PurchaseOrderRegistered,
  type QueuedLine,
  type ReplenishmentReason,
  type ReplenishmentRequested,
  type ReplenishmentUnplanned,
  type ReservationReleased,
  type RestockReceived,
  type SkuConfiguration,
  type SkuConfigured,
  type SkuEvent,
  type SkuEventType,
  type SkuReleased,
  type SkuState,
  type StockAdjusted,
  type StockReserved,
  type StockShipped,
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
  type RecordReplenishmentUnplanned,
  type RegisterPurchaseOrder,
  type ShipOrderLine,
  type SkuCommand,
  type SkuCommandType,
  type SweepBackorders,
} from './sku.decide.js';
export {
  available,
  backordered,
  heldLines,
  incoming,
  nextSweepAt,
  queuedLines,
  reserved,
  skuView,
  stockPosition,
  type SkuView,
} from './sku.views.js';
export { promisedDates } from './promised-dates.js';
export { evolveAll } from './evolve-all.js';
export type { SortedMap, SortedMapKey, SortedMapNode } from './sorted-map.js';
export {
  InventoryDomainError,
  isInventoryDomainError,
  type InventoryErrorCode,
  type InventoryErrorKind,
} from './inventory-domain.error.js';
export type { IsoInstant } from '@fulfillment/time';

/** The event-store stream that holds one SKU's events. */
export const skuStreamName = (sku: string): string => `sku-${sku}`;
