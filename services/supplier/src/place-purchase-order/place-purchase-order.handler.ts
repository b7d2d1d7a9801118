import { randomUUID } from 'node:crypto';
import { ConflictException, Inject, Injectable } from '@nestjs/common';
import { LOGGER } from '@fulfillment/platform';
import { isPlaced, purchaseOrderView, type PurchaseOrderView } from '@fulfillment/supplier-domain';
import type { Logger } from 'pino';
import { derivedId } from '../shared/derived-id.js';
import { SupplierTransactions } from '../shared/supplier-transactions.js';
import { requestCausation } from '../shared/supplier-unit-of-work.js';
import type { PlacePurchaseOrderRequest } from './place-purchase-order.request.js';

export interface PlacePurchaseOrderInput extends PlacePurchaseOrderRequest {
  correlationId: string;
  idempotencyKey?: string;
}

@Injectable()
export class PlacePurchaseOrderHandler {
  constructor(
    private readonly transactions: SupplierTransactions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Places a manual purchase order. With an idempotency key the id is derived from the key, so a retried request
   * finds the order it placed the first time (`replayed`) instead of placing a second one.
   */
  async place(input: PlacePurchaseOrderInput): Promise<{ view: PurchaseOrderView; replayed: boolean }> {
    const { sku, quantity, expectedAt, correlationId, idempotencyKey } = input;
    const purchaseOrderId = idempotencyKey ? derivedId(`place-purchase-order/${idempotencyKey}`) : randomUUID();
    return this.transactions.runWithRetry(async (uow) => {
      const existing = await uow.purchaseOrder(purchaseOrderId);
      if (isPlaced(existing)) {
        if (existing.sku !== sku || existing.quantity !== quantity) {
          throw new ConflictException({
            statusCode: 409,
            error: 'Conflict',
            message: 'Idempotency-Key: already used for a purchase order with another sku or quantity',
            field: 'Idempotency-Key',
          });
        }
        return { view: purchaseOrderView(existing)!, replayed: true };
      }
      const { view } = await uow.execute(
        purchaseOrderId,
        {
          type: 'PlacePurchaseOrder',
          data: { purchaseOrderId, sku, quantity, expectedAt, reason: 'manual', now: new Date().toISOString() },
        },
        requestCausation(correlationId),
      );
      this.logger.info({ purchaseOrderId, sku, quantity }, 'purchase order placed');
      return { view: view!, replayed: false };
    });
  }
}
