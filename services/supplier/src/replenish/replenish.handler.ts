import { Inject, Injectable } from '@nestjs/common';
import type { Envelope, MessageData } from '@fulfillment/contracts';
import { Inbox } from '@fulfillment/eventstore';
import { LOGGER } from '@fulfillment/platform';
import { isPlaced, planReplenishment } from '@fulfillment/supplier-domain';
import type { Logger } from 'pino';
import { derivedId } from '../shared/derived-id.js';
import { claimFresh, refusingAsNonRetryable } from '../shared/kafka-batch.js';
import { SupplierTransactions } from '../shared/supplier-transactions.js';
import { messageCausation } from '../shared/supplier-unit-of-work.js';

export type ReplenishmentRequestedMessage = Envelope<'ReplenishmentRequested', MessageData<'ReplenishmentRequested'>>;

/** The purchase order answering a request is named after the request, so it can only ever be placed once. */
export const replenishmentPurchaseOrderId = (requestId: string): string => derivedId(`replenishment/${requestId}`);

@Injectable()
export class ReplenishHandler {
  private readonly inbox = new Inbox('supplier-service/inventory.events');

  constructor(
    private readonly transactions: SupplierTransactions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /**
   * Places a purchase order for each request whose SKU has a supplier lead time, dated by the replenishment policy
   * from the time inventory asked. A SKU without a lead time has nobody to order from in a known time: nothing.
   */
  async replenish(requests: readonly ReplenishmentRequestedMessage[]): Promise<void> {
    const summary = await this.transactions.run(async (uow, tx) => {
      const { fresh, duplicates } = await claimFresh(tx, this.inbox, requests);
      let placed = 0;
      for (const request of fresh) {
        const { sku, quantity, leadTimeDays } = request.data;
        const purchaseOrderId = replenishmentPurchaseOrderId(request.id);
        await refusingAsNonRetryable(request, async () => {
          const command = planReplenishment({
            sku,
            quantity,
            leadTimeDays: leadTimeDays ?? null,
            requestedAt: request.time,
            newId: purchaseOrderId,
          });
          if (command === null) {
            this.logger.info({ sku, messageId: request.id }, 'replenishment requested for a SKU without lead time');
            return;
          }
          // Only reachable when the inbox forgot the request (pruned); the derived id still finds the order.
          if (isPlaced(await uow.purchaseOrder(purchaseOrderId))) return;
          await uow.execute(purchaseOrderId, command, messageCausation(request));
          placed++;
        });
      }
      return { applied: fresh.length, duplicates, placed };
    });
    this.logger.info({ requests: requests.length, ...summary }, 'ReplenishmentRequested batch applied');
  }
}
