import { type DynamicModule, Module } from '@nestjs/common';
import type { HttpAppRuntime } from '@fulfillment/platform';
import { BoardHttpController } from './board/board.http.controller.js';
import { QueueDepthSeries } from './board/queue-depth.series.js';
import type { ConsoleConfig } from './console.config.js';
import { CONSOLE_CONFIG } from './console.tokens.js';
import { DeadLettersHttpController } from './dead-letters/dead-letters.http.controller.js';
import { OrderTimelineHttpController } from './order-timeline/order-timeline.http.controller.js';
import { SkuQueueHttpController } from './sku-queue/sku-queue.http.controller.js';
import { StatusHttpController } from './status/status.http.controller.js';
import { UpstreamClient } from './upstream/upstream.client.js';
import { WebUiController } from './web/web.js';

@Module({})
export class ConsoleModule {
  static forRoot(rt: HttpAppRuntime<ConsoleConfig>): DynamicModule {
    return {
      module: ConsoleModule,
      controllers: [WebUiController, StatusHttpController, BoardHttpController, SkuQueueHttpController, OrderTimelineHttpController, DeadLettersHttpController],
      providers: [
        { provide: CONSOLE_CONFIG, useValue: rt.config },
        { provide: QueueDepthSeries, useValue: new QueueDepthSeries(rt.config.board) },
        UpstreamClient,
      ],
    };
  }
}
