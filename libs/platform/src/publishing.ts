import { encodeEnvelope, type Envelope, type EnvelopeMeta } from '@fulfillment/contracts';
import type { Decision, DomainEvent, OutboxMessage } from '@fulfillment/eventstore';

/** Envelopes as outbox rows of `topic` (this deployment's name of it), keyed by their subject. */
export function toOutbox(topic: string, envelopes: readonly Envelope[]): OutboxMessage[] {
  return envelopes.map((envelope) => ({ topic, key: envelope.subject, value: encodeEnvelope(envelope) }));
}

/**
 * The envelope attributes of the message published for `decision.events[index]`: it takes the event's id, so a
 * consumer can tell the message and the stored event are one, and the decision's correlation and causation.
 */
export function envelopeMetaOf(
  source: string,
  decision: Decision<unknown, DomainEvent, unknown, unknown>,
  index: number,
  time: string,
): EnvelopeMeta {
  return {
    source,
    id: decision.eventIds[index]!,
    time,
    correlationId: decision.cause.correlationId,
    causationId: decision.cause.causationId,
  };
}
