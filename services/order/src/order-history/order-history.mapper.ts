import type { StoredEvent } from '@fulfillment/eventstore';
import type { OrderEvent } from '@fulfillment/order-domain';
import { orderAggregate } from '../order/order.aggregate.js';

/** One entry of `GET /orders/:orderId/events`. */
export interface OrderHistoryEntry {
  /** 1-based position in the order's history. */
  version: number;
  id: string;
  type: OrderEvent['type'];
  occurredAt: string;
  correlationId: string | null;
  /** The message that caused the event (an inventory event or a command), null for an HTTP request. */
  causationId: string | null;
  data: Record<string, unknown>;
}

const stringOrNull = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/**
 * A stored event as the API shows it. The data is mapped field by field: the email address of `OrderPlaced` stays
 * out (the history is an operator's view of what happened, not a way to read personal data back), and so does any
 * field the domain adds later until it is chosen here.
 */
export function historyEntryOf(stored: StoredEvent): OrderHistoryEntry {
  const event = orderAggregate.events.decode(stored);
  return {
    version: stored.streamVersion,
    id: stored.id,
    type: event.type,
    occurredAt: stringOrNull(stored.metadata.occurredAt) ?? stored.createdAt.toISOString(),
    correlationId: stringOrNull(stored.metadata.correlationId),
    causationId: stringOrNull(stored.metadata.causationId),
    data: historyData(event),
  };
}

function historyData(event: OrderEvent): Record<string, unknown> {
  switch (event.type) {
    case 'OrderPlaced': {
      const { orderId, customerId, lines, placedAt } = event.data;
      return { orderId, customerId, lines: lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })), placedAt };
    }
    case 'OrderCancelled': {
      const { reason, cancelledAt } = event.data;
      return { reason, cancelledAt };
    }
    case 'OrderStatusChanged': {
      const { status, previous } = event.data;
      return { status, previous };
    }
    case 'LineReserved':
    case 'LineAllocated': {
      const { lineId, quantity, eventId } = event.data;
      return { lineId, quantity, inventoryEventId: eventId };
    }
    case 'LineBackordered': {
      const { lineId, quantity, expectedAt, eventId } = event.data;
      return { lineId, quantity, expectedAt, inventoryEventId: eventId };
    }
    case 'LineEtaChanged': {
      const { lineId, previousExpectedAt, expectedAt, eventId } = event.data;
      return { lineId, previousExpectedAt, expectedAt, inventoryEventId: eventId };
    }
    case 'LineUnavailable': {
      const { lineId, quantity, substitutes, eventId } = event.data;
      return { lineId, quantity, substitutes: [...substitutes], inventoryEventId: eventId };
    }
    case 'LineReleased': {
      const { lineId, quantity, from, eventId } = event.data;
      return { lineId, quantity, from, inventoryEventId: eventId };
    }
    case 'LineReleasedByInventory': {
      const { lineId, quantity, from, reason, eventId } = event.data;
      return { lineId, quantity, from, reason, inventoryEventId: eventId };
    }
    case 'OrderReadyToShip':
      return { lines: event.data.lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })) };
    case 'OrderShipped': {
      const { shipmentId, lines, carrier, trackingId, shippedAt } = event.data;
      return { shipmentId, lines: lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })), carrier, trackingId, shippedAt };
    }
    case 'OrderLineCancelled': {
      const { lineId, sku, quantity, reason, cancelledAt } = event.data;
      return { lineId, sku, quantity, reason, cancelledAt };
    }
    case 'OrderLineSubstituted': {
      const { lineId, newLineId, sku, substituteSku, quantity, waiting, substitutedAt } = event.data;
      return { lineId, newLineId, sku, substituteSku, quantity, waiting, substitutedAt };
    }
    default: {
      const unexpected: never = event;
      throw new Error(`no history mapping for ${(unexpected as OrderEvent).type}`);
    }
  }
}
