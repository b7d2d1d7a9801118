import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS, type AnyEnvelope } from '@fulfillment/contracts';
import type { Tx } from '@fulfillment/eventstore';
import { BatchEventPattern, ConsumeOnce, type ConsumedMessage } from '@fulfillment/messaging';
import type { SkuWork } from '../sku/sku.pipeline.js';
import { SkuPipeline } from '../sku/sku.pipeline.js';
import { OrderLinesRepository, type OrderLine } from './order-lines.repository.js';

const CONCERNS_INVENTORY = new Set<string>(['OrderPlaced', 'OrderCancelled']);

/**
 * `order.events` -> SKU commands: every line of an `OrderPlaced` is allocated on its SKU (and remembered), every
 * remembered line of an `OrderCancelled` is cancelled on its SKU. Other order events do not concern inventory.
 */
@Controller()
export class OrderEventsKafkaController {
  constructor(
    private readonly once: ConsumeOnce,
    private readonly skus: SkuPipeline,
    private readonly orderLines: OrderLinesRepository,
  ) {}

  @BatchEventPattern(TOPICS.orderEvents)
  async onOrderEvents(@Payload() messages: ConsumedMessage[]): Promise<void> {
    await this.once.run(messages, {
      accepts: (envelope) => CONCERNS_INVENTORY.has(envelope.type),
      commands: (fresh, tx) => this.workFor(tx, fresh.map((message) => message.envelope)),
      execute: (tx, work) => this.skus.handle(tx, work),
    });
  }

  private async workFor(tx: Tx, envelopes: readonly AnyEnvelope[]): Promise<SkuWork[]> {
    const now = new Date().toISOString();
    const cancelledOrders = envelopes.flatMap((envelope) => (envelope.type === 'OrderCancelled' ? [envelope.data.orderId] : []));
    // Lines placed earlier in this same batch are not in the table yet: they join the map as the batch is read.
    const linesByOrder = groupByOrder(await this.orderLines.linesOf(tx, cancelledOrders));
    const placed: OrderLine[] = [];
    const work: SkuWork[] = [];
    for (const envelope of envelopes) {
      const cause = { correlationId: envelope.correlationid, causationId: envelope.id };
      if (envelope.type === 'OrderPlaced') {
        const { orderId, customerId } = envelope.data;
        for (const { lineId, sku, quantity } of envelope.data.lines) {
          const line = { orderId, lineId, sku, customerId };
          placed.push(line);
          addTo(linesByOrder, line);
          work.push({ id: sku, command: { type: 'AllocateOrderLine', data: { orderId, lineId, customerId, quantity, now } }, cause });
        }
      } else if (envelope.type === 'OrderCancelled') {
        const { orderId, reason } = envelope.data;
        for (const { lineId, sku } of linesByOrder.get(orderId) ?? []) {
          work.push({ id: sku, command: { type: 'CancelOrderLine', data: { orderId, lineId, reason, now } }, cause });
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
