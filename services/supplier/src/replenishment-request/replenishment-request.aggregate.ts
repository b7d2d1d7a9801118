import { storedEvents, type Aggregate } from '@fulfillment/eventstore';
import {
  replenishmentDecider,
  replenishmentStreamName,
  type ReplenishmentCommand,
  type ReplenishmentEvent,
  type ReplenishmentState,
} from '@fulfillment/supplier-domain';

/** Inventory's replenishment requests of one SKU in the store: one stream per SKU (`replenishment-<sku>`). */
export const replenishmentAggregate: Aggregate<ReplenishmentCommand, ReplenishmentEvent, ReplenishmentState> = {
  name: 'replenishment',
  decider: replenishmentDecider,
  streamName: replenishmentStreamName,
  events: storedEvents<ReplenishmentEvent>({
    types: ['ReplenishmentRequestRecorded', 'ReplenishmentUnplanned', 'ReplenishmentRequestAnswered'],
  }),
};
