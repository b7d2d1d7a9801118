import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { PostgresEventStore } from '@fulfillment/eventstore';
import { EVENT_STORE } from '@fulfillment/platform';
import { OrderCommandProcessor } from '../order-store/order-command.processor.js';
import type { Cause } from '../order-store/order-events.mapper.js';
import { IdempotencyKeyRepository } from './idempotency-key.repository.js';
import { placeOrderCommand } from './place-order.command.js';
import type { PlaceOrderRequest } from './place-order.request.js';

/** An `Idempotency-Key` that already placed an order for a different request. */
export class IdempotencyKeyReusedError extends Error {
  override readonly name = 'IdempotencyKeyReusedError';

  constructor() {
    super('Idempotency-Key: was already used for a different request');
  }
}

export interface PlacedOrderReceipt {
  orderId: string;
  /** True when the key had already placed this order and nothing new happened. */
  replayed: boolean;
}

/**
 * The request's identity for idempotency: its validated content in a fixed field order, so the same request sent
 * with keys in another order or with different whitespace still matches.
 */
export function requestFingerprint(request: PlaceOrderRequest): string {
  const canonical = JSON.stringify([
    request.customerId,
    request.email ?? null,
    request.lines.map(({ sku, quantity }) => [sku, quantity]),
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

@Injectable()
export class PlaceOrderHandler {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    private readonly orders: OrderCommandProcessor,
    private readonly keys: IdempotencyKeyRepository,
  ) {}

  async place(request: PlaceOrderRequest, opts: { idempotencyKey?: string | undefined; cause: Cause }): Promise<PlacedOrderReceipt> {
    const orderId = randomUUID();
    const now = new Date().toISOString();
    return this.store.transaction(async (tx) => {
      if (opts.idempotencyKey !== undefined) {
        const fingerprint = requestFingerprint(request);
        const earlier = await this.keys.claim(tx, opts.idempotencyKey, orderId, fingerprint);
        if (earlier) {
          if (earlier.requestFingerprint !== fingerprint) throw new IdempotencyKeyReusedError();
          return { orderId: earlier.orderId, replayed: true };
        }
      }
      await this.orders.apply(tx, [{ orderId, command: placeOrderCommand(orderId, request, now), occurredAt: now, cause: opts.cause }]);
      return { orderId, replayed: false };
    });
  }
}
