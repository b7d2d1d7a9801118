import type { Queryable, Tx } from './tx.js';

/** The first answer given to a request carrying an Idempotency-Key. */
export interface RecordedAnswer {
  readonly status: number;
  readonly body: unknown;
}

export interface EarlierRequest {
  /** What identifies the request's content: the same key with another fingerprint is a different request. */
  readonly fingerprint: string;
  readonly answer: RecordedAnswer;
}

/**
 * Idempotency-Keys of mutating requests, per scope (e.g. `POST /orders`). The key is recorded with its answer in the
 * transaction of the request's effect, so the two exist together or not at all: a request retried after a crash either
 * finds its answer or runs again, never half of each.
 */
export class IdempotencyKeys {
  /** The answer recorded under the key, if a request with it has committed. */
  async find(db: Queryable, scope: string, key: string): Promise<EarlierRequest | null> {
    const { rows } = await db.query<{ fingerprint: string; status: number; response: unknown }>({
      name: 'fulfillment_es_idempotency_find',
      text: 'SELECT fingerprint, status, response FROM es_idempotency_keys WHERE scope = $1 AND key = $2',
      values: [scope, key],
    });
    const row = rows[0];
    return row ? { fingerprint: row.fingerprint, answer: { status: row.status, body: row.response } } : null;
  }

  /**
   * Records the answer inside `tx`. Returns the earlier request instead when another transaction recorded the key first
   * (this one waited for it on the key): the caller then rolls back its own effect and answers with the earlier one.
   */
  async record(tx: Tx, scope: string, key: string, fingerprint: string, answer: RecordedAnswer): Promise<EarlierRequest | null> {
    const inserted = await tx.query({
      name: 'fulfillment_es_idempotency_record',
      text: `INSERT INTO es_idempotency_keys (scope, key, fingerprint, status, response)
             VALUES ($1, $2, $3, $4, $5::jsonb) ON CONFLICT (scope, key) DO NOTHING`,
      values: [scope, key, fingerprint, answer.status, JSON.stringify(answer.body ?? null)],
    });
    if (inserted.rowCount === 1) return null;
    const earlier = await this.find(tx, scope, key);
    if (earlier === null) throw new Error(`Idempotency-Key of ${scope} vanished between its conflict and its read`);
    return earlier;
  }

  /** Forgets keys recorded before `before`; returns how many. A client retrying later than that places anew. */
  async prune(db: Queryable, before: Date): Promise<number> {
    const result = await db.query('DELETE FROM es_idempotency_keys WHERE created_at < $1', [before]);
    return result.rowCount ?? 0;
  }
}
