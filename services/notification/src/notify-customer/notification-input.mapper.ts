import type { AnyEnvelope } from '@fulfillment/contracts';
import type { NotificationInput } from '@fulfillment/notification-domain';

/**
 * The published event as the notification domain's input, field by field, so a change on the wire reaches the domain
 * only through this file. Every type the domain does not react to (StockReserved, supplier events, ...) maps to
 * undefined: the consumer skips it.
 */
export function toNotificationInput(envelope: AnyEnvelope): NotificationInput | undefined {
  const source = { eventId: envelope.id, occurredAt: envelope.time };
  switch (envelope.type) {
    case 'OrderPlaced': {
      const d = envelope.data;
      return {
        ...source,
        type: 'OrderPlaced',
        data: {
          orderId: d.orderId,
          customerId: d.customerId,
          email: d.email ?? null,
          lines: d.lines.map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: line.quantity })),
          placedAt: d.placedAt,
          ...(d.shipping === undefined ? {} : { shipping: d.shipping }),
        },
      };
    }
    case 'OrderStatusChanged': {
      const d = envelope.data;
      return {
        ...source,
        type: 'OrderStatusChanged',
        data: {
          orderId: d.orderId,
          customerId: d.customerId,
          status: d.status,
          lines: d.lines.map((line) => ({
            lineId: line.lineId,
            sku: line.sku,
            quantity: line.quantity,
            reserved: line.reserved,
            allocated: line.allocated,
            backordered: line.backordered,
            unavailable: line.unavailable,
            released: line.released,
            shipped: line.shipped,
            expectedAt: line.expectedAt,
          })),
        },
      };
    }
    case 'OrderCancelled': {
      const d = envelope.data;
      return { ...source, type: 'OrderCancelled', data: { orderId: d.orderId, customerId: d.customerId, reason: d.reason } };
    }
    case 'BackorderQueued': {
      const d = envelope.data;
      return {
        ...source,
        type: 'BackorderQueued',
        data: {
          sku: d.sku,
          orderId: d.orderId,
          lineId: d.lineId,
          customerId: d.customerId,
          quantity: d.quantity,
          position: d.position,
          expectedAt: d.expectedAt,
          preorder: d.preorder,
          substitutes: [...d.substitutes],
        },
      };
    }
    case 'BackorderAllocated': {
      const d = envelope.data;
      return {
        ...source,
        type: 'BackorderAllocated',
        data: {
          sku: d.sku,
          orderId: d.orderId,
          lineId: d.lineId,
          customerId: d.customerId,
          quantity: d.quantity,
          remaining: d.remaining,
        },
      };
    }
    case 'BackorderEtaChanged': {
      const d = envelope.data;
      return {
        ...source,
        type: 'BackorderEtaChanged',
        data: {
          sku: d.sku,
          orderId: d.orderId,
          lineId: d.lineId,
          customerId: d.customerId,
          previousExpectedAt: d.previousExpectedAt,
          expectedAt: d.expectedAt,
        },
      };
    }
    case 'StockUnavailable': {
      const d = envelope.data;
      return {
        ...source,
        type: 'StockUnavailable',
        data: {
          sku: d.sku,
          orderId: d.orderId,
          lineId: d.lineId,
          customerId: d.customerId,
          quantity: d.quantity,
          substitutes: [...d.substitutes],
        },
      };
    }
    case 'BackInStock': {
      const d = envelope.data;
      return { ...source, type: 'BackInStock', data: { sku: d.sku, available: d.available } };
    }
    case 'BackorderReleased': {
      const d = envelope.data;
      return {
        ...source,
        type: 'BackorderReleased',
        data: { sku: d.sku, orderId: d.orderId, lineId: d.lineId, customerId: d.customerId, quantity: d.quantity, reason: d.reason },
      };
    }
    case 'OrderShipped': {
      const d = envelope.data;
      return {
        ...source,
        type: 'OrderShipped',
        data: {
          orderId: d.orderId,
          customerId: d.customerId,
          shipmentId: d.shipmentId,
          lines: d.lines.map((line) => ({ lineId: line.lineId, sku: line.sku, quantity: line.quantity })),
          carrier: d.carrier,
          trackingId: d.trackingId,
        },
      };
    }
    case 'OrderLineCancelled': {
      const d = envelope.data;
      return {
        ...source,
        type: 'OrderLineCancelled',
        data: { orderId: d.orderId, customerId: d.customerId, lineId: d.lineId, sku: d.sku, quantity: d.quantity, reason: d.reason },
      };
    }
    case 'OrderLineSubstituted': {
      const d = envelope.data;
      return {
        ...source,
        type: 'OrderLineSubstituted',
        data: {
          orderId: d.orderId,
          customerId: d.customerId,
          lineId: d.lineId,
          newLineId: d.newLineId,
          sku: d.sku,
          substituteSku: d.substituteSku,
          quantity: d.quantity,
          waiting: d.waiting,
        },
      };
    }
    default:
      return undefined;
  }
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
