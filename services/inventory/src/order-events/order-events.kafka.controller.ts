import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { TOPICS, type AnyEnvelope } from '@fulfillment/contracts';
import type { Tx } from '@fulfillment/eventstore';
import { BatchEventPattern, ConsumeOnce, type ConsumedMessage } from '@fulfillment/messaging';
import type { SkuWork } from '../sku/sku.pipeline.js';
import { SkuPipeline } from '../sku/sku.pipeline.js';
import { OrderLinesRepository, type OrderLine } from './order-lines.repository.js';

const CONCERNS_INVENTORY = ['OrderPlaced', 'OrderCancelled', 'OrderShipped', 'OrderLineCancelled', 'OrderLineSubstituted'];

/** The release reasons inventory gives for what the order gave up (BackorderReleased / StockReleased). */
export const LINE_CANCELLED_REASON = 'line-cancelled';
export const SUBSTITUTED_REASON = 'substituted';

/**
 * `order.events` -> SKU commands: every line of an `OrderPlaced` is allocated on its SKU (and remembered), every
 * remembered line of an `OrderCancelled` is cancelled on its SKU, every line of an `OrderShipped` ships on its SKU, an
 * `OrderLineCancelled` releases its quantity on the line's SKU, and an `OrderLineSubstituted` releases the line's
 * queued units and allocates the new line on the substitute SKU (remembered too, so a later `OrderCancelled` reaches
 * it). `OrderStatusChanged` and `OrderReadyToShip` do not concern inventory.
 */
@Controller()
export class OrderEventsKafkaController {
  constructor(
    private readonly once: ConsumeOnce,
    private readonly skus: SkuPipeline,
    private readonly orderLines: OrderLinesRepository,
  ) {}

  @BatchEventPattern(TOPICS.orderEvents, { types: CONCERNS_INVENTORY })
  async onOrderEvents(@Payload() messages: ConsumedMessage[]): Promise<void> {
    await this.once.run(messages, {
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
    const allocate = (line: OrderLine, quantity: number, cause: SkuWork['cause']) => {
      const { orderId, lineId, customerId, sku } = line;
      placed.push(line);
      addTo(linesByOrder, line);
      work.push({ id: sku, command: { type: 'AllocateOrderLine', data: { orderId, lineId, customerId, quantity, now } }, cause });
    };
    for (const envelope of envelopes) {
      const cause = { correlationId: envelope.correlationid, causationId: envelope.id };
      switch (envelope.type) {
        case 'OrderPlaced': {
          const { orderId, customerId } = envelope.data;
          for (const { lineId, sku, quantity } of envelope.data.lines) allocate({ orderId, lineId, sku, customerId }, quantity, cause);
          break;
        }
        case 'OrderCancelled': {
          const { orderId, reason } = envelope.data;
          for (const { lineId, sku } of linesByOrder.get(orderId) ?? []) {
            work.push({ id: sku, command: { type: 'CancelOrderLine', data: { orderId, lineId, reason, now } }, cause });
          }
          break;
        }
        case 'OrderShipped': {
          const { orderId } = envelope.data;
          for (const { lineId, sku, quantity } of envelope.data.lines) {
            work.push({ id: sku, command: { type: 'ShipOrderLine', data: { orderId, lineId, quantity, now } }, cause });
          }
          break;
        }
        case 'OrderLineCancelled': {
          const { orderId, lineId, sku, quantity } = envelope.data;
          work.push({ id: sku, command: { type: 'CancelOrderLine', data: { orderId, lineId, quantity, reason: LINE_CANCELLED_REASON, now } }, cause });
          break;
        }
        case 'OrderLineSubstituted': {
          const { orderId, customerId, lineId, newLineId, sku, substituteSku, quantity, waiting } = envelope.data;
          // Only the queued units are inventory's to release; the unavailable ones it never held.
          if (waiting > 0) {
            work.push({ id: sku, command: { type: 'CancelOrderLine', data: { orderId, lineId, quantity: waiting, reason: SUBSTITUTED_REASON, now } }, cause });
          }
          allocate({ orderId, lineId: newLineId, sku: substituteSku, customerId }, quantity, cause);
          break;
        }
        default:
          break;
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
