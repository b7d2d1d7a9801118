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
}

export class PgTx implements Tx {
  private finished = false;

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

  finish(): void {
    this.finished = true;
  }
}
