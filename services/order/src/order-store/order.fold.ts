import type { Fold, StoredEvent } from '@fulfillment/eventstore';
import { evolve, initialState, type OrderEvent, type OrderState } from '@fulfillment/order-domain';

const ORDER_EVENT_TYPES: ReadonlySet<string> = new Set<OrderEvent['type']>([
  'OrderPlaced',
  'OrderCancelled',
  'LineReserved',
  'LineBackordered',
  'LineAllocated',
  'LineEtaChanged',
  'LineUnavailable',
  'LineReleased',
  'LineReleasedByInventory',
  'OrderReadyToShip',
  'OrderShipped',
  'OrderLineCancelled',
  'OrderLineSubstituted',
  'OrderStatusChanged',
]);

/** The domain event a stored row holds; the stream is written only by this service, so anything else is corruption. */
export function orderEventOf(stored: StoredEvent): OrderEvent {
  if (!ORDER_EVENT_TYPES.has(stored.type)) {
    throw new Error(`stream ${stored.streamId} holds an unknown event type ${stored.type} at version ${stored.streamVersion}`);
  }
  return { type: stored.type, data: stored.data } as OrderEvent;
}

/**
 * Orders are short-lived but a line may see many inventory answers (partial allocations, date moves), so a snapshot
 * every 50 events keeps a load bounded. The state is plain JSON, so it is stored as it is.
 */
export const orderFold: Fold<OrderState> = {
  initialState,
  evolve: (state, stored) => evolve(state, orderEventOf(stored)),
  // 2: the state of issue 12 (inventory's buckets per line, shipments); snapshots of version 1 are folded anew.
  snapshot: { every: 50, schemaVersion: 2 },
};
