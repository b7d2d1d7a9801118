import { context } from '@opentelemetry/api';
import type { DatabaseError, Pool } from 'pg';
import { ConcurrencyError } from './errors.js';
import { checkpointOf, EVENT_COLUMNS, toInt, toStoredEvent, type EventRow } from './event-rows.js';
import { LockClass } from './locks.js';
import { withTrace } from './trace-context.js';
import {
  APPEND_MANY_SQL,
  appendManyColumns,
  appendMode,
  EVENT_ROWS,
  eventRowsJson,
  LOAD_AFTER_SQL,
  LOAD_MANY_SQL,
  LOCK_STREAMS_SQL,
  OUTBOX_ROWS,
  outboxRowsJson,
  SAVE_SNAPSHOTS_SQL,
  type AppendManyRow,
  type AppendMode,
  type LoadRow,
  type StreamAppend,
} from './many-streams.js';
import { DEFAULT_NOTIFY_CHANNEL } from './schema.js';
import { PgTx, type Queryable, type Tx } from './tx.js';
import type { ExpectedVersion, GlobalCheckpoint, NewEvent, OutboxMessage, StoredEvent } from './types.js';

export interface AppendResult {
  nextVersion: number;
  lastGlobalPosition: bigint;
}

export interface SnapshotPolicy<S> {
  /** Write a new snapshot once this many events were folded on top of the previous one (see also `size`). */
  every: number;
  /**
   * How many entries a snapshot of `state` holds (e.g. an aggregate's open lines). With it, a snapshot is due only
   * after max(`every`, size / 2) events. A snapshot costs about its size, so writing them then costs about two entries
   * per event however large the state grows (a state growing by an entry per event is snapshotted at doubling
   * versions), instead of size / `every` per event; a load from a snapshot folds at most about half as many events as
   * the snapshot holds. Without it, every `every` events.
   */
  size?: (state: S) => number;
  /** Bump when the state's shape or `evolve` changes: snapshots of other schema versions are ignored. */
  schemaVersion: number;
  /** State to JSON-compatible value; identity by default, so the state must survive JSON then. */
  toSnapshot?: (state: S) => unknown;
  fromSnapshot?: (stored: unknown) => S;
}

export interface Fold<S> {
  initialState: () => S;
  evolve: (state: S, event: StoredEvent) => S;
  snapshot?: SnapshotPolicy<S>;
}

export interface LoadResult<S> {
  state: S;
  /** Stream version the state reflects: pass it as the expected version of the next append. */
  version: number;
  /** Version of the snapshot the state started from, or null when folded from the first event. */
  snapshotVersion: number | null;
  /** Events read and folded by this load (bounded by the snapshot policy's `every`). */
  eventsFolded: number;
}

/** The one snapshot rule: a stream at `version` needs a new snapshot once `every` events came after its latest one. */
export function snapshotDue<S>(
  policy: Pick<SnapshotPolicy<S>, 'every' | 'size'>,
  version: number,
  snapshotVersion: number | null,
  state: S,
): boolean {
  if (version <= 0) return false;
  const since = version - (snapshotVersion ?? 0);
  // The size is read only once `every` is reached: most commits stop at the first comparison.
  return since >= policy.every && (policy.size === undefined || 2 * since >= policy.size(state));
}

/** A stream's state the caller already holds (e.g. in memory): a load then reads only the events after `version`. */
export interface KnownState<S> {
  readonly state: S;
  readonly version: number;
  /** The stream's latest snapshot the caller knows of (null: none): decides when the next one is due. */
  readonly snapshotVersion: number | null;
}

export interface LoadOptions {
  tx?: Tx;
  /**
   * Serialise loads of this stream until `tx` ends (a transaction-scoped advisory lock on the stream id), so that
   * competing consumers decide one after the other instead of failing on the append's version check.
   */
  forUpdate?: boolean;
  /** Write a due snapshot (default true); false keeps a read a pure read. */
  writeSnapshot?: boolean;
}

export interface LoadManyOptions<S> extends LoadOptions {
  /**
   * States the caller holds for some of the streams: each is folded forward from its version with the events appended
   * since (one more statement for all of them), instead of from the latest snapshot. The caller must only give
   * states that were committed at that version.
   */
  known?: ReadonlyMap<string, KnownState<S>>;
}

// One statement, hence one round trip and atomic even without a transaction: claim the stream version, insert the
// events numbered from it, and write the outbox rows. When the version claim matches no row, nothing is inserted
// and no row comes back, which the caller reports as a ConcurrencyError without aborting the caller's transaction.
const streamClaim: Record<AppendMode, string> = {
  exact: `UPDATE es_streams SET version = version + $2::bigint
          WHERE stream_id = $1 AND version = $4::bigint RETURNING version`,
  new: `INSERT INTO es_streams (stream_id, version) VALUES ($1, $2::bigint)
        ON CONFLICT (stream_id) DO NOTHING RETURNING version`,
  any: `INSERT INTO es_streams AS st (stream_id, version) VALUES ($1, $2::bigint)
        ON CONFLICT (stream_id) DO UPDATE SET version = st.version + EXCLUDED.version RETURNING version`,
};

const OUTBOX_PARAMS = { exact: 5, new: 4, any: 4 } as const;

function appendSql(mode: AppendMode, withOutbox: boolean): string {
  const o = OUTBOX_PARAMS[mode];
  const outbox = withOutbox
    ? `, ob AS (
         INSERT INTO es_outbox (topic, key, value, headers)
         SELECT m.topic, m.key, m.value, m.headers
         FROM s CROSS JOIN ${OUTBOX_ROWS(`$${o}`)}
         ORDER BY m.ord
       )`
    : '';
  // NOTIFY is transactional: the relay hears it only once the rows it announces are committed.
  const notify = withOutbox ? `, pg_notify($${o + 1}, '')` : '';
  return `WITH s AS (${streamClaim[mode]}),
    ev AS (
      INSERT INTO es_events (stream_id, stream_version, event_id, event_type, data, metadata, schema_version)
      SELECT $1, s.version - $2::bigint + e.seq, e.id, e.type, COALESCE(e.data, 'null'), COALESCE(e.metadata, '{}'), e.schema_version
      FROM s CROSS JOIN ${EVENT_ROWS('$3')}
      ORDER BY e.ord
      RETURNING global_position
    )${outbox}
    SELECT s.version AS next_version, (SELECT max(global_position) FROM ev) AS last_position${notify} FROM s`;
}

const appendStatements = new Map<string, { name: string; text: string }>();
for (const mode of ['exact', 'new', 'any'] as const) {
  for (const withOutbox of [false, true]) {
    const name = `fulfillment_es_append_${mode}${withOutbox ? '_outbox' : ''}`;
    appendStatements.set(`${mode}:${withOutbox}`, { name, text: appendSql(mode, withOutbox) });
  }
}

// A row written outside a CommandPipeline (which gives each decision the trace of its own work) carries the trace of
// the active context.
const traced = (messages: OutboxMessage[]): readonly OutboxMessage[] => withTrace(messages, context.active());

const ENQUEUE_OUTBOX_SQL = `WITH ob AS (
    INSERT INTO es_outbox (topic, key, value, headers)
    SELECT m.topic, m.key, m.value, m.headers
    FROM ${OUTBOX_ROWS('$1')}
    ORDER BY m.ord
  )
  SELECT pg_notify($2, '')`;

const READ_STREAM_SQL = `SELECT ${EVENT_COLUMNS} FROM es_events
  WHERE stream_id = $1 AND stream_version >= $2 ORDER BY stream_version`;

// Only transactions older than the oldest one still running are read: their outcome is final, so no event can
// later appear before the returned checkpoint. Ordering by transaction id first keeps that true across pages.
const READ_ALL_SQL = `SELECT ${EVENT_COLUMNS} FROM es_events
  WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot())
    AND (transaction_id, global_position) > ($1::xid8, $2::bigint)
  ORDER BY transaction_id, global_position
  LIMIT $3`;

// Snapshot and the events after it in one round trip; the outer sort keeps the snapshot row first.
const LOAD_WITH_SNAPSHOT_SQL = `WITH snap AS (
    SELECT stream_version, state FROM es_snapshots WHERE stream_id = $1 AND schema_version = $2
  )
  SELECT * FROM (
    SELECT true AS is_snapshot, NULL::text AS stream_id, stream_version, NULL::bigint AS global_position,
           NULL::text AS transaction_id, NULL::uuid AS event_id, NULL::text AS event_type, NULL::int AS schema_version,
           state AS data,
           NULL::jsonb AS metadata, NULL::timestamptz AS created_at
    FROM snap
    UNION ALL
    SELECT false, ${EVENT_COLUMNS} FROM es_events
    WHERE stream_id = $1 AND stream_version > COALESCE((SELECT stream_version FROM snap), 0)
  ) rows
  ORDER BY is_snapshot DESC, stream_version`;

const SAVE_SNAPSHOT_SQL = `INSERT INTO es_snapshots (stream_id, schema_version, stream_version, state)
  VALUES ($1, $2, $3, $4::jsonb)
  ON CONFLICT (stream_id, schema_version) DO UPDATE
    SET stream_version = EXCLUDED.stream_version, state = EXCLUDED.state, created_at = now()
    WHERE es_snapshots.stream_version < EXCLUDED.stream_version`;

const isUniqueViolation = (error: unknown): error is DatabaseError =>
  typeof error === 'object' && error !== null && (error as DatabaseError).code === '23505';

export class PostgresEventStore {
  private readonly notifyChannel: string;

  constructor(
    private readonly pool: Pool,
    options: { notifyChannel?: string } = {},
  ) {
    this.notifyChannel = options.notifyChannel ?? DEFAULT_NOTIFY_CHANNEL;
  }

  /** Runs `fn` in one READ COMMITTED transaction: commits when it resolves, rolls back when it throws. */
  async transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // pg reports a session ended under a checked-out client (pg_terminate_backend, a server restart) as an 'error'
    // event, and an 'error' event nobody listens to ends the process. The transaction fails through its next query.
    const sessionLost = (): void => undefined;
    client.on('error', sessionLost);
    const release = (error?: Error) => {
      client.off('error', sessionLost);
      client.release(error);
    };
    const tx = new PgTx(client);
    let result: T;
    try {
      await client.query('BEGIN');
      result = await fn(tx);
      await client.query('COMMIT');
    } catch (error) {
      tx.finish();
      try {
        await client.query('ROLLBACK');
        release();
      } catch (rollbackError) {
        // A connection that cannot roll back must not go back to the pool.
        release(rollbackError as Error);
      }
      throw error;
    }
    tx.finish(true);
    release();
    return result;
  }

  /**
   * Appends `events` to the stream if it is at `expected`, and writes `outbox` in the same statement. Without `tx`
   * the append is its own transaction. Throws ConcurrencyError when the stream is elsewhere; that leaves a given
   * transaction usable.
   */
  async append(
    streamId: string,
    expected: ExpectedVersion,
    events: NewEvent[],
    opts: { tx?: Tx; outbox?: OutboxMessage[] } = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new RangeError(`Nothing to append to stream ${streamId}: events is empty`);
    const mode = appendMode(expected);
    const outbox = opts.outbox ?? [];
    const statement = appendStatements.get(`${mode}:${outbox.length > 0}`)!;

    const values: unknown[] = [streamId, events.length, JSON.stringify(eventRowsJson(null, events))];
    if (mode === 'exact') values.push(expected);
    if (outbox.length > 0) values.push(outboxRowsJson(traced(outbox)), this.notifyChannel);

    const db: Queryable = opts.tx ?? this.pool;
    let rows: { next_version: string | number; last_position: string | number }[];
    try {
      ({ rows } = await db.query({ name: statement.name, text: statement.text, values }));
    } catch (error) {
      // Only reachable if events were written around es_streams; the version claim normally prevents it. The
      // error has aborted any given transaction, so the actual version is read outside it.
      if (isUniqueViolation(error) && error.constraint === 'es_events_pkey') {
        throw new ConcurrencyError(streamId, expected, await this.currentVersion(streamId));
      }
      throw error;
    }
    const row = rows[0];
    if (!row) throw new ConcurrencyError(streamId, expected, await this.currentVersion(streamId, opts.tx));
    return { nextVersion: Number(row.next_version), lastGlobalPosition: BigInt(row.last_position) };
  }

  /** Adds messages to the outbox inside `tx`, for effects that are not an append (e.g. a read-model change). */
  async enqueueOutbox(tx: Tx, messages: OutboxMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await tx.query({
      name: 'fulfillment_es_enqueue_outbox',
      text: ENQUEUE_OUTBOX_SQL,
      values: [outboxRowsJson(traced(messages)), this.notifyChannel],
    });
  }

  /** Events of one stream in order, from `fromVersion` (inclusive, 1-based; default: all). */
  async readStream(streamId: string, opts: { fromVersion?: number; tx?: Tx } = {}): Promise<StoredEvent[]> {
    const db: Queryable = opts.tx ?? this.pool;
    const { rows } = await db.query<EventRow>({
      name: 'fulfillment_es_read_stream',
      text: READ_STREAM_SQL,
      values: [streamId, opts.fromVersion ?? 1],
    });
    return rows.map(toStoredEvent);
  }

  /**
   * The next page of the global log after `after` (null: from the start). Events of transactions still running
   * are withheld until every older transaction has finished, so paging never skips an event that commits late.
   */
  async readAll(opts: {
    after: GlobalCheckpoint | null;
    limit: number;
    tx?: Tx;
  }): Promise<{ events: StoredEvent[]; checkpoint: GlobalCheckpoint | null }> {
    if (!Number.isSafeInteger(opts.limit) || opts.limit < 1) {
      throw new RangeError(`limit must be a positive integer, got ${opts.limit}`);
    }
    const db: Queryable = opts.tx ?? this.pool;
    const { rows } = await db.query<EventRow>({
      name: 'fulfillment_es_read_all',
      text: READ_ALL_SQL,
      values: [String(opts.after?.transactionId ?? 0n), String(opts.after?.globalPosition ?? 0n), opts.limit],
    });
    const last = rows[rows.length - 1];
    return { events: rows.map(toStoredEvent), checkpoint: last ? checkpointOf(last) : opts.after };
  }

  /** Current version of a stream (0 when it has no events). */
  async currentVersion(streamId: string, tx?: Tx): Promise<number> {
    const db: Queryable = tx ?? this.pool;
    const { rows } = await db.query<{ version: string }>('SELECT version FROM es_streams WHERE stream_id = $1', [
      streamId,
    ]);
    return toInt(rows[0]?.version) ?? 0;
  }

  /**
   * Folds a stream into state, starting from its latest snapshot when the fold has a snapshot policy, and writes a
   * new snapshot (in `tx` when given) once `every` events were folded on top of the old one.
   */
  async load<S>(streamId: string, fold: Fold<S>, opts: LoadOptions = {}): Promise<LoadResult<S>> {
    const { tx, forUpdate } = opts;
    if (forUpdate) {
      // A session-less lock would be released before the caller appends, which would make it useless.
      if (!tx) throw new Error('load with forUpdate needs a transaction: pass opts.tx');
      await tx.query({
        name: 'fulfillment_es_lock_stream',
        text: 'SELECT pg_advisory_xact_lock($1, hashtext($2))',
        values: [LockClass.stream, streamId],
      });
    }
    const db: Queryable = tx ?? this.pool;
    const policy = fold.snapshot;
    if (!policy) return foldRows(fold, (await this.readStream(streamId, { tx })).map((event) => ({ event })));

    checkSnapshotPolicy(policy);
    const { rows } = await db.query<LoadRow>({
      name: 'fulfillment_es_load_with_snapshot',
      text: LOAD_WITH_SNAPSHOT_SQL,
      values: [streamId, policy.schemaVersion],
    });
    const loaded = foldRows(fold, rows.map(toFoldInput));
    if (opts.writeSnapshot !== false && loaded.eventsFolded >= policy.every) {
      await db.query({
        name: 'fulfillment_es_save_snapshot',
        text: SAVE_SNAPSHOT_SQL,
        values: [streamId, policy.schemaVersion, loaded.version, JSON.stringify(snapshotOf(policy, loaded.state))],
      });
    }
    return loaded;
  }

  /**
   * Writes snapshots (states already in their stored form) in one statement. A snapshot only replaces an older one of
   * the same schema version, so writers racing on a stream keep the latest.
   */
  async saveSnapshots(
    schemaVersion: number,
    snapshots: readonly { streamId: string; version: number; state: unknown }[],
    db: Queryable = this.pool,
  ): Promise<void> {
    if (snapshots.length === 0) return;
    await db.query({
      text: SAVE_SNAPSHOTS_SQL,
      values: [schemaVersion, JSON.stringify(snapshots.map((d) => ({ stream_id: d.streamId, stream_version: d.version, state: d.state })))],
    });
  }

  /**
   * `load` for many streams at once: with `forUpdate`, their locks are taken in one round trip in one global order (so
   * two callers with overlapping sets cannot deadlock), then one query reads every snapshot and the events after
   * them, and one statement writes the snapshots that are due. Every stream asked for is in the result, an empty one
   * at version 0.
   */
  async loadMany<S>(streamIds: readonly string[], fold: Fold<S>, opts: LoadManyOptions<S> = {}): Promise<Map<string, LoadResult<S>>> {
    const { tx, forUpdate } = opts;
    if (forUpdate && !tx) throw new Error('loadMany with forUpdate needs a transaction: pass opts.tx');
    const policy = fold.snapshot;
    if (policy) checkSnapshotPolicy(policy);
    const ids = [...new Set(streamIds)].sort();
    const result = new Map<string, LoadResult<S>>();
    if (ids.length === 0) return result;
    const db: Queryable = tx ?? this.pool;
    if (forUpdate) {
      await db.query({ text: LOCK_STREAMS_SQL, values: [LockClass.stream, ids] });
    }
    const known = opts.known;
    const fresh = known ? ids.filter((id) => !known.has(id)) : ids;
    const held = known ? ids.filter((id) => known.has(id)) : [];
    // Unnamed statements, planned for each call (see APPEND_MANY_SQL): the snapshots and events of the streams not held,
    // the events after their versions of the held ones.
    const rows: LoadRow[] = [];
    if (fresh.length > 0) rows.push(...(await db.query<LoadRow>({ text: LOAD_MANY_SQL, values: [fresh, policy?.schemaVersion ?? null] })).rows);
    if (held.length > 0) {
      const versions = held.map((id) => String(known!.get(id)!.version));
      rows.push(...(await db.query<LoadRow>({ text: LOAD_AFTER_SQL, values: [held, versions] })).rows);
    }
    const byStream = new Map<string, LoadRow[]>();
    for (const row of rows) {
      const list = byStream.get(row.stream_id);
      if (list) list.push(row);
      else byStream.set(row.stream_id, [row]);
    }
    const due: { streamId: string; version: number; state: unknown }[] = [];
    for (const streamId of ids) {
      const base = known?.get(streamId);
      const loaded = foldRows(fold, (byStream.get(streamId) ?? []).map(toFoldInput), base);
      result.set(streamId, loaded);
      if (policy && opts.writeSnapshot !== false && snapshotDue(policy, loaded.version, loaded.snapshotVersion, loaded.state)) {
        due.push({ streamId, version: loaded.version, state: snapshotOf(policy, loaded.state) });
      }
    }
    if (policy && due.length > 0) await this.saveSnapshots(policy.schemaVersion, due, db);
    return result;
  }

  /**
   * `append` for many streams in one statement, all or nothing: each stream is checked against its own expected
   * version, and if any is elsewhere nothing at all is written and ConcurrencyError names the first such stream (in
   * the order given). `outbox` is written in the given order, with the events. Returns each stream's result.
   *
   * A conflict found on existing streams leaves a given transaction usable. One that shows up only while writing
   * (another transaction created one of the new streams meanwhile) has aborted it, as the unique violation of a
   * single append does; the actual versions are then read outside it.
   */
  async appendMany(
    appends: readonly StreamAppend[],
    opts: { tx?: Tx; outbox?: OutboxMessage[] } = {},
  ): Promise<Map<string, AppendResult>> {
    const values = appendManyColumns(appends);
    const outbox = opts.outbox ?? [];
    const text = outbox.length > 0 ? APPEND_MANY_SQL.outbox : APPEND_MANY_SQL.plain;
    if (outbox.length > 0) values.push(outboxRowsJson(traced(outbox)), this.notifyChannel);

    const db: Queryable = opts.tx ?? this.pool;
    let rows: AppendManyRow[];
    try {
      ({ rows } = await db.query<AppendManyRow>({ text, values }));
    } catch (error) {
      if (isUniqueViolation(error) && (error.constraint === 'es_streams_pkey' || error.constraint === 'es_events_pkey')) {
        throw await this.firstConflict(appends);
      }
      throw error;
    }
    const byStream = new Map(rows.map((row) => [row.stream_id, row]));
    const conflict = appends.find(({ streamId }) => !byStream.get(streamId)?.ok);
    if (conflict) {
      throw new ConcurrencyError(conflict.streamId, conflict.expected, toInt(byStream.get(conflict.streamId)?.actual) ?? 0);
    }
    const results = new Map<string, AppendResult>();
    for (const { streamId } of appends) {
      const row = byStream.get(streamId)!;
      results.set(streamId, { nextVersion: Number(row.next_version), lastGlobalPosition: BigInt(row.last_position!) });
    }
    return results;
  }

  /** After a write-time conflict of appendMany: the first stream found elsewhere than expected, read outside any transaction. */
  private async firstConflict(appends: readonly StreamAppend[]): Promise<ConcurrencyError> {
    const { rows } = await this.pool.query<{ stream_id: string; version: string }>(
      'SELECT stream_id, version FROM es_streams WHERE stream_id = ANY($1::text[])',
      [appends.map((a) => a.streamId)],
    );
    const actual = new Map(rows.map((row) => [row.stream_id, Number(row.version)]));
    const moved = appends.find(({ streamId, expected }) => {
      const version = actual.get(streamId) ?? 0;
      return appendMode(expected) === 'new' ? version !== 0 : appendMode(expected) === 'exact' && version !== expected;
    });
    // Events written around the stream table leave the versions as expected: the first stream stands for the batch.
    const culprit = moved ?? appends[0]!;
    return new ConcurrencyError(culprit.streamId, culprit.expected, actual.get(culprit.streamId) ?? 0);
  }
}

function checkSnapshotPolicy(policy: Pick<SnapshotPolicy<unknown>, 'every'>): void {
  if (!Number.isSafeInteger(policy.every) || policy.every < 1) {
    throw new RangeError(`snapshot.every must be a positive integer, got ${policy.every}`);
  }
}

function snapshotOf<S>(policy: SnapshotPolicy<S>, state: S): unknown {
  return policy.toSnapshot ? policy.toSnapshot(state) : state;
}

type FoldInput = { snapshot: unknown; version: number } | { event: StoredEvent };

const toFoldInput = (row: LoadRow): FoldInput =>
  row.is_snapshot ? { snapshot: row.data, version: Number(row.stream_version) } : { event: toStoredEvent(row) };

/** One stream's rows (its snapshot first, if any, then its events in order) folded into a load result. */
function foldRows<S>(fold: Fold<S>, rows: readonly FoldInput[], base?: KnownState<S>): LoadResult<S> {
  let state = base ? base.state : fold.initialState();
  let version = base ? base.version : 0;
  let snapshotVersion: number | null = base ? base.snapshotVersion : null;
  let eventsFolded = 0;
  for (const row of rows) {
    if ('snapshot' in row) {
      const restore = fold.snapshot?.fromSnapshot;
      state = restore ? restore(row.snapshot) : (row.snapshot as S);
      version = snapshotVersion = row.version;
    } else {
      state = fold.evolve(state, row.event);
      version = row.event.streamVersion;
      eventsFolded++;
    }
  }
  return { state, version, snapshotVersion, eventsFolded };
}
