import { createEnvelope, type AnyEnvelope } from '@fulfillment/contracts';
import type { Cause, Decision, OutboxMessage } from '@fulfillment/eventstore';
import { orderLineView } from '@fulfillment/kernel';
import {
  isPlaced,
  orderView,
  pendingUnits,
  type IsoInstant,
  type OrderCommand,
  type OrderEvent,
  type OrderState,
  type OrderView,
  type PlacedOrder,
} from '@fulfillment/order-domain';
import { toOutbox } from '@fulfillment/platform';

export const ORDER_SERVICE = 'order';

export type OrderDecision = Decision<OrderCommand, OrderEvent, OrderState>;

const unitsOf = (lines: readonly { lineId: string; sku: string; quantity: number }[]) =>
  lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity }));

/** The events one command produced, as they were stored. */
export interface RecordedDecision {
  events: readonly OrderEvent[];
  /** `events[i]` is stored under `eventIds[i]`; a published envelope takes the id of the event it stands for. */
  eventIds: readonly string[];
  /** The order once the events are applied. */
  after: PlacedOrder;
  /** The order before them, to tell a view that really changed from one that only looks new. */
  before?: OrderState;
  occurredAt: IsoInstant;
  cause: Cause;
}

/**
 * The `order.events` messages a decision publishes, in the order they must be read: `OrderPlaced` and
 * `OrderCancelled` for themselves, then one `OrderStatusChanged` carrying the new view whenever the status or any
 * line changed. The order's line events are internal and never cross Kafka one by one.
 *
 * The contract's line view puts every unit in a bucket, and units inventory has not answered yet have none: so no
 * view is published while a line still waits for its answer. The first `OrderStatusChanged` of an order comes with
 * the last line's answer (or, for an order cancelled before that, when inventory's late answers are absorbed).
 * Some answers change inventory's buckets of a line without changing its view (an allocation of units the order gave
 * up, the release that confirms them): the view published last is then still true, and is not published again.
 */
export function orderEnvelopes(decision: RecordedDecision): AnyEnvelope[] {
  const { events, eventIds, after, before, occurredAt, cause } = decision;
  const meta = (index: number, time: IsoInstant) => ({
    source: ORDER_SERVICE,
    id: eventIds[index]!,
    time,
    correlationId: cause.correlationId,
    causationId: cause.causationId,
  });
  const envelopes: AnyEnvelope[] = [];
  let lastViewChange: number | undefined;
  events.forEach((event, index) => {
    switch (event.type) {
      case 'OrderPlaced': {
        const { orderId, customerId, email, lines, placedAt, shipping } = event.data;
        const data = {
          orderId,
          customerId,
          ...(email === null ? {} : { email }),
          lines: lines.map(({ lineId, sku, quantity }) => ({ lineId, sku, quantity })),
          placedAt,
          ...(shipping === undefined ? {} : { shipping }),
        };
        envelopes.push(createEnvelope('OrderPlaced', data, meta(index, placedAt)));
        return;
      }
      case 'OrderCancelled': {
        const { orderId, customerId, reason, cancelledAt } = event.data;
        envelopes.push(createEnvelope('OrderCancelled', { orderId, customerId, reason }, meta(index, cancelledAt)));
        return;
      }
      case 'OrderReadyToShip': {
        const { orderId, customerId, lines } = event.data;
        envelopes.push(createEnvelope('OrderReadyToShip', { orderId, customerId, lines: unitsOf(lines) }, meta(index, occurredAt)));
        return;
      }
      case 'OrderShipped': {
        const { orderId, customerId, shipmentId, lines, carrier, trackingId, shippedAt } = event.data;
        const data = { orderId, customerId, shipmentId, lines: unitsOf(lines), carrier, trackingId };
        envelopes.push(createEnvelope('OrderShipped', data, meta(index, shippedAt)));
        lastViewChange = index;
        return;
      }
      case 'OrderLineCancelled': {
        const { orderId, customerId, lineId, sku, quantity, reason, cancelledAt } = event.data;
        const data = { orderId, customerId, lineId, sku, quantity, reason };
        envelopes.push(createEnvelope('OrderLineCancelled', data, meta(index, cancelledAt)));
        lastViewChange = index;
        return;
      }
      case 'OrderLineSubstituted': {
        const { orderId, customerId, lineId, newLineId, sku, substituteSku, quantity, waiting, substitutedAt } = event.data;
        const data = { orderId, customerId, lineId, newLineId, sku, substituteSku, quantity, waiting };
        envelopes.push(createEnvelope('OrderLineSubstituted', data, meta(index, substitutedAt)));
        lastViewChange = index;
        return;
      }
      case 'LineReserved':
      case 'LineBackordered':
      case 'LineAllocated':
      case 'LineEtaChanged':
      case 'LineUnavailable':
      case 'LineReleased':
      case 'LineReleasedByInventory':
      case 'OrderStatusChanged':
        lastViewChange = index;
        return;
      default: {
        const unexpected: never = event;
        throw new Error(`no mapping for order event ${(unexpected as OrderEvent).type}`);
      }
    }
  });
  if (lastViewChange !== undefined && after.lines.every((line) => pendingUnits(line) === 0)) {
    const view = orderView(after)!;
    if (before !== undefined && isPlaced(before) && before.lines.every((line) => pendingUnits(line) === 0)) {
      if (sameView(orderView(before)!, view)) return envelopes;
    }
    const data = {
      orderId: view.orderId,
      customerId: view.customerId,
      status: view.status,
      lines: view.lines.map(orderLineView),
    };
    envelopes.push(createEnvelope('OrderStatusChanged', data, meta(lastViewChange, occurredAt)));
  }
  return envelopes;
}

const sameView = (a: OrderView, b: OrderView): boolean => a.status === b.status && JSON.stringify(a.lines) === JSON.stringify(b.lines);

/** The pipeline's mapper: a decision's `order.events` messages as outbox rows of this deployment's topic. */
export function publishOrderEvents(topic: string): (decision: OrderDecision) => OutboxMessage[] {
  return (decision) => {
    const { events, eventIds, after, before, at, cause, id } = decision;
    if (!isPlaced(after)) throw new Error(`${decision.command.type} left order ${id} unplaced`);
    if (at === undefined) throw new Error(`${decision.command.type} for order ${id} has no time`);
    return toOutbox(topic, orderEnvelopes({ events, eventIds, after, before, occurredAt: at, cause }));
  };
}
