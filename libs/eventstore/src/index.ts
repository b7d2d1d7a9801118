export type {
  EventStoreLogger,
  ExpectedVersion,
  GlobalCheckpoint,
  NewEvent,
  OutboxMessage,
  OutboxRecord,
  StoredEvent,
} from './types.js';
export { ConcurrencyError, isConcurrencyError } from './errors.js';
export type { Queryable, Tx } from './tx.js';
export { SessionClient, sessionPool } from './session-client.js';
export {
  PostgresEventStore,
  type AppendResult,
  type Fold,
  type KnownState,
  type LoadManyOptions,
  type LoadOptions,
  type LoadResult,
  type SnapshotPolicy,
} from './postgres-event-store.js';
export type { StreamAppend } from './many-streams.js';
export { Inbox } from './inbox.js';
export { IdempotencyKeys, type EarlierRequest, type RecordedAnswer } from './idempotency-keys.js';
export {
  storedEvents,
  UnreadableEventError,
  type DomainEvent,
  type StoredEvents,
  type StoredEventsDefinition,
} from './stored-events.js';
export {
  CommandPipeline,
  type Aggregate,
  type Cause,
  type Decision,
  type Handled,
  type HandleOptions,
  type Outcome,
  type PipelineOptions,
  type Work,
  type WorkResult,
} from './command-pipeline.js';
export { OutboxRelay, outboxBacklog, type OutboxRelayOptions, type Publish } from './outbox-relay.js';
export {
  ProjectionRunner,
  type Projection,
  type ProjectionProgress,
  type ProjectionRunnerOptions,
} from './projection-runner.js';
export {
  DEFAULT_NOTIFY_CHANNEL,
  EventStoreSchema1795651200000,
  EventStoreSchema1796083200000,
  eventStoreMigrations,
  runEventStoreMigrations,
} from './schema.js';
export { TRACE_HEADERS, contextOfCause, traceHeadersOf, withCauseContexts } from './trace-context.js';
