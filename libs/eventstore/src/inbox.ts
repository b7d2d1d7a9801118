import type { Queryable, Tx } from './tx.js';

/**
 * Message de-duplication for one consumer. Claim the ids of incoming messages in the same transaction as their
 * effects: an id is returned only the first time it is claimed, and a rolled-back claim leaves no trace.
 */
export class Inbox {
  constructor(readonly consumer: string) {}

  /** Records `messageIds` for this consumer inside `tx` and returns those not seen before. */
  async claim(tx: Tx, messageIds: string[]): Promise<Set<string>> {
    if (messageIds.length === 0) return new Set();
    // A concurrent claim of the same id waits on the primary key until the first transaction ends, so exactly
    // one of them gets the id back.
    const { rows } = await tx.query<{ message_id: string }>({
      name: 'fulfillment_es_inbox_claim',
      text: `INSERT INTO es_inbox (consumer, message_id)
             SELECT $1, id FROM unnest($2::text[]) AS id
             ON CONFLICT (consumer, message_id) DO NOTHING
             RETURNING message_id`,
      values: [this.consumer, messageIds],
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
}
