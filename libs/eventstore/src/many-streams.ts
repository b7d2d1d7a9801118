import { randomUUID } from 'node:crypto';
import type { EventRow } from './event-rows.js';
import type { ExpectedVersion, NewEvent, OutboxMessage } from './types.js';

/** One stream's part of `appendMany`: the same arguments as a single `append`. */
export interface StreamAppend {
  streamId: string;
  expected: ExpectedVersion;
  events: NewEvent[];
}

export type AppendMode = 'exact' | 'new' | 'any';

export function appendMode(expected: ExpectedVersion): AppendMode {
  if (expected === 'any') return 'any';
  if (expected === 'no_stream' || expected === 0) return 'new';
  if (typeof expected === 'number' && Number.isSafeInteger(expected) && expected > 0) return 'exact';
  throw new RangeError(`Expected version must be a non-negative integer, 'no_stream' or 'any', got ${String(expected)}`);
}

// Large columns travel as one JSON document per statement, unpacked by json_to_recordset, not as PostgreSQL arrays:
// node-postgres builds an array literal by escaping and concatenating every element, which took 150 ms to a second
// for the 10,000 events of one restock (JSON.stringify of the same rows: a few ms), and the server parses each event's
// data once instead of twice (array literal, then jsonb). `data`, `metadata`, `state` and `headers` are nested JSON.
/** The rows of `eventRowsJson`, with their order, as `e`. */
export const EVENT_ROWS = (param: string): string =>
  `ROWS FROM (json_to_recordset(${param}::json) AS (stream_id text, seq bigint, id uuid, type text, data jsonb, metadata jsonb, schema_version int))
         WITH ORDINALITY AS e(stream_id, seq, id, type, data, metadata, schema_version, ord)`;

/** The rows of `outboxRowsJson`, with their order, as `m`. */
export const OUTBOX_ROWS = (param: string): string =>
  `ROWS FROM (json_to_recordset(${param}::json) AS (topic text, key text, value text, headers jsonb))
              WITH ORDINALITY AS m(topic, key, value, headers, ord)`;

/** Outbox messages as the one JSON parameter `OUTBOX_ROWS` reads. */
export const outboxRowsJson = (messages: readonly OutboxMessage[]): string =>
  JSON.stringify(messages.map((m) => ({ topic: m.topic, key: m.key, value: m.value, headers: m.headers ?? {} })));

/** One stream's events, numbered from 1, as the one JSON parameter `EVENT_ROWS` reads. */
export const eventRowsJson = (streamId: string | null, events: readonly NewEvent[]): unknown[] =>
  events.map((event, index) => ({
    stream_id: streamId,
    seq: index + 1,
    id: event.id ?? randomUUID(),
    type: event.type,
    data: event.data ?? null,
    metadata: event.metadata ?? {},
    schema_version: event.schemaVersion ?? 1,
  }));

// Many streams in one statement, all or nothing. The stream rows that exist are locked first, in stream id order (so
// two writers of overlapping sets cannot deadlock), and every expected version is checked against them; only when
// all match is anything written. A mismatch therefore writes nothing and raises nothing, which keeps the caller's
// transaction usable, like a single append. Streams created here are plain inserts: if another transaction creates
// one of them meanwhile, the unique violation aborts the whole statement, and the caller reports that as a conflict.
// 'any' streams that do not exist yet are upserted instead, so that two 'any' writers simply take turns.
const APPEND_MANY_CLAIM = `WITH input AS (
    SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS i(stream_id, mode, expected, n)
  ),
  cur AS (
    SELECT st.stream_id, st.version FROM es_streams st
    WHERE st.stream_id = ANY($1::text[])
    ORDER BY st.stream_id
    FOR UPDATE
  ),
  checked AS (
    SELECT i.stream_id, i.mode, i.expected, i.n, c.version AS actual,
           CASE i.mode WHEN 'exact' THEN c.version IS NOT DISTINCT FROM i.expected
                       WHEN 'new' THEN c.version IS NULL
                       ELSE true END AS ok
    FROM input i LEFT JOIN cur c ON c.stream_id = i.stream_id
  ),
  verdict AS (SELECT bool_and(ok) AS ok FROM checked),
  bumped AS (
    UPDATE es_streams st SET version = st.version + ch.n
    FROM checked ch, verdict v
    WHERE v.ok AND ch.actual IS NOT NULL AND st.stream_id = ch.stream_id
    RETURNING st.stream_id, st.version
  ),
  created AS (
    INSERT INTO es_streams (stream_id, version)
    SELECT ch.stream_id, ch.n FROM checked ch, verdict v
    WHERE v.ok AND ch.actual IS NULL AND ch.mode = 'new'
    ORDER BY ch.stream_id
    RETURNING stream_id, version
  ),
  created_any AS (
    INSERT INTO es_streams AS st (stream_id, version)
    SELECT ch.stream_id, ch.n FROM checked ch, verdict v
    WHERE v.ok AND ch.actual IS NULL AND ch.mode = 'any'
    ORDER BY ch.stream_id
    ON CONFLICT (stream_id) DO UPDATE SET version = st.version + EXCLUDED.version
    RETURNING stream_id, version
  ),
  claimed AS (
    SELECT * FROM bumped UNION ALL SELECT * FROM created UNION ALL SELECT * FROM created_any
  ),
  ev AS (
    INSERT INTO es_events (stream_id, stream_version, event_id, event_type, data, metadata, schema_version)
    SELECT e.stream_id, c.version - ch.n + e.seq, e.id, e.type, COALESCE(e.data, 'null'), COALESCE(e.metadata, '{}'), e.schema_version
    FROM ${EVENT_ROWS('$5')}
    JOIN claimed c ON c.stream_id = e.stream_id
    JOIN checked ch ON ch.stream_id = e.stream_id
    ORDER BY e.ord
    RETURNING stream_id, global_position
  )`;

function appendManySql(withOutbox: boolean): string {
  const outbox = withOutbox
    ? `, ob AS (
         INSERT INTO es_outbox (topic, key, value, headers)
         SELECT m.topic, m.key, m.value, m.headers
         FROM verdict v CROSS JOIN ${OUTBOX_ROWS('$6')}
         WHERE v.ok
         ORDER BY m.ord
       )`
    : '';
  // An uncorrelated subquery runs once: one NOTIFY, and none when nothing was written.
  const notify = withOutbox ? ', (SELECT pg_notify($7, \'\') FROM verdict WHERE verdict.ok) AS notified' : '';
  return `${APPEND_MANY_CLAIM}${outbox}
    SELECT ch.stream_id, ch.ok, ch.actual, c.version AS next_version, last.position AS last_position${notify}
    FROM checked ch
    LEFT JOIN claimed c ON c.stream_id = ch.stream_id
    LEFT JOIN (SELECT stream_id, max(global_position) AS position FROM ev GROUP BY stream_id) last
      ON last.stream_id = ch.stream_id`;
}

// Sent as unnamed statements, so PostgreSQL plans each call with the arrays' actual values. A named (prepared)
// statement may switch to a generic plan after five calls, where the arrays are opaque parameters: row counts are
// guessed, and `stream_id = ANY($1)` over a sequential scan becomes a linear search of the array for every row instead
// of a hash probe. With 500 streams on 10,000 that took 60-90 ms of CPU instead of about 15 ms (forced generic plan and
// sequential scans), which is what half of the restock runs showed until this change.
export const APPEND_MANY_SQL = { plain: appendManySql(false), outbox: appendManySql(true) } as const;

export interface AppendManyRow {
  stream_id: string;
  ok: boolean;
  actual: string | number | null;
  next_version: string | number | null;
  last_position: string | number | null;
}

/** The statement's stream columns and its events (one JSON document), after checking what one append would check. */
export function appendManyColumns(appends: readonly StreamAppend[]): unknown[] {
  if (appends.length === 0) throw new RangeError('Nothing to append: no streams given');
  const seen = new Set<string>();
  const streams: unknown[][] = [[], [], [], []];
  const events: unknown[] = [];
  for (const { streamId, expected, events: streamEvents } of appends) {
    if (seen.has(streamId)) throw new RangeError(`Stream ${streamId} is given twice: merge its events into one append`);
    seen.add(streamId);
    if (streamEvents.length === 0) throw new RangeError(`Nothing to append to stream ${streamId}: events is empty`);
    const mode = appendMode(expected);
    streams[0]!.push(streamId);
    streams[1]!.push(mode);
    streams[2]!.push(mode === 'exact' ? expected : 0);
    streams[3]!.push(streamEvents.length);
    for (const row of eventRowsJson(streamId, streamEvents)) events.push(row);
  }
  return [...streams, JSON.stringify(events)];
}

// The events after a version the caller already holds the state of (an in-memory copy), for many streams at once:
// no snapshot is read, only what was appended since.
export const LOAD_AFTER_SQL = `SELECT false AS is_snapshot, e.stream_id, e.stream_version, e.global_position, e.transaction_id::text,
         e.event_id, e.event_type, e.schema_version, e.data, e.metadata, e.created_at
  FROM unnest($1::text[], $2::bigint[]) AS f(stream_id, after_version)
  JOIN es_events e ON e.stream_id = f.stream_id AND e.stream_version > f.after_version
  ORDER BY e.stream_id, e.stream_version`;

// Latest snapshots and the events after them, for many streams in one round trip. Without a snapshot policy the
// schema version is null, which matches no snapshot, and every event is read.
export const LOAD_MANY_SQL = `WITH ids AS (SELECT DISTINCT unnest($1::text[]) AS stream_id),
  snap AS (
    SELECT s.stream_id, s.stream_version, s.state
    FROM es_snapshots s JOIN ids ON ids.stream_id = s.stream_id
    WHERE s.schema_version = $2::int
  )
  SELECT true AS is_snapshot, snap.stream_id, snap.stream_version, NULL::bigint AS global_position,
         NULL::text AS transaction_id, NULL::uuid AS event_id, NULL::text AS event_type, NULL::int AS schema_version,
         snap.state AS data,
         NULL::jsonb AS metadata, NULL::timestamptz AS created_at
  FROM snap
  UNION ALL
  SELECT false, e.stream_id, e.stream_version, e.global_position, e.transaction_id::text, e.event_id, e.event_type,
         e.schema_version, e.data, e.metadata, e.created_at
  FROM ids
  JOIN es_events e ON e.stream_id = ids.stream_id
  LEFT JOIN snap ON snap.stream_id = ids.stream_id
  WHERE e.stream_version > COALESCE(snap.stream_version, 0)
  ORDER BY stream_id, is_snapshot DESC, stream_version`;

export type LoadRow = EventRow & { is_snapshot: boolean };

// Locks in the order of the lock keys, not of the ids: two ids can share a hashtext, and callers sorting by id could
// then take the same two keys in opposite orders and deadlock. The aggregate takes them one sorted row after the other.
export const LOCK_STREAMS_SQL = `SELECT count(pg_advisory_xact_lock($1, key))
  FROM (SELECT DISTINCT hashtext(id) AS key FROM unnest($2::text[]) AS id ORDER BY key) keys`;

export const SAVE_SNAPSHOTS_SQL = `INSERT INTO es_snapshots (stream_id, schema_version, stream_version, state)
  SELECT s.stream_id, $1, s.stream_version, s.state
  FROM json_to_recordset($2::json) AS s(stream_id text, stream_version bigint, state jsonb)
  ON CONFLICT (stream_id, schema_version) DO UPDATE
    SET stream_version = EXCLUDED.stream_version, state = EXCLUDED.state, created_at = now()
    WHERE es_snapshots.stream_version < EXCLUDED.stream_version`;
