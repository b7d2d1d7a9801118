import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PostgresEventStore } from '@fulfillment/eventstore';
import { orderStreamName } from '@fulfillment/order-domain';
import {
  type Caller,
  CallerOf,
  errorBodySchema,
  EVENT_STORE,
  HttpFieldError,
  openApiSchemaOf,
  RequiresScope,
  SCOPES,
} from '@fulfillment/platform';
import { z } from 'zod';
import { historyEntrySchema } from '../openapi/openapi.schemas.js';
import { OrderViewRepository } from '../order/order-views.repository.js';
import { historyEntryOf, type OrderHistoryEntry } from './order-history.mapper.js';

@ApiTags('orders')
@Controller('orders')
export class OrderHistoryHttpController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
    private readonly views: OrderViewRepository,
  ) {}

  /** Everything that happened to the order, oldest first. */
  @RequiresScope(SCOPES.ordersRead, { customer: true })
  @Get(':orderId/events')
  @ApiOperation({ summary: "The order's event history, oldest first (the customer's email address is left out)" })
  @ApiOkResponse({ schema: openApiSchemaOf(z.array(historyEntrySchema)) })
  @ApiNotFoundResponse({ schema: openApiSchemaOf(errorBodySchema) })
  async history(@Param('orderId') orderId: string, @CallerOf() caller: Caller): Promise<OrderHistoryEntry[]> {
    await this.views.ensureVisibleTo(caller, orderId);
    const events = await this.store.readStream(orderStreamName(orderId));
    if (events.length === 0) {
      throw new HttpFieldError(404, undefined, `order ${orderId} not found`);
    }
    return events.map(historyEntryOf);
  }
}
