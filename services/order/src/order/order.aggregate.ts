import { storedEvents, type Aggregate } from '@fulfillment/eventstore';
import { orderDecider, orderStreamName, type OrderCommand, type OrderEvent, type OrderState } from '@fulfillment/order-domain';

/**
 * The order aggregate in the store: one stream per order. Orders are short-lived but a line may see many inventory
 * answers (partial allocations, date moves), so a snapshot every 50 events keeps a load bounded; the state is plain
 * JSON and is stored as it is.
 */
export const orderAggregate: Aggregate<OrderCommand, OrderEvent, OrderState> = {
  name: 'order',
  decider: orderDecider,
  streamName: orderStreamName,
  events: storedEvents<OrderEvent>({
    types: [
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
    ],
  }),
  // 2: the state of issue 12 (inventory's buckets per line, shipments); snapshots of version 1 are folded anew.
  snapshot: { every: 50, schemaVersion: 2 },
};
