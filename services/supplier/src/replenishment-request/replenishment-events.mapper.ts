import { createEnvelope, encodeEnvelope, type Envelope } from '@fulfillment/contracts';
import type { Decision, OutboxMessage } from '@fulfillment/eventstore';
import type { ReplenishmentCommand, ReplenishmentEvent, ReplenishmentState } from '@fulfillment/supplier-domain';
import { SUPPLIER_SOURCE } from '../purchase-order/supplier-events.mapper.js';

/**
 * The `supplier.events` message of a replenishment event, or null for the bookkeeping that stays inside the supplier
 * (a request recorded, a request answered: inventory learns of the answer from the purchase order itself).
 */
export function toReplenishmentEnvelope(
  event: ReplenishmentEvent,
  meta: { id: string; correlationId: string; causationId: string | null },
): Envelope | null {
  switch (event.type) {
    case 'ReplenishmentUnplanned': {
      const { requestId, sku, quantity, reason, at } = event.data;
      return createEnvelope('ReplenishmentUnplanned', { requestId, sku, quantity, reason }, { source: SUPPLIER_SOURCE, ...meta, time: at });
    }
    case 'ReplenishmentRequestRecorded':
    case 'ReplenishmentRequestAnswered':
      return null;
    default: {
      const unexpected: never = event;
      throw new Error(`no mapping for replenishment event ${(unexpected as { type: string }).type}`);
    }
  }
}

/** The pipeline's mapper: the published events of a decision as outbox rows of this deployment's supplier.events. */
export function publishReplenishmentEvents(topic: string) {
  return ({ events, eventIds, cause }: Decision<ReplenishmentCommand, ReplenishmentEvent, ReplenishmentState>): OutboxMessage[] =>
    events.flatMap((event, index) => {
      const envelope = toReplenishmentEnvelope(event, { id: eventIds[index]!, ...cause });
      return envelope === null ? [] : [{ topic, key: envelope.subject, value: encodeEnvelope(envelope) }];
    });
}
