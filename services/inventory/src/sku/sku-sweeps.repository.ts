import type { Queryable, Tx } from '@fulfillment/eventstore';
import { nextSweepAt, type SkuState } from '@fulfillment/inventory-domain';

/** A SKU as the pipeline leaves it: its id and its state. */
export interface SweptSku {
  readonly id: string;
  readonly state: SkuState;
}

/**
 * The SKUs the expiry sweep must visit and from when (`nextSweepAt` of the domain): the pipeline writes it in the
 * transaction of every change to a SKU that has or had something to sweep, so the sweep reads a short index instead of
 * loading every SKU, and a SKU without policies costs nothing.
 */
export class SkuSweepsRepository {
  /** Records when each SKU next needs a sweep, or forgets it when no sweep can change anything. */
  async save(tx: Tx, skus: readonly SweptSku[]): Promise<void> {
    if (skus.length === 0) return;
    await tx.query({
      name: 'inventory_sku_sweeps_save',
      text: `WITH given AS (SELECT * FROM unnest($1::text[], $2::timestamptz[]) AS g (sku, due_at)),
                  forgotten AS (DELETE FROM sku_sweeps s USING given g WHERE s.sku = g.sku AND g.due_at IS NULL)
             INSERT INTO sku_sweeps (sku, due_at) SELECT sku, due_at FROM given WHERE due_at IS NOT NULL
             ON CONFLICT (sku) DO UPDATE SET due_at = EXCLUDED.due_at`,
      values: [skus.map((sku) => sku.id), skus.map((sku) => nextSweepAt(sku.state))],
    });
  }

  /** Up to `limit` SKUs due at `now`, the longest due first, leaving out those this pass has visited already. */
  async due(db: Queryable, now: string, limit: number, visited: readonly string[]): Promise<string[]> {
    const { rows } = await db.query<{ sku: string }>({
      name: 'inventory_sku_sweeps_due',
      text: `SELECT sku FROM sku_sweeps WHERE due_at <= $1 AND NOT (sku = ANY($3::text[]))
             ORDER BY due_at, sku LIMIT $2`,
      values: [now, limit, visited],
    });
    return rows.map((row) => row.sku);
  }
}

export const skuSweeps = new SkuSweepsRepository();

/**
 * The SKUs of a batch whose sweep entry may have changed: those that had or now have something to sweep. The others
 * (no expiry policy, no preorder hold) had no entry and still need none.
 */
export function sweepEntriesToSave(
  changed: readonly { id: string; state: SkuState; decisions: readonly { before: SkuState }[] }[],
): SweptSku[] {
  return changed.filter(({ state, decisions }) => nextSweepAt(state) !== null || (decisions[0] && nextSweepAt(decisions[0].before) !== null));
}
