/**
 * A record to publish. Structurally identical to the event store's `OutboxMessage` on purpose: the outbox relay hands
 * its rows straight to `KafkaPublisher.publish` without either data-access library importing the other.
 */
export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
}
