import type { GlobalCheckpoint, StoredEvent } from './types.js';

// int8 columns arrive as strings with pg's default parsers and as bigint when another library (Emmett's dumbo does)
// has replaced the global parser; BigInt() and Number() accept both.
type Int8 = string | number | bigint;

export interface EventRow {
  stream_id: string;
  stream_version: Int8;
  global_position: Int8;
  transaction_id: string;
  event_id: string;
  event_type: string;
  schema_version: number | null;
  data: unknown;
  metadata: Record<string, unknown> | null;
  created_at: Date;
}

export const EVENT_COLUMNS =
  'stream_id, stream_version, global_position, transaction_id::text AS transaction_id, event_id, event_type, schema_version, data, metadata, created_at';

export const toStoredEvent = (row: EventRow): StoredEvent => ({
  streamId: row.stream_id,
  streamVersion: Number(row.stream_version),
  globalPosition: BigInt(row.global_position),
  id: row.event_id,
  type: row.event_type,
  schemaVersion: row.schema_version ?? 1,
  data: row.data,
  metadata: row.metadata ?? {},
  createdAt: row.created_at,
});

export const checkpointOf = (row: EventRow): GlobalCheckpoint => ({
  transactionId: BigInt(row.transaction_id),
  globalPosition: BigInt(row.global_position),
});

export const toInt = (value: Int8 | null | undefined): number | null => (value == null ? null : Number(value));
