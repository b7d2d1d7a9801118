import { decide } from './order.decide.js';
import { evolve, initialState } from './order.js';

export {
  deriveOrderStatus,
  evolve,
  initialState,
  isPlaced,
  orderStreamName,
  orderView,
  pendingUnits,
  type LineAllocated,
  type LineBackordered,
  type LineEtaChanged,
  type LineReleased,
  type LineReserved,
  type LineUnavailable,
  type OrderCancelled,
  type OrderEvent,
  type OrderLine,
  type OrderLineView,
  type OrderPlaced,
  type OrderState,
  type OrderStatus,
  type OrderStatusChanged,
  type OrderView,
  type PlacedLine,
  type PlacedOrder,
  type ReleasedFrom,
} from './order.js';
export {
  decide,
  type CancelOrder,
  type InventoryOutcome,
  type OrderCommand,
  type OrderLineRequest,
  type PlaceOrder,
  type RecordBackorderAllocated,
  type RecordBackorderEtaChanged,
  type RecordBackorderQueued,
  type RecordBackorderReleased,
  type RecordStockReleased,
  type RecordStockReserved,
  type RecordStockUnavailable,
} from './order.decide.js';
export { normalizeInstant, type IsoInstant } from '@fulfillment/time';
export { isOrderDomainError, OrderDomainError, type OrderErrorCode, type OrderErrorKind } from './order.errors.js';

/** The three functions an event-sourced command handler needs (emmett's `DeciderCommandHandler` shape). */
export const orderDecider = { decide, evolve, initialState } as const;
