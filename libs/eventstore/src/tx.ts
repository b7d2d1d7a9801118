import type { PoolClient, QueryConfig, QueryResult, QueryResultRow } from 'pg';

/** Anything that runs a query: a pool or a transaction. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(config: QueryConfig): Promise<QueryResult<R>>;
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/**
 * A database transaction on one pooled connection. Everything done through it commits or rolls back together:
 * appends, read-model writes, inbox claims and outbox messages.
 */
export interface Tx extends Queryable {
  /** The underlying connection, for code that needs a raw pg client inside the same transaction. */
  readonly client: PoolClient;
  /**
   * Runs `fn` once the transaction has committed (never after a rollback): for in-memory state that may only follow
   * what is durable, such as a cache of aggregate states.
   */
  afterCommit(fn: () => void): void;
}

export class PgTx implements Tx {
  private finished = false;
  private committed: (() => void)[] = [];

  constructor(readonly client: PoolClient) {}

  query<R extends QueryResultRow = QueryResultRow>(config: QueryConfig): Promise<QueryResult<R>>;
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
  query<R extends QueryResultRow = QueryResultRow>(
    textOrConfig: string | QueryConfig,
    values?: unknown[],
  ): Promise<QueryResult<R>> {
    // A query after commit would silently run in autocommit mode on a connection someone else may now hold.
    if (this.finished) return Promise.reject(new Error('Transaction already finished: keep queries inside the callback'));
    return typeof textOrConfig === 'string'
      ? this.client.query<R>(textOrConfig, values)
      : this.client.query<R>(textOrConfig);
  }

  afterCommit(fn: () => void): void {
    if (this.finished) throw new Error('Transaction already finished: afterCommit must be called inside the callback');
    this.committed.push(fn);
  }

  /** Ends the transaction; `committed` runs what afterCommit was given (a failing callback does not undo the commit). */
  finish(committed = false): void {
    this.finished = true;
    const callbacks = this.committed;
    this.committed = [];
    if (!committed) return;
    for (const fn of callbacks) {
      try {
        fn();
      } catch {
        // The commit stands; in-memory followers of it must not fail the caller.
      }
    }
  }
}
