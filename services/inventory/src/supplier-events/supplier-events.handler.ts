import type { Inbox, PostgresEventStore } from '@fulfillment/eventstore';
import { NonRetryableError, type ConsumedMessage } from '@fulfillment/messaging';
import type { Logger } from 'pino';
import { applyOnce } from '../kafka/apply-once.js';
import type { SkuCommandsHandler, SkuWork } from '../sku/sku-commands.handler.js';

/**
 * `supplier.events` → SKU commands: purchase orders are registered and re-dated (they back promised dates), receipts
 * add stock that serves the backorder queue first.
 */
export class SupplierEventsHandler {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly inbox: Inbox,
    private readonly commands: SkuCommandsHandler,
    private readonly logger: Logger,
  ) {}

  async handle(messages: readonly ConsumedMessage[]): Promise<void> {
    const started = performance.now();
    let commands = 0;
    const fresh = await applyOnce(this.store, this.inbox, messages, async (tx, batch) => {
      const work = batch.flatMap(workFor);
      commands = work.length;
      await this.commands.execute(tx, work);
    });
    this.logger.debug({ messages: messages.length, fresh, commands, durationMs: Math.round(performance.now() - started) }, 'supplier events applied');
  }
}

function workFor({ envelope }: ConsumedMessage): SkuWork[] {
  const now = new Date().toISOString();
  const cause = { messageId: envelope.id, correlationId: envelope.correlationid };
  switch (envelope.type) {
    case 'PurchaseOrderPlaced': {
      const { purchaseOrderId, sku, quantity, expectedAt } = envelope.data;
      // A promised date needs the purchase order's date; an undated one cannot be booked as incoming.
      if (expectedAt === null) throw new NonRetryableError(`purchase order ${purchaseOrderId} has no expectedAt`);
      return [{ sku, command: { type: 'RegisterPurchaseOrder', data: { purchaseOrderId, quantity, expectedAt, now } }, cause }];
    }
    case 'PurchaseOrderEtaChanged': {
      const { purchaseOrderId, sku, expectedAt } = envelope.data;
      if (expectedAt === null) throw new NonRetryableError(`purchase order ${purchaseOrderId} lost its expectedAt`);
      return [{ sku, command: { type: 'ChangePurchaseOrderEta', data: { purchaseOrderId, expectedAt, now } }, cause }];
    }
    case 'RestockReceived': {
      const { purchaseOrderId, sku, quantity, remainingOnOrder } = envelope.data;
      return [
        {
          sku,
          command: { type: 'ReceiveRestock', data: { purchaseOrderId, quantity, remainingOnOrder, now } },
          cause,
        },
      ];
    }
    default:
      return [];
  }
}
