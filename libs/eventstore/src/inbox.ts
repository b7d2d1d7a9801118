import type { Queryable, Tx } from './tx.js';

/**
 * Message de-duplication for one consumer. Claim the ids of incoming messages in the same transaction as their
 * effects: an id is returned only the first time it is claimed, and a rolled-back claim leaves no trace.
 */
export class Inbox {
  constructor(readonly consumer: string) {}

  /**
   * Records `messageIds` for this consumer inside `tx` and returns those not seen before. `alsoSeenAs[i]`, when given,
   * is an older id of the same message (e.g. the bare envelope id a release before (source, id) identities recorded):
   * a message recorded under it counts as seen too.
   */
  async claim(tx: Tx, messageIds: readonly string[], alsoSeenAs?: readonly (string | null)[]): Promise<Set<string>> {
    if (messageIds.length === 0) return new Set();
    // A concurrent claim of the same id waits on the primary key until the first transaction ends, so exactly
    // one of them gets the id back.
    const { rows } = await tx.query<{ message_id: string }>({
      name: 'fulfillment_es_inbox_claim_v2',
      text: `INSERT INTO es_inbox (consumer, message_id)
             SELECT $1, m.id FROM unnest($2::text[], $3::text[]) AS m(id, older)
             WHERE m.older IS NULL
                OR NOT EXISTS (SELECT 1 FROM es_inbox i WHERE i.consumer = $1 AND i.message_id = m.older)
             ON CONFLICT (consumer, message_id) DO NOTHING
             RETURNING message_id`,
      values: [this.consumer, messageIds, messageIds.map((_, i) => alsoSeenAs?.[i] ?? null)],
    });
    return new Set(rows.map((row) => row.message_id));
  }

  /**
   * Forgets ids processed before `before`. Only safe past the longest time a message can be redelivered (Kafka
   * retention of the consumed topics); returns how many ids were removed.
   */
  async prune(db: Queryable, before: Date): Promise<number> {
    const result = await db.query('DELETE FROM es_inbox WHERE consumer = $1 AND processed_at < $2', [
      this.consumer,
      before,
    ]);
    return result.rowCount ?? 0;
  }

  /**
   * Forgets every consumer's ids processed before `before`, a slice at a time so that no long delete holds the
   * table; returns how many were removed.
   */
  static async pruneAll(db: Queryable, before: Date, slice = 10_000): Promise<number> {
    let removed = 0;
    for (;;) {
      const result = await db.query(
        `DELETE FROM es_inbox WHERE ctid = ANY (ARRAY(SELECT ctid FROM es_inbox WHERE processed_at < $1 LIMIT $2))`,
        [before, slice],
      );
      removed += result.rowCount ?? 0;
      if ((result.rowCount ?? 0) < slice) return removed;
    }
  }
}
