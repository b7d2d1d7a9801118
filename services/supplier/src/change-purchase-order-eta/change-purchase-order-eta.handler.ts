import { Inject, Injectable } from '@nestjs/common';
import { LOGGER } from '@fulfillment/platform';
import { isPlaced, type PurchaseOrderView } from '@fulfillment/supplier-domain';
import type { Logger } from 'pino';
import { purchaseOrderNotFound } from '../shared/not-found.js';
import { SupplierTransactions } from '../shared/supplier-transactions.js';
import { requestCausation } from '../shared/supplier-unit-of-work.js';

@Injectable()
export class ChangePurchaseOrderEtaHandler {
  constructor(
    private readonly transactions: SupplierTransactions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Moves the expected arrival; the same instant again changes and publishes nothing. */
  async change(purchaseOrderId: string, expectedAt: string, correlationId: string): Promise<PurchaseOrderView> {
    return this.transactions.runWithRetry(async (uow) => {
      if (!isPlaced(await uow.purchaseOrder(purchaseOrderId))) throw purchaseOrderNotFound(purchaseOrderId);
      const { events, view } = await uow.execute(
        purchaseOrderId,
        { type: 'ChangePurchaseOrderEta', data: { expectedAt, now: new Date().toISOString() } },
        requestCausation(correlationId),
      );
      if (events.length > 0) this.logger.info({ purchaseOrderId }, 'purchase order date changed');
      return view!;
    });
  }
}
