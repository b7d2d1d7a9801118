// The published events this domain reacts to, as the notification service hands them over after decoding and
// validating the CloudEvents envelope. They mirror the shapes of docs/domain-rules.md on purpose but are declared here, so a change
// to the wire contract has to pass through the service's explicit mapper before it can reach the domain.

import type { OrderLineView, OrderStatus } from '@fulfillment/kernel';

export type { OrderStatus };

export type { OrderLineView };

export interface OrderPlacedData {
  readonly orderId: string;
  readonly customerId: string;
  readonly email?: string | null;
  readonly lines: readonly { readonly lineId: string; readonly sku: string; readonly quantity: number }[];
  readonly placedAt: string;
  readonly shipping?: 'as-available' | 'when-complete';
}

export interface OrderStatusChangedData {
  readonly orderId: string;
  readonly customerId: string;
  readonly status: OrderStatus;
  readonly lines: readonly OrderLineView[];
}

export interface OrderCancelledData {
  readonly orderId: string;
  readonly customerId: string;
  readonly reason: string;
}

export interface BackorderQueuedData {
  readonly sku: string;
  readonly orderId: string;
  readonly lineId: string;
  readonly customerId: string;
  readonly quantity: number;
  readonly position: number;
  readonly expectedAt: string | null;
  /** True for a SKU before its release date: the customer is told `preordered` instead of `backordered`. Absent: false. */
  readonly preorder?: boolean;
  readonly substitutes?: readonly string[];
}

export interface BackorderAllocatedData {
  readonly sku: string;
  readonly orderId: string;
  readonly lineId: string;
  readonly customerId: string;
  readonly quantity: number;
  readonly remaining: number;
}

export interface BackorderEtaChangedData {
  readonly sku: string;
  readonly orderId: string;
  readonly lineId: string;
  readonly customerId: string;
  readonly previousExpectedAt: string | null;
  readonly expectedAt: string | null;
}

export interface StockUnavailableData {
  readonly sku: string;
  readonly orderId: string;
  readonly lineId: string;
  readonly customerId: string;
  readonly quantity: number;
  readonly substitutes: readonly string[];
}

/** Inventory let queued units go unserved; only `reason: 'expired'` concerns the customer (the rest they asked for). */
export interface BackorderReleasedData {
  readonly sku: string;
  readonly orderId: string;
  readonly lineId: string;
  readonly customerId: string;
  readonly quantity: number;
  readonly reason: string;
}

export interface ShipmentLine {
  readonly lineId: string;
  readonly sku: string;
  readonly quantity: number;
}

export interface OrderShippedData {
  readonly orderId: string;
  readonly customerId: string;
  readonly shipmentId: string;
  readonly lines: readonly ShipmentLine[];
  readonly carrier: string | null;
  readonly trackingId: string | null;
}

export interface OrderLineCancelledData {
  readonly orderId: string;
  readonly customerId: string;
  readonly lineId: string;
  readonly sku: string;
  readonly quantity: number;
  readonly reason: string;
}

export interface OrderLineSubstitutedData {
  readonly orderId: string;
  readonly customerId: string;
  readonly lineId: string;
  readonly newLineId: string;
  readonly sku: string;
  readonly substituteSku: string;
  readonly quantity: number;
  readonly waiting: number;
}

export interface BackInStockData {
  readonly sku: string;
  readonly available: number;
}

/** `eventId` is the envelope `id` (the de-duplication key), `occurredAt` the envelope `time`. */
interface Input<Type extends string, Data> {
  readonly type: Type;
  readonly eventId: string;
  readonly occurredAt: string;
  readonly data: Data;
}

export type NotificationInput =
  | Input<'OrderPlaced', OrderPlacedData>
  | Input<'OrderStatusChanged', OrderStatusChangedData>
  | Input<'OrderCancelled', OrderCancelledData>
  | Input<'BackorderQueued', BackorderQueuedData>
  | Input<'BackorderAllocated', BackorderAllocatedData>
  | Input<'BackorderEtaChanged', BackorderEtaChangedData>
  | Input<'StockUnavailable', StockUnavailableData>
  | Input<'BackorderReleased', BackorderReleasedData>
  | Input<'BackInStock', BackInStockData>
  | Input<'OrderShipped', OrderShippedData>
  | Input<'OrderLineCancelled', OrderLineCancelledData>
  | Input<'OrderLineSubstituted', OrderLineSubstitutedData>;

export type NotificationInputType = NotificationInput['type'];

const INPUT_TYPES: Readonly<Record<NotificationInputType, true>> = {
  OrderPlaced: true,
  OrderStatusChanged: true,
  OrderCancelled: true,
  BackorderQueued: true,
  BackorderAllocated: true,
  BackorderEtaChanged: true,
  StockUnavailable: true,
  BackorderReleased: true,
  BackInStock: true,
  OrderShipped: true,
  OrderLineCancelled: true,
  OrderLineSubstituted: true,
};

/** The event types the notification domain reacts to; the consumers skip every other type on their topics. */
export const NOTIFICATION_INPUT_TYPES: readonly NotificationInputType[] = Object.keys(INPUT_TYPES) as NotificationInputType[];

export function isNotificationInputType(type: string): type is NotificationInputType {
  return Object.hasOwn(INPUT_TYPES, type);
}
