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
export {
  PostgresEventStore,
  type AppendResult,
  type Fold,
  type LoadOptions,
  type LoadResult,
  type SnapshotPolicy,
} from './postgres-event-store.js';
export type { StreamAppend } from './many-streams.js';
export { Inbox } from './inbox.js';
export { OutboxRelay, type OutboxRelayOptions, type Publish } from './outbox-relay.js';
export {
  ProjectionRunner,
  type Projection,
  type ProjectionProgress,
  type ProjectionRunnerOptions,
} from './projection-runner.js';
export {
  DEFAULT_NOTIFY_CHANNEL,
  EventStoreSchema1795651200000,
  eventStoreMigrations,
  runEventStoreMigrations,
} from './schema.js';
