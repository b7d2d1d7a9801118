import { Inject, Injectable } from '@nestjs/common';
import type { Envelope, MessageData } from '@fulfillment/contracts';
import { Inbox } from '@fulfillment/eventstore';
import { LOGGER } from '@fulfillment/platform';
import {
  isPlaced,
  type PurchaseOrderReceived,
  type PurchaseOrderView,
} from '@fulfillment/supplier-domain';
import type { Logger } from 'pino';
import { claimFresh, refusal, refusingAsNonRetryable } from '../shared/kafka-batch.js';
import { purchaseOrderNotFound } from '../shared/not-found.js';
import { SupplierTransactions } from '../shared/supplier-transactions.js';
import { messageCausation, requestCausation } from '../shared/supplier-unit-of-work.js';
import type { ReceiveRestockRequest } from './receive-restock.request.js';

/** The `ReceiveRestock` command as it came off supplier.commands. */
export type ReceiveRestockMessage = Envelope<'ReceiveRestock', MessageData<'ReceiveRestock'>>;

export interface Receipt {
  receiptId: string;
  purchaseOrderId: string;
  sku: string;
  quantity: number;
  receivedAt: string;
  remainingOnOrder: number;
  purchaseOrder: PurchaseOrderView;
}

@Injectable()
export class ReceiveRestockHandler {
  private readonly inbox = new Inbox('supplier-service/supplier.commands');

  constructor(
    private readonly transactions: SupplierTransactions,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** A receipt against a purchase order, recorded through HTTP. */
  async receive(purchaseOrderId: string, request: ReceiveRestockRequest, correlationId: string): Promise<Receipt> {
    return this.transactions.runWithRetry(async (uow) => {
      if (!isPlaced(await uow.purchaseOrder(purchaseOrderId))) throw purchaseOrderNotFound(purchaseOrderId);
      const { events, view } = await uow.execute(
        purchaseOrderId,
        {
          type: 'ReceivePurchaseOrder',
          data: { quantity: request.quantity, close: request.close, now: new Date().toISOString() },
        },
        requestCausation(correlationId),
      );
      const [recorded] = events;
      const { sku, quantity, receivedAt, remainingOnOrder } = (recorded!.event as PurchaseOrderReceived).data;
      this.logger.info({ purchaseOrderId, quantity, remainingOnOrder }, 'restock received');
      return {
        receiptId: recorded!.id,
        purchaseOrderId,
        sku,
        quantity,
        receivedAt,
        remainingOnOrder,
        purchaseOrder: view!,
      };
    });
  }

  /**
   * A batch of `ReceiveRestock` commands in one transaction, each applied once whatever the redeliveries. A command
   * naming a purchase order receives against it; one that does not records stock that arrived outside any order.
   * A command that can never apply (unknown order, another SKU's order, more than ordered, a closed order, closing
   * without naming an order) is refused with a `NonRetryableError`, which dead-letters it.
   */
  async receiveBatch(commands: readonly ReceiveRestockMessage[]): Promise<void> {
    const summary = await this.transactions.run(async (uow, tx) => {
      const { fresh, duplicates } = await claimFresh(tx, this.inbox, commands);
      for (const command of fresh) {
        const { purchaseOrderId, sku, quantity, closePurchaseOrder } = command.data;
        const cause = messageCausation(command);
        await refusingAsNonRetryable(command, async () => {
          if (purchaseOrderId === undefined) {
            // Most likely the purchase order id was left out: recording the goods as unplanned would leave that
            // order open and counted as incoming for ever.
            if (closePurchaseOrder === true) throw refusal(command, 'closePurchaseOrder needs a purchaseOrderId');
            uow.receiveUnplanned(sku, quantity, command.time, cause);
            return;
          }
          const order = await uow.purchaseOrder(purchaseOrderId);
          if (!isPlaced(order)) throw refusal(command, `purchase order ${purchaseOrderId} does not exist`);
          if (order.sku !== sku) {
            throw refusal(command, `purchase order ${purchaseOrderId} is for sku ${order.sku}, not ${sku}`);
          }
          await uow.execute(
            purchaseOrderId,
            { type: 'ReceivePurchaseOrder', data: { quantity, close: closePurchaseOrder, now: command.time } },
            cause,
          );
        });
      }
      return { applied: fresh.length, duplicates };
    });
    this.logger.info({ commands: commands.length, ...summary }, 'ReceiveRestock batch applied');
  }
}
