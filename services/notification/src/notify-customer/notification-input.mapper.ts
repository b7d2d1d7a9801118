import type { AnyEnvelope, MessageData } from '@fulfillment/contracts';
import { orderLineView } from '@fulfillment/kernel';
import { isNotificationInputType, type NotificationInput, type NotificationInputType } from '@fulfillment/notification-domain';

type InputData<T extends NotificationInputType> = Extract<NotificationInput, { type: T }>['data'];
type InputEnvelope = Extract<AnyEnvelope, { type: NotificationInputType }>;

/** The line a per-line inventory event is about. */
const lineRef = (d: { sku: string; orderId: string; lineId: string; customerId: string }) => ({
  sku: d.sku,
  orderId: d.orderId,
  lineId: d.lineId,
  customerId: d.customerId,
});

const unitsOf = (lines: readonly { lineId: string; sku: string; quantity: number }[]) =>
  lines.map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: line.quantity }));

/** Per type the domain reacts to, the published data as the domain's input data, field by field. */
const TO_INPUT_DATA: { readonly [T in NotificationInputType]: (d: MessageData<T>) => InputData<T> } = {
  OrderPlaced: (d) => ({
    orderId: d.orderId,
    customerId: d.customerId,
    email: d.email ?? null,
    lines: unitsOf(d.lines),
    placedAt: d.placedAt,
    ...(d.shipping === undefined ? {} : { shipping: d.shipping }),
  }),
  OrderStatusChanged: (d) => ({
    orderId: d.orderId,
    customerId: d.customerId,
    status: d.status,
    lines: d.lines.map(orderLineView),
  }),
  OrderCancelled: (d) => ({ orderId: d.orderId, customerId: d.customerId, reason: d.reason }),
  BackorderQueued: (d) => ({
    ...lineRef(d),
    quantity: d.quantity,
    position: d.position,
    expectedAt: d.expectedAt,
    preorder: d.preorder,
    substitutes: [...d.substitutes],
  }),
  BackorderAllocated: (d) => ({ ...lineRef(d), quantity: d.quantity, remaining: d.remaining }),
  BackorderEtaChanged: (d) => ({ ...lineRef(d), previousExpectedAt: d.previousExpectedAt, expectedAt: d.expectedAt }),
  StockUnavailable: (d) => ({ ...lineRef(d), quantity: d.quantity, substitutes: [...d.substitutes] }),
  BackInStock: (d) => ({ sku: d.sku, available: d.available }),
  BackorderReleased: (d) => ({ ...lineRef(d), quantity: d.quantity, reason: d.reason }),
  OrderShipped: (d) => ({
    orderId: d.orderId,
    customerId: d.customerId,
    shipmentId: d.shipmentId,
    lines: unitsOf(d.lines),
    carrier: d.carrier,
    trackingId: d.trackingId,
  }),
  OrderLineCancelled: (d) => ({
    orderId: d.orderId,
    customerId: d.customerId,
    lineId: d.lineId,
    sku: d.sku,
    quantity: d.quantity,
    reason: d.reason,
  }),
  OrderLineSubstituted: (d) => ({
    orderId: d.orderId,
    customerId: d.customerId,
    lineId: d.lineId,
    newLineId: d.newLineId,
    sku: d.sku,
    substituteSku: d.substituteSku,
    quantity: d.quantity,
    waiting: d.waiting,
  }),
};

const isInputEnvelope = (envelope: AnyEnvelope): envelope is InputEnvelope => isNotificationInputType(envelope.type);

function inputOf<T extends NotificationInputType>(type: T, eventId: string, occurredAt: string, data: MessageData<T>) {
  return { eventId, occurredAt, type, data: TO_INPUT_DATA[type](data) };
}

/**
 * The published event as the notification domain's input, field by field, so a change on the wire reaches the domain
 * only through this file. Every type the domain does not react to (StockReserved, supplier events, ...) maps to
 * undefined: the consumer skips it.
 */
export function toNotificationInput(envelope: AnyEnvelope): NotificationInput | undefined {
  if (!isInputEnvelope(envelope)) return undefined;
  // The type and its data travel together in the envelope, which a union of envelopes cannot say to the compiler.
  return inputOf(envelope.type, envelope.id, envelope.time, envelope.data) as NotificationInput;
}

/** Inputs about one line of an order, told from inventory.events: they may overtake the order's OrderPlaced. */
export type OrderLineInput = Extract<
  NotificationInput,
  { type: 'BackorderQueued' | 'BackorderAllocated' | 'BackorderEtaChanged' | 'BackorderReleased' | 'StockUnavailable' }
>;

export function isOrderLineInput(input: NotificationInput): input is OrderLineInput {
  return (
    input.type === 'BackorderQueued' ||
    input.type === 'BackorderAllocated' ||
    input.type === 'BackorderEtaChanged' ||
    input.type === 'BackorderReleased' ||
    input.type === 'StockUnavailable'
  );
}
