import { createEnvelope, encodeEnvelope, type Envelope } from '@fulfillment/contracts';
import type { Decision, OutboxMessage } from '@fulfillment/eventstore';
import type { PurchaseOrderEvent, UnplannedRestockReceived } from '@fulfillment/supplier-domain';

export type SupplierDomainEvent = PurchaseOrderEvent | UnplannedRestockReceived;

/** A domain event with what its envelope needs: its own stable id and the message or request that caused it. */
export interface RecordedEvent {
  id: string;
  event: SupplierDomainEvent;
  correlationId: string;
  causationId: string | null;
}

export const SUPPLIER_SOURCE = 'supplier';

/**
 * The `supplier.events` message of a domain event, field by field: a field added to a domain event stays off the
 * wire until it is added here and to the contract. `time` is when the event happened, not when it is published.
 */
export function toSupplierEnvelope({ id, event, correlationId, causationId }: RecordedEvent): Envelope {
  const meta = { source: SUPPLIER_SOURCE, id, correlationId, causationId };
  switch (event.type) {
    case 'PurchaseOrderPlaced': {
      const { purchaseOrderId, sku, quantity, expectedAt, reason, placedAt } = event.data;
      return createEnvelope(
        'PurchaseOrderPlaced',
        { purchaseOrderId, sku, quantity, expectedAt, reason },
        { ...meta, time: placedAt },
      );
    }
    case 'PurchaseOrderEtaChanged': {
      const { purchaseOrderId, sku, previousExpectedAt, expectedAt, changedAt } = event.data;
      return createEnvelope(
        'PurchaseOrderEtaChanged',
        { purchaseOrderId, sku, previousExpectedAt, expectedAt },
        { ...meta, time: changedAt },
      );
    }
    case 'PurchaseOrderReceived': {
      const { purchaseOrderId, sku, quantity, receivedAt, remainingOnOrder } = event.data;
      return createEnvelope(
        'RestockReceived',
        { purchaseOrderId, sku, quantity, receivedAt, remainingOnOrder },
        { ...meta, time: receivedAt },
      );
    }
    case 'UnplannedRestockReceived': {
      const { sku, quantity, receivedAt } = event.data;
      return createEnvelope(
        'RestockReceived',
        { purchaseOrderId: null, sku, quantity, receivedAt },
        { ...meta, time: receivedAt },
      );
    }
    default: {
      const unexpected: never = event;
      throw new Error(`no supplier.events message for ${(unexpected as { type: string }).type}`);
    }
  }
}

/** The outbox row that publishes `envelope` on `topic` (this deployment's name of supplier.events), keyed by subject. */
export function toOutboxMessage(envelope: Envelope, topic: string): OutboxMessage {
  return { topic, key: envelope.subject, value: encodeEnvelope(envelope) };
}

/** The pipelines' mapper: each event of a decision as its `supplier.events` outbox row, with the event's id. */
export function publishSupplierEvents<E extends SupplierDomainEvent>(topic: string): (decision: Decision<unknown, E, unknown, unknown>) => OutboxMessage[] {
  return ({ events, eventIds, cause }) =>
    events.map((event, index) =>
      toOutboxMessage(
        toSupplierEnvelope({ id: eventIds[index]!, event, correlationId: cause.correlationId, causationId: cause.causationId }),
        topic,
      ),
    );
}
