import { Injectable } from '@nestjs/common';
import type { Tx } from '@fulfillment/eventstore';

export interface StoredIdempotencyKey {
  orderId: string;
  requestFingerprint: string;
}

@Injectable()
export class IdempotencyKeyRepository {
  /**
   * Records `key` for `orderId` inside `tx`, or returns what an earlier request already recorded under it. A
   * concurrent request with the same key waits on the primary key until the first one commits or rolls back, so
   * exactly one of them places an order.
   */
  async claim(tx: Tx, key: string, orderId: string, requestFingerprint: string): Promise<StoredIdempotencyKey | null> {
    const inserted = await tx.query({
      name: 'order_idempotency_claim',
      text: `INSERT INTO order_idempotency_keys (idempotency_key, order_id, request_fingerprint)
             VALUES ($1, $2, $3) ON CONFLICT (idempotency_key) DO NOTHING RETURNING order_id`,
      values: [key, orderId, requestFingerprint],
    });
    if (inserted.rowCount === 1) return null;
    const { rows } = await tx.query<{ order_id: string; request_fingerprint: string }>({
      name: 'order_idempotency_find',
      text: 'SELECT order_id, request_fingerprint FROM order_idempotency_keys WHERE idempotency_key = $1',
      values: [key],
    });
    const row = rows[0];
    if (!row) throw new Error('idempotency key vanished between its conflict and its read');
    return { orderId: row.order_id, requestFingerprint: row.request_fingerprint };
  }
}
