/** Stream version = number of events in the stream; 0 means the stream is empty or does not exist. */
export type ExpectedVersion = number | 'no_stream' | 'any';

export interface NewEvent {
  type: string;
  data: unknown;
  metadata?: Record<string, unknown>;
  /** A UUID; generated when absent. Consumers de-duplicate on it, so keep it stable across retries. */
  id?: string;
  /** The shape of `data` (default 1): a reader upcasts an event stored at an older version (see storedEvents). */
  schemaVersion?: number;
}

export interface StoredEvent {
  streamId: string;
  /** 1-based position of the event in its stream: the stream's version once this event is applied. */
  streamVersion: number;
  globalPosition: bigint;
  id: string;
  type: string;
  /** The shape `data` was written in; 1 for every event stored before versions were recorded. */
  schemaVersion: number;
  data: unknown;
  metadata: Record<string, unknown>;
  createdAt: Date;
}

/**
 * Position in the global log. Events are ordered by (transactionId, globalPosition), not by globalPosition alone:
 * a transaction can take a lower position and commit after one with a higher position.
 */
export interface GlobalCheckpoint {
  transactionId: bigint;
  globalPosition: bigint;
}

export interface OutboxMessage {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
}

/** An outbox row as handed to the relay's publish function: `position` is its place in outbox order. */
export interface OutboxRecord extends OutboxMessage {
  position: bigint;
}

/** The subset of pino's logger this library uses; a pino logger fits it. */
export interface EventStoreLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
