import type { Queryable } from '@fulfillment/eventstore';
import type { QueryResultRow } from 'pg';

/** What the supplier's listings filter by: a SKU and a status, each only when given. */
export interface SkuStatusFilter<Status extends string> {
  sku?: string;
  status?: Status;
  limit: number;
}

/** The query of one listing: its prepared statement's name, the columns it reads, its table and its order. */
export interface Listing<Row, View> {
  readonly name: string;
  readonly columns: string;
  readonly table: string;
  readonly orderBy: string;
  readonly toView: (row: Row) => View;
}

/** One page of a listing (`GET /purchase-orders`, `GET /replenishment-requests`). */
export async function listBySkuAndStatus<Row extends QueryResultRow, View>(
  db: Queryable,
  listing: Listing<Row, View>,
  filter: SkuStatusFilter<string>,
): Promise<View[]> {
  const { rows } = await db.query<Row>({
    name: listing.name,
    text: `SELECT ${listing.columns}
           FROM ${listing.table}
           WHERE ($1::text IS NULL OR sku = $1) AND ($2::text IS NULL OR status = $2)
           ORDER BY ${listing.orderBy}
           LIMIT $3`,
    values: [filter.sku ?? null, filter.status ?? null, filter.limit],
  });
  return rows.map(listing.toView);
}
