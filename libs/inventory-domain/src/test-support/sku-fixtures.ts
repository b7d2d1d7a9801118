import type { SkuCommand } from '../sku.decide.js';
import {
  defaultConfiguration,
  type LineRef,
  type ReplenishmentReason,
  type SkuConfiguration,
  type SkuEvent,
  type UnavailableReason,
} from '../sku.js';

export const T0 = '2026-11-27T10:00:00.000Z';
export const T1 = '2026-11-27T11:00:00.000Z';
/** Midnight UTC of a day of December 2026 (January 2027 from day 32 on). */
export const dec = (day: number): string => new Date(Date.UTC(2026, 11, day)).toISOString();
/** `hours` after T0. */
export const at = (hours: number): string => new Date(Date.parse(T0) + hours * 3_600_000).toISOString();
export const DAY_HOURS = 24;

export const line = (n: number): LineRef => ({ orderId: `order-${n}`, lineId: `line-${n}`, customerId: `customer-${n}` });
export const L1 = line(1);
export const L2 = line(2);
export const L3 = line(3);
export const keyOf = ({ orderId, lineId }: LineRef) => ({ orderId, lineId });

export const event = {
  configured: (configuration: Partial<SkuConfiguration> = {}, when = T0): SkuEvent => ({
    type: 'SkuConfigured',
    data: { ...defaultConfiguration, ...configuration, at: when },
  }),
  adjusted: (delta: number, reason = 'stock count', when = T0): SkuEvent => ({
    type: 'StockAdjusted',
    data: { delta, reason, at: when },
  }),
  reserved: (l: LineRef, quantity: number, when = T0): SkuEvent => ({
    type: 'StockReserved',
    data: { ...l, quantity, at: when },
  }),
  queued: (
    l: LineRef,
    quantity: number,
    position: number,
    expectedAt: string | null,
    when = T0,
    { preorder = false, substitutes = [] as readonly string[] } = {},
  ): SkuEvent => ({
    type: 'BackorderQueued',
    data: { ...l, quantity, position, expectedAt, preorder, substitutes, at: when },
  }),
  allocated: (l: LineRef, quantity: number, remaining: number, when = T0): SkuEvent => ({
    type: 'BackorderAllocated',
    data: { ...l, quantity, remaining, at: when },
  }),
  etaChanged: (l: LineRef, previousExpectedAt: string | null, expectedAt: string | null, when = T0): SkuEvent => ({
    type: 'BackorderEtaChanged',
    data: { ...l, previousExpectedAt, expectedAt, at: when },
  }),
  backorderReleased: (l: LineRef, quantity: number, reason = 'customer request', when = T0): SkuEvent => ({
    type: 'BackorderReleased',
    data: { ...l, quantity, reason, at: when },
  }),
  reservationReleased: (l: LineRef, quantity: number, reason = 'customer request', when = T0): SkuEvent => ({
    type: 'ReservationReleased',
    data: { ...l, quantity, reason, at: when },
  }),
  shipped: (l: LineRef, quantity: number, when = T0): SkuEvent => ({
    type: 'StockShipped',
    data: { ...l, quantity, at: when },
  }),
  unavailable: (
    l: LineRef,
    quantity: number,
    reason: UnavailableReason,
    substitutes: readonly string[] = [],
    when = T0,
  ): SkuEvent => ({ type: 'StockUnavailable', data: { ...l, quantity, reason, substitutes, at: when } }),
  replenishment: (
    quantity: number,
    reason: ReplenishmentReason,
    leadTimeDays: number | null = null,
    when = T0,
  ): SkuEvent => ({ type: 'ReplenishmentRequested', data: { quantity, reason, leadTimeDays, at: when } }),
  unplanned: (quantity: number, when = T0): SkuEvent => ({ type: 'ReplenishmentUnplanned', data: { quantity, at: when } }),
  backInStock: (availableNow: number, when = T0): SkuEvent => ({
    type: 'BackInStock',
    data: { available: availableNow, at: when },
  }),
  poRegistered: (purchaseOrderId: string, quantity: number, expectedAt: string, when = T0): SkuEvent => ({
    type: 'PurchaseOrderRegistered',
    data: { purchaseOrderId, quantity, expectedAt, at: when },
  }),
  poEtaChanged: (purchaseOrderId: string, previousExpectedAt: string, expectedAt: string, when = T0): SkuEvent => ({
    type: 'PurchaseOrderEtaChanged',
    data: { purchaseOrderId, previousExpectedAt, expectedAt, at: when },
  }),
  received: (purchaseOrderId: string | null, quantity: number, remainingOnOrder: number | null, when = T0): SkuEvent => ({
    type: 'RestockReceived',
    data: { purchaseOrderId, quantity, remainingOnOrder, at: when },
  }),
  released: (releaseAt: string, when: string): SkuEvent => ({ type: 'SkuReleased', data: { releaseAt, at: when } }),
};

/**
 * A SKU configured with the defaults, waiting on `purchaseOrders` ([id, quantity, expected at]) with `lines` queued
 * in this order ([line, quantity, promised date]: positions 1, 2, ...).
 */
export const waitingOn = (
  purchaseOrders: readonly (readonly [string, number, string])[],
  lines: readonly (readonly [LineRef, number, string])[],
): SkuEvent[] => [
  event.configured(),
  ...purchaseOrders.map(([id, quantity, expectedAt]) => event.poRegistered(id, quantity, expectedAt)),
  ...lines.map(([l, quantity, expectedAt], index) => event.queued(l, quantity, index + 1, expectedAt)),
];

export const command = {
  configure: (
    configuration: Partial<Omit<SkuConfiguration, 'releaseAt'>> & { releaseAt?: string | null } = {},
    now = T0,
  ): SkuCommand => ({
    type: 'ConfigureSku',
    data: { ...configuration, now },
  }),
  allocate: (l: LineRef, quantity: number, now = T0): SkuCommand => ({
    type: 'AllocateOrderLine',
    data: { ...l, quantity, now },
  }),
  cancel: (l: LineRef, reason = 'customer request', now = T0, quantity?: number): SkuCommand => ({
    type: 'CancelOrderLine',
    data: { ...keyOf(l), reason, now, ...(quantity === undefined ? {} : { quantity }) },
  }),
  ship: (l: LineRef, quantity: number, now = T0): SkuCommand => ({
    type: 'ShipOrderLine',
    data: { ...keyOf(l), quantity, now },
  }),
  sweep: (now: string): SkuCommand => ({ type: 'SweepBackorders', data: { now } }),
  unplanned: (quantity: number, now = T0): SkuCommand => ({
    type: 'RecordReplenishmentUnplanned',
    data: { quantity, now },
  }),
  adjust: (delta: number, reason = 'stock count', now = T0): SkuCommand => ({
    type: 'AdjustStock',
    data: { delta, reason, now },
  }),
  registerPo: (purchaseOrderId: string, quantity: number, expectedAt: string, now = T0): SkuCommand => ({
    type: 'RegisterPurchaseOrder',
    data: { purchaseOrderId, quantity, expectedAt, now },
  }),
  changePoEta: (purchaseOrderId: string, expectedAt: string, now = T0): SkuCommand => ({
    type: 'ChangePurchaseOrderEta',
    data: { purchaseOrderId, expectedAt, now },
  }),
  receive: (purchaseOrderId: string | null, quantity: number, remainingOnOrder?: number, now = T0): SkuCommand => ({
    type: 'ReceiveRestock',
    data: { purchaseOrderId, quantity, now, ...(remainingOnOrder === undefined ? {} : { remainingOnOrder }) },
  }),
};
