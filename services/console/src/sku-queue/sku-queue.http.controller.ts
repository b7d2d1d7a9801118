import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ZodValidationPipe } from '@fulfillment/platform';
import { QueueDepthSeries } from '../board/queue-depth.series.js';
import type { ConsoleConfig } from '../console.config.js';
import { CONSOLE_CONFIG } from '../console.tokens.js';
import { idParam } from '../upstream/id-param.js';
import { OperatorOf, type Operator } from '../upstream/operator.js';
import { segment, UpstreamClient } from '../upstream/upstream.client.js';
import type { PurchaseOrder, SkuPageAnswer } from '../client/console-api.js';
import { skuQueueOf, type SkuAnswer } from './sku-queue.view.js';


@Controller('api/skus')
export class SkuQueueHttpController {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly series: QueueDepthSeries,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  /** A SKU's stock and FIFO queue with promised dates, its open purchase orders at the supplier, its queue over time. */
  @Get(':sku')
  async sku(@Param('sku', new ZodValidationPipe(idParam, 'sku')) sku: string, @OperatorOf() operator: Operator): Promise<SkuPageAnswer> {
    const [answer, purchaseOrders] = await Promise.all([
      this.upstream.get<SkuAnswer>('inventory', `/skus/${segment(sku)}`, operator),
      this.upstream.tryGet<PurchaseOrder[]>('supplier', `/purchase-orders?sku=${segment(sku)}&status=open`, operator),
    ]);
    return {
      ...skuQueueOf(answer, new Date()),
      purchaseOrders: purchaseOrders.ok ? purchaseOrders.body : null,
      purchaseOrdersError: purchaseOrders.ok ? null : purchaseOrders.error.message,
      history: { points: this.series.ofSku(answer.sku), sampleIntervalMs: this.config.board.sampleIntervalMs, samplesKept: this.config.board.samplesKept },
    };
  }
}
