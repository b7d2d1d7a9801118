import { randomUUID } from 'node:crypto';
import { context, type Context } from '@opentelemetry/api';
import { ContractViolationError } from '@fulfillment/contracts';
import { isDomainError, type Decider } from '@fulfillment/kernel';
import { isConcurrencyError } from './errors.js';
import { snapshotDue, type Fold, type KnownState, type PostgresEventStore, type SnapshotPolicy } from './postgres-event-store.js';
import type { DomainEvent, StoredEvents } from './stored-events.js';
import { contextOfCause, withTrace } from './trace-context.js';
import type { Tx } from './tx.js';
import type { NewEvent, OutboxMessage } from './types.js';

/** Why something happened: the flow it belongs to and the message that caused it (null for an HTTP request). */
export interface Cause {
  readonly correlationId: string;
  readonly causationId: string | null;
}

/** What the pipeline needs to know of an aggregate type: its decider and how it lives in the store. */
export interface Aggregate<C, E extends DomainEvent, S, O = undefined> {
  /** For logs and errors, e.g. `sku`. */
  readonly name: string;
  readonly decider: Decider<C, E, S>;
  /**
   * For deciders that produce more than events: what a decision also yields for its mapper and read models (the
   * notification decider renders the messages it decides to send). Used instead of `decider.decide` when given.
   */
  decideWithOutput?(command: C, state: S): { readonly events: readonly E[]; readonly output: O };
  /** The event-store stream of one aggregate, e.g. `sku-<id>`. */
  streamName(id: string): string;
  readonly events: StoredEvents<E>;
  /**
   * Folds many events at once (default: `evolve` one after the other). An aggregate whose state holds long lists
   * (a SKU's queue) folds a whole load or decision with one copy instead of one per event.
   */
  evolveAll?(state: S, events: readonly E[]): S;
  /** Snapshots of the state, for aggregates with long streams. */
  readonly snapshot?: SnapshotPolicy<S>;
  /**
   * Keep the committed states of up to `maxStreams` aggregates in memory (least recently used first out): a load then
   * reads only the events appended since (by other instances), not the snapshot. For aggregates with large states
   * touched again and again (a hot SKU), whose snapshot costs more to read than their decisions. The state must be
   * immutable (decide and evolve return new values), as the pipeline's folds already require.
   */
  readonly cache?: { readonly maxStreams: number };
}

/** One command for one aggregate. */
export interface Work<C, S = unknown> {
  /** The aggregate's id (the stream is `aggregate.streamName(id)`). */
  readonly id: string;
  readonly command: C;
  readonly cause: Cause;
  /** When the command's effect happened, stored with its events (e.g. the time an HTTP request was accepted). */
  readonly at?: string;
  /** Skips the command when the state shows it done already (a command that names its own aggregate id). */
  readonly skipIf?: (state: S) => boolean;
  /** The id of the command's n-th event (from 0): derived from the causing message for ids stable across redeliveries. */
  readonly eventId?: (n: number) => string;
  /**
   * The OpenTelemetry context the work was asked for in: its outbox rows carry that trace (`traceparent`). Default: the
   * context the causing message was handled in (by `cause.causationId`), else the active one; `submit` sets it.
   */
  readonly trace?: Context;
}

/** What one command decided, as the mapper to published messages and the read models see it. */
export interface Decision<C, E extends DomainEvent, S, O = undefined> {
  readonly id: string;
  readonly streamId: string;
  readonly command: C;
  readonly cause: Cause;
  readonly at: string | undefined;
  readonly events: readonly E[];
  /** `events[i]` is stored under `eventIds[i]`; a published envelope takes the id of the event it stands for. */
  readonly eventIds: readonly string[];
  readonly before: S;
  readonly after: S;
  /** What `decideWithOutput` yielded besides the events; undefined for a plain decider. */
  readonly output: O;
}

/** One aggregate after a batch: its state, its stream version and what was decided for it, in order. */
export interface Outcome<C, E extends DomainEvent, S, O = undefined> {
  readonly id: string;
  readonly streamId: string;
  readonly state: S;
  readonly version: number;
  readonly decisions: readonly Decision<C, E, S, O>[];
}

/** Per work item, in the order given: what it decided, or the domain's refusal (with `refusals: 'collect'`). */
export type WorkResult<C, E extends DomainEvent, S, O = undefined> =
  | { readonly ok: true; readonly decision: Decision<C, E, S, O> | null; /** the aggregate right after this item */ readonly state: S }
  | { readonly ok: false; readonly error: unknown; readonly state: S };

export interface Handled<C, E extends DomainEvent, S, O = undefined> {
  readonly outcomes: ReadonlyMap<string, Outcome<C, E, S, O>>;
  readonly results: readonly WorkResult<C, E, S, O>[];
}

export interface PipelineOptions<C, E extends DomainEvent, S, O = undefined> {
  readonly aggregate: Aggregate<C, E, S, O>;
  /**
   * Group commit of `submit`: requests that arrive while transactions are in flight wait and go together in the next
   * one (at most `maxRequests`, with at most `inFlight` transactions at once). Defaults: 200 requests, 2 transactions.
   */
  readonly groupCommit?: { readonly maxRequests?: number; readonly inFlight?: number };
  /** Errors `submit` answers a single request with instead of failing its group (default: domain refusals and contract violations). */
  readonly isRefusal?: (error: unknown) => boolean;
  /**
   * Completes the loaded states before anything is decided on them, inside the transaction: e.g. personal data kept
   * outside the stream so it can be erased.
   */
  readonly prepare?: (tx: Tx, states: ReadonlyMap<string, S>) => Promise<ReadonlyMap<string, S>>;
  /** The published messages of a decision, written to the outbox with its events (in decision order). */
  readonly publish?: (decision: Decision<C, E, S, O>) => readonly OutboxMessage[];
  /** Read models written in the same transaction, after the append, for the aggregates that changed. */
  readonly project?: (tx: Tx, changed: readonly Outcome<C, E, S, O>[]) => Promise<void>;
  /** How often `run` decides again on fresh state after a version conflict (default 2). */
  readonly conflictRetries?: number;
}

export interface HandleOptions {
  /**
   * `throw` (default): a refusal fails the whole call, so the caller's transaction rolls back. `collect`: a refused
   * command leaves its aggregate as it was, the refusal is returned in its result, and the others go on.
   */
  readonly refusals?: 'throw' | 'collect';
  /** Whether an error is a refusal to collect (default: every error a decider throws). */
  readonly isRefusal?: (error: unknown) => boolean;
}

interface Submitted<C, E extends DomainEvent, S, O> {
  readonly work: readonly Work<C, S>[];
  /** The caller's context: a group's transaction runs in one, each request's outbox rows keep their own trace. */
  readonly context: Context;
  readonly then: ((tx: Tx, handled: Handled<C, E, S, O>) => Promise<unknown>) | undefined;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** The load accumulator: the state a snapshot gave plus the events read after it, folded once when first needed. */
interface Replay<E, S> {
  base: S;
  events: E[];
}

/**
 * The write path of every service (emmett's `CommandHandler`, for a batch of streams): the aggregates a batch names
 * are locked and loaded together, each command is decided in the given order on the evolving state of its aggregate,
 * every event is appended with the outbox messages in one statement (each stream checked against its expected
 * version), and the read models are written in the same transaction.
 */
export class CommandPipeline<C, E extends DomainEvent, S, O = undefined> {
  private readonly aggregate: Aggregate<C, E, S, O>;
  private readonly fold: Fold<Replay<E, S>>;
  private readonly waiting: Submitted<C, E, S, O>[] = [];
  private inFlight = 0;
  private readonly cache: StateCache<S> | undefined;

  constructor(
    private readonly store: PostgresEventStore,
    private readonly options: PipelineOptions<C, E, S, O>,
  ) {
    this.aggregate = options.aggregate;
    this.fold = replayFold(this.aggregate, (replay) => this.materialize(replay));
    // A prepared state holds what lives outside the stream (and may be erased), so only the stream's own is kept.
    const cache = this.aggregate.cache;
    if (cache && options.prepare) throw new Error(`${this.aggregate.name}: a state cache cannot be combined with prepare`);
    this.cache = cache ? new StateCache(cache.maxStreams, this.snapshotWriter()) : undefined;
  }

  /**
   * Resolves once the snapshots a cached pipeline decided to write have been written (or failed: a snapshot only
   * saves work, the stream stays the truth). For tests and for a graceful stop.
   */
  snapshotsWritten(): Promise<void> {
    return this.cache?.drained() ?? Promise.resolve();
  }

  private snapshotWriter(): SnapshotWriter<S> | undefined {
    const policy = this.aggregate.snapshot;
    if (!policy) return undefined;
    return {
      every: policy.every,
      ...(policy.size ? { size: policy.size } : {}),
      write: (due) =>
        this.store.saveSnapshots(
          policy.schemaVersion,
          due.map(({ streamId, version, state }) => ({ streamId, version, state: policy.toSnapshot ? policy.toSnapshot(state) : state })),
        ),
    };
  }

  /** How many aggregate states the pipeline holds in memory (0 without a cache). */
  get cachedStates(): number {
    return this.cache?.size ?? 0;
  }

  get name(): string {
    return this.aggregate.name;
  }

  /** Runs the work inside the caller's transaction. A refusal throws unless `refusals: 'collect'`. */
  async handle(tx: Tx, work: readonly Work<C, S>[], options: HandleOptions = {}): Promise<Handled<C, E, S, O>> {
    const outcomes = new Map<string, Outcome<C, E, S, O>>();
    if (work.length === 0) return { outcomes, results: [] };
    const { streamName } = this.aggregate;
    const ids = [...new Set(work.map((item) => item.id))];
    const streamIds = ids.map(streamName);
    const cached = this.cache?.known(streamIds);
    // A cached pipeline writes its snapshots after the commit, off the lock (see StateCache).
    const loaded = await this.store.loadMany(streamIds, this.fold, {
      tx,
      forUpdate: true,
      ...(this.cache ? { writeSnapshot: false } : {}),
      ...(cached ? { known: cached } : {}),
    });

    const open = new Map<string, { streamId: string; version: number; state: S; events: NewEvent[]; decisions: Decision<C, E, S, O>[] }>();
    for (const id of ids) {
      const streamId = streamName(id);
      const { state, version } = loaded.get(streamId)!;
      open.set(id, { streamId, version, state: this.materialize(state), events: [], decisions: [] });
    }
    if (this.options.prepare) {
      const prepared = await this.options.prepare(tx, new Map([...open].map(([id, aggregate]) => [id, aggregate.state])));
      for (const [id, aggregate] of open) aggregate.state = prepared.get(id) ?? aggregate.state;
    }
    const outbox: OutboxMessage[] = [];
    const results: WorkResult<C, E, S, O>[] = [];
    for (const item of work) {
      const aggregate = open.get(item.id)!;
      if (item.skipIf?.(aggregate.state)) {
        results.push({ ok: true, decision: null, state: aggregate.state });
        continue;
      }
      let decision: Decision<C, E, S, O>;
      let published: readonly OutboxMessage[];
      try {
        const { events, output } = this.decide(item.command, aggregate.state);
        if (events.length === 0) {
          results.push({ ok: true, decision: null, state: aggregate.state });
          continue;
        }
        const before = aggregate.state;
        decision = {
          id: item.id,
          streamId: aggregate.streamId,
          command: item.command,
          cause: item.cause,
          at: item.at,
          events,
          eventIds: events.map((_, n) => item.eventId?.(n) ?? randomUUID()),
          before,
          after: this.evolveAll(before, events),
          output,
        };
        // Mapped before anything is written: a message the contract refuses fails the command that caused it.
        published = withTraceOf(item, this.options.publish?.(decision) ?? []);
      } catch (error) {
        if (options.refusals !== 'collect' || (options.isRefusal && !options.isRefusal(error))) throw error;
        results.push({ ok: false, error, state: aggregate.state });
        continue;
      }
      const metadata = metadataOf(item);
      decision.events.forEach((event, n) => aggregate.events.push(this.aggregate.events.encode(event, decision.eventIds[n]!, metadata)));
      outbox.push(...published);
      aggregate.decisions.push(decision);
      aggregate.state = decision.after;
      results.push({ ok: true, decision, state: decision.after });
    }

    const appends = [...open.values()]
      .filter((aggregate) => aggregate.events.length > 0)
      .map(({ streamId, version, events }) => ({ streamId, expected: version, events }));
    const appended = appends.length > 0 ? await this.store.appendMany(appends, { tx, outbox }) : new Map();
    const changed: Outcome<C, E, S, O>[] = [];
    for (const [id, aggregate] of open) {
      const outcome: Outcome<C, E, S, O> = {
        id,
        streamId: aggregate.streamId,
        state: aggregate.state,
        version: appended.get(aggregate.streamId)?.nextVersion ?? aggregate.version,
        decisions: aggregate.decisions,
      };
      outcomes.set(id, outcome);
      if (aggregate.decisions.length > 0) changed.push(outcome);
    }
    if (changed.length > 0 && this.options.project) await this.options.project(tx, changed);
    if (this.cache) {
      const cache = this.cache;
      const kept = [...outcomes.values()].map((outcome) => ({
        streamId: outcome.streamId,
        state: outcome.state,
        version: outcome.version,
        snapshotVersion: loaded.get(outcome.streamId)!.snapshotVersion,
      }));
      tx.afterCommit(() => {
        for (const entry of kept) cache.set(entry.streamId, entry);
      });
    }
    return { outcomes, results };
  }

  /**
   * `handle` in a transaction of its own, for HTTP requests: a version conflict (a writer that skipped the lock) is
   * decided again on fresh state, up to `conflictRetries` times. `then` runs in the same transaction with the outcome,
   * e.g. to record the request's Idempotency-Key with its answer.
   */
  async run<T = Handled<C, E, S, O>>(
    work: readonly Work<C, S>[] | ((tx: Tx) => Promise<readonly Work<C, S>[]>),
    then?: (tx: Tx, handled: Handled<C, E, S, O>) => Promise<T>,
    options: HandleOptions = {},
  ): Promise<T> {
    const retries = this.options.conflictRetries ?? 2;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.store.transaction(async (tx) => {
          const items = typeof work === 'function' ? await work(tx) : work;
          const handled = await this.handle(tx, items, options);
          return then ? then(tx, handled) : (handled as T);
        });
      } catch (error) {
        if (!isConcurrencyError(error) || attempt >= retries) throw error;
      }
    }
  }

  /**
   * `run` with group commit, for concurrent HTTP requests: a request that arrives while transactions are in flight
   * joins the next group, and a group is one transaction, one lock-and-load and one append for all of its requests.
   * Each request still gets its own answer after the commit: its `then` runs in the group's transaction with its own
   * part of the outcome, and a domain refusal fails only its own request. Anything that fails the group as a whole (a
   * version conflict, a request's `then` throwing, a lost connection) is retried request by request, each in a
   * transaction of its own, so one request's trouble never becomes another's.
   */
  submit<T = Handled<C, E, S, O>>(work: readonly Work<C, S>[], then?: (tx: Tx, handled: Handled<C, E, S, O>) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ work, then, context: context.active(), resolve: resolve as (value: unknown) => void, reject });
      this.drain();
    });
  }

  private drain(): void {
    const maxRequests = this.options.groupCommit?.maxRequests ?? 200;
    const maxInFlight = this.options.groupCommit?.inFlight ?? 2;
    while (this.waiting.length > 0 && this.inFlight < maxInFlight) {
      const group = this.waiting.splice(0, maxRequests);
      this.inFlight++;
      void this.commitGroup(group).finally(() => {
        this.inFlight--;
        this.drain();
      });
    }
  }

  private async commitGroup(group: Submitted<C, E, S, O>[]): Promise<void> {
    if (group.length === 1) {
      const [only] = group;
      await context.with(only!.context, () => this.run(only!.work, only!.then)).then(only!.resolve, only!.reject);
      return;
    }
    const isRefusal = this.options.isRefusal ?? ((error: unknown) => isDomainError(error) || error instanceof ContractViolationError);
    let answers: { request: Submitted<C, E, S, O>; ok: boolean; value: unknown }[];
    try {
      answers = await this.store.transaction(async (tx) => {
        const work = group.flatMap((request) => request.work.map((item) => (item.trace ? item : { ...item, trace: request.context })));
        const handled = await this.handle(tx, work, { refusals: 'collect', isRefusal });
        const settled: { request: Submitted<C, E, S, O>; ok: boolean; value: unknown }[] = [];
        let offset = 0;
        for (const request of group) {
          const results = handled.results.slice(offset, offset + request.work.length);
          offset += request.work.length;
          const refused = results.find((result) => !result.ok);
          if (refused) {
            // A request of several commands is all or nothing: its other commands are in this transaction already.
            if (request.work.length > 1) throw new Error('a refused command in a request of several: retried alone');
            settled.push({ request, ok: false, value: (refused as { error: unknown }).error });
            continue;
          }
          const own = ownPart(request.work, results, handled);
          settled.push({ request, ok: true, value: request.then ? await request.then(tx, own) : own });
        }
        return settled;
      });
    } catch {
      // One transaction per request now: each gets the outcome (or the error) that is its own.
      await Promise.all(
        group.map((request) => context.with(request.context, () => this.run(request.work, request.then)).then(request.resolve, request.reject)),
      );
      return;
    }
    for (const { request, ok, value } of answers) (ok ? request.resolve : request.reject)(value);
  }

  /** One aggregate as stored, without a lock and without writing anything (a due snapshot is left for a writer). */
  async read(id: string, options: { tx?: Tx } = {}): Promise<{ state: S; version: number }> {
    const { state, version } = await this.store.load(this.aggregate.streamName(id), this.fold, {
      ...(options.tx ? { tx: options.tx } : {}),
      writeSnapshot: false,
    });
    return { state: this.materialize(state), version };
  }

  private decide(command: C, state: S): { events: readonly E[]; output: O } {
    if (this.aggregate.decideWithOutput) return this.aggregate.decideWithOutput(command, state);
    return { events: this.aggregate.decider.decide(command, state), output: undefined as O };
  }

  private evolveAll(state: S, events: readonly E[]): S {
    if (this.aggregate.evolveAll) return this.aggregate.evolveAll(state, events);
    let next = state;
    for (const event of events) next = this.aggregate.decider.evolve(next, event);
    return next;
  }

  private materialize(replay: Replay<E, S>): S {
    if (replay.events.length > 0) {
      replay.base = this.evolveAll(replay.base, replay.events);
      replay.events = [];
    }
    return replay.base;
  }
}

/** A request's part of a group's outcome: its results, and each of its aggregates as this request left it. */
function ownPart<C, E extends DomainEvent, S, O>(
  work: readonly Work<C, S>[],
  results: readonly WorkResult<C, E, S, O>[],
  handled: Handled<C, E, S, O>,
): Handled<C, E, S, O> {
  const outcomes = new Map<string, Outcome<C, E, S, O>>();
  work.forEach((item, index) => {
    const outcome = handled.outcomes.get(item.id)!;
    const result = results[index]!;
    const decisions = [...(outcomes.get(item.id)?.decisions ?? []), ...(result.ok && result.decision ? [result.decision] : [])];
    outcomes.set(item.id, { ...outcome, state: result.state, decisions });
  });
  return { outcomes, results };
}

/** The decision's outbox rows with the trace of its work, unless the mapper gave a row a trace of its own. */
function withTraceOf(item: Pick<Work<unknown>, 'cause' | 'trace'>, messages: readonly OutboxMessage[]): readonly OutboxMessage[] {
  return messages.length === 0 ? messages : withTrace(messages, item.trace ?? contextOfCause(item.cause.causationId));
}

function metadataOf(item: Pick<Work<unknown>, 'cause' | 'at'>): Record<string, unknown> {
  const { correlationId, causationId } = item.cause;
  return item.at === undefined ? { correlationId, causationId } : { occurredAt: item.at, correlationId, causationId };
}

function replayFold<C, E extends DomainEvent, S, O>(
  aggregate: Aggregate<C, E, S, O>,
  materialize: (replay: Replay<E, S>) => S,
): Fold<Replay<E, S>> {
  const policy = aggregate.snapshot;
  return {
    initialState: () => ({ base: aggregate.decider.initialState(), events: [] }),
    evolve: (replay, stored) => {
      replay.events.push(aggregate.events.decode(stored));
      return replay;
    },
    ...(policy
      ? {
          snapshot: {
            every: policy.every,
            // Not materialized to be measured: the events not yet applied count as an entry each.
            ...(policy.size ? { size: (replay: Replay<E, S>) => policy.size!(replay.base) + replay.events.length } : {}),
            schemaVersion: policy.schemaVersion,
            toSnapshot: (replay: Replay<E, S>) => {
              const state = materialize(replay);
              return policy.toSnapshot ? policy.toSnapshot(state) : state;
            },
            fromSnapshot: (stored: unknown) => ({
              base: policy.fromSnapshot ? policy.fromSnapshot(stored) : (stored as S),
              events: [],
            }),
          },
        }
      : {}),
  };
}

interface SnapshotWriter<S> extends Pick<SnapshotPolicy<S>, 'every' | 'size'> {
  write(due: readonly { streamId: string; version: number; state: S }[]): Promise<void>;
}

/**
 * Committed aggregate states by stream, least recently used first out. An entry only moves forward: a transaction that
 * committed later (a higher version) is never replaced by one whose callback ran after it.
 *
 * Snapshots: a held state needs none to be loaded, but a restart or another instance does. So when `every` events
 * were committed since the stream's last snapshot, the committed state is written as the next one after the commit,
 * in the background, one statement at a time: a hot aggregate's snapshot (megabytes) then never holds its lock.
 */
class StateCache<S> {
  private readonly entries = new Map<string, KnownState<S>>();
  private readonly due = new Map<string, { streamId: string; version: number; state: S }>();
  private writing: Promise<void> | undefined;

  constructor(
    private readonly maxStreams: number,
    private readonly snapshots: SnapshotWriter<S> | undefined,
  ) {
    if (!Number.isInteger(maxStreams) || maxStreams < 1) throw new RangeError(`cache.maxStreams must be a positive integer, got ${maxStreams}`);
  }

  get size(): number {
    return this.entries.size;
  }

  /** The held states among `streamIds`, as the fold's replay accumulator. */
  known(streamIds: readonly string[]): Map<string, KnownState<Replay<never, S>>> | undefined {
    let found: Map<string, KnownState<Replay<never, S>>> | undefined;
    for (const streamId of streamIds) {
      const entry = this.entries.get(streamId);
      if (!entry) continue;
      this.entries.delete(streamId);
      this.entries.set(streamId, entry);
      (found ??= new Map()).set(streamId, { state: { base: entry.state, events: [] }, version: entry.version, snapshotVersion: entry.snapshotVersion });
    }
    return found;
  }

  set(streamId: string, committed: KnownState<S>): void {
    const current = this.entries.get(streamId);
    if (current && current.version > committed.version) return;
    // The snapshot this process asked for counts as written: it is not asked for again every batch until it lands.
    const latest = Math.max(committed.snapshotVersion ?? 0, current?.snapshotVersion ?? 0) || null;
    const due = this.snapshots !== undefined && snapshotDue(this.snapshots, committed.version, latest, committed.state);
    if (due) {
      this.due.set(streamId, { streamId, version: committed.version, state: committed.state });
      this.writing ??= this.writeDue();
    }
    this.entries.delete(streamId);
    this.entries.set(streamId, { ...committed, snapshotVersion: due ? committed.version : latest });
    if (this.entries.size > this.maxStreams) this.entries.delete(this.entries.keys().next().value!);
  }

  drained(): Promise<void> {
    return this.writing ?? Promise.resolve();
  }

  private async writeDue(): Promise<void> {
    try {
      while (this.due.size > 0) {
        const batch = [...this.due.values()];
        this.due.clear();
        // A failed write leaves the stream as the truth; the next load folds a few more events.
        await this.snapshots!.write(batch).catch(() => undefined);
      }
    } finally {
      this.writing = undefined;
    }
  }
}
