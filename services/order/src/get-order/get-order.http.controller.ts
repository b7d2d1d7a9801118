import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { OrderView } from '@fulfillment/order-domain';
import {
  type Caller,
  CallerOf,
  ensureOwnData,
  errorBodySchema,
  HttpFieldError,
  openApiSchemaOf,
  RequiresScope,
  SCOPES,
  ZodValidationPipe,
} from '@fulfillment/platform';
import { z } from 'zod';
import { orderViewSchema } from '../openapi/openapi.schemas.js';
import { OrderViewRepository } from '../order/order-views.repository.js';

const listQuerySchema = z.object({
  customerId: z.string({ error: 'is required' }).min(1, 'must not be empty').max(200, 'must have at most 200 characters'),
  limit: z.coerce
    .number({ error: 'must be an integer from 1 to 100' })
    .int('must be an integer from 1 to 100')
    .min(1, 'must be an integer from 1 to 100')
    .max(100, 'must be an integer from 1 to 100')
    .default(20),
});

@ApiTags('orders')
@Controller('orders')
export class GetOrderHttpController {
  constructor(private readonly views: OrderViewRepository) {}

  /** A customer's orders, newest first (SPEC asks for single orders only; support staff ask for this). */
  @RequiresScope(SCOPES.ordersRead, { customer: true })
  @Get()
  @ApiOperation({ summary: "A customer's orders, newest first" })
  @ApiQuery({ name: 'customerId', required: true })
  @ApiQuery({ name: 'limit', required: false, description: '1 to 100, default 20' })
  @ApiOkResponse({ schema: openApiSchemaOf(z.array(orderViewSchema)) })
  @ApiBadRequestResponse({ schema: openApiSchemaOf(errorBodySchema) })
  listOrders(
    @Query(new ZodValidationPipe(listQuerySchema)) query: z.infer<typeof listQuerySchema>,
    @CallerOf() caller: Caller,
  ): Promise<OrderView[]> {
    ensureOwnData(caller, query.customerId, `customer ${query.customerId} not found`);
    return this.views.listByCustomer(query.customerId, query.limit);
  }

  @RequiresScope(SCOPES.ordersRead, { customer: true })
  @Get(':orderId')
  @ApiOperation({
    summary: 'The order and each line as inventory answered it',
    description:
      'status: pending (a line has units inventory has not answered), backordered (some unit waits for stock), confirmed ' +
      '(nothing waits, something is reserved or allocated), rejected (every unit unavailable), cancelled. Once every ' +
      'line is answered, quantity = reserved + allocated + backordered + unavailable + released.',
  })
  @ApiOkResponse({ schema: openApiSchemaOf(orderViewSchema) })
  @ApiNotFoundResponse({ schema: openApiSchemaOf(errorBodySchema) })
  async getOrder(@Param('orderId') orderId: string, @CallerOf() caller: Caller): Promise<OrderView> {
    const view = await this.views.find(orderId);
    ensureOwnData(caller, view?.customerId, `order ${orderId} not found`);
    if (!view) throw new HttpFieldError(404, undefined, `order ${orderId} not found`);
    return view;
  }
}
