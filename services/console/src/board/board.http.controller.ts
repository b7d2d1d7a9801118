import { Controller, Get, Inject } from '@nestjs/common';
import { UpstreamClient } from '../upstream/upstream.client.js';
import { OperatorOf, type Operator } from '../upstream/operator.js';
import { CONSOLE_CONFIG } from '../console.tokens.js';
import type { ConsoleConfig } from '../console.config.js';
import type { BoardAnswer } from '../client/console-api.js';
import { boardOf, type BackorderReport } from './board.rows.js';
import { QueueDepthSeries } from './queue-depth.series.js';

@Controller('api/board')
export class BoardHttpController {
  constructor(
    private readonly upstream: UpstreamClient,
    private readonly series: QueueDepthSeries,
    @Inject(CONSOLE_CONFIG) private readonly config: ConsoleConfig,
  ) {}

  /** The SKUs with waiting lines, and queue depth over time as this console sampled it. */
  @Get()
  async board(@OperatorOf() operator: Operator): Promise<BoardAnswer> {
    const report = await this.upstream.get<BackorderReport>('inventory', '/reports/backorders', operator);
    const board = boardOf(report);
    this.series.record(new Date(), board.rows);
    return {
      ...board,
      history: { points: this.series.totals(), sampleIntervalMs: this.config.board.sampleIntervalMs, samplesKept: this.config.board.samplesKept },
    };
  }
}
