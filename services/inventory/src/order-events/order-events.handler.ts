import type { Inbox, PostgresEventStore, Tx } from '@fulfillment/eventstore';
import type { ConsumedMessage } from '@fulfillment/messaging';
import type { Logger } from 'pino';
import { applyOnce } from '../kafka/apply-once.js';
import type { SkuCommandsHandler, SkuWork } from '../sku/sku-commands.handler.js';
import type { OrderLine, OrderLinesRepository } from './order-lines.repository.js';

/**
 * `order.events` → SKU commands: every line of an `OrderPlaced` is allocated on its SKU (and remembered), every
 * remembered line of an `OrderCancelled` is cancelled on its SKU. Other order events do not concern inventory.
 */
export class OrderEventsHandler {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly inbox: Inbox,
    private readonly orderLines: OrderLinesRepository,
    private readonly commands: SkuCommandsHandler,
    private readonly logger: Logger,
  ) {}

  async handle(messages: readonly ConsumedMessage[]): Promise<void> {
    const started = performance.now();
    let commands = 0;
    const fresh = await applyOnce(this.store, this.inbox, messages, async (tx, batch) => {
      const work = await this.workFor(tx, batch);
      commands = work.length;
      await this.commands.execute(tx, work);
    });
    this.logger.debug({ messages: messages.length, fresh, commands, durationMs: Math.round(performance.now() - started) }, 'order events applied');
  }

  private async workFor(tx: Tx, messages: readonly ConsumedMessage[]): Promise<SkuWork[]> {
    const now = new Date().toISOString();
    const cancelledOrders = messages.flatMap(({ envelope }) =>
      envelope.type === 'OrderCancelled' ? [envelope.data.orderId] : [],
    );
    // Lines placed earlier in this same batch are not in the table yet: they join the map as the batch is read.
    const linesByOrder = groupByOrder(await this.orderLines.linesOf(tx, cancelledOrders));
    const placed: OrderLine[] = [];
    const work: SkuWork[] = [];
    for (const { envelope } of messages) {
      const cause = { messageId: envelope.id, correlationId: envelope.correlationid };
      if (envelope.type === 'OrderPlaced') {
        const { orderId, customerId } = envelope.data;
        for (const { lineId, sku, quantity } of envelope.data.lines) {
          const line = { orderId, lineId, sku, customerId };
          placed.push(line);
          addTo(linesByOrder, line);
          work.push({
            sku,
            command: { type: 'AllocateOrderLine', data: { orderId, lineId, customerId, quantity, now } },
            cause,
          });
        }
      } else if (envelope.type === 'OrderCancelled') {
        const { orderId, reason } = envelope.data;
        for (const { lineId, sku } of linesByOrder.get(orderId) ?? []) {
          work.push({ sku, command: { type: 'CancelOrderLine', data: { orderId, lineId, reason, now } }, cause });
        }
      }
    }
    await this.orderLines.record(tx, placed);
    return work;
  }
}

function groupByOrder(lines: readonly OrderLine[]): Map<string, OrderLine[]> {
  const byOrder = new Map<string, OrderLine[]>();
  for (const line of lines) addTo(byOrder, line);
  return byOrder;
}

function addTo(byOrder: Map<string, OrderLine[]>, line: OrderLine): void {
  const lines = byOrder.get(line.orderId);
  if (lines) lines.push(line);
  else byOrder.set(line.orderId, [line]);
}
