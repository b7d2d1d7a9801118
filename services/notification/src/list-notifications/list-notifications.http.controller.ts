import { Controller, Get, Inject, Param } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
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
import { notificationViewSchema } from '../openapi/openapi.schemas.js';
import { ListNotificationsRepository, type NotificationView } from './list-notifications.repository.js';
import { customerIdParam } from './list-notifications.request.js';

@ApiTags('notifications')
@Controller('customers')
export class ListNotificationsHttpController {
  constructor(@Inject(ListNotificationsRepository) private readonly notifications: ListNotificationsRepository) {}

  /** Oldest first. 404 for a customer the service has never heard of; [] for one who was told nothing yet. */
  @RequiresScope(SCOPES.notificationsRead, { customer: true })
  @Get(':customerId/notifications')
  @ApiOperation({
    summary: "A customer's notifications on every channel, oldest first",
    description: 'In the order the changes happened, whatever the order in which the service read about them.',
  })
  @ApiParam({ name: 'customerId', schema: openApiSchemaOf(customerIdParam, 'input') })
  @ApiOkResponse({ description: '[] for a customer who was told nothing yet', schema: openApiSchemaOf(z.array(notificationViewSchema)) })
  @ApiBadRequestResponse({ description: 'customerId is invalid', schema: openApiSchemaOf(errorBodySchema) })
  @ApiNotFoundResponse({ description: 'the service has never heard of this customer', schema: openApiSchemaOf(errorBodySchema) })
  async list(
    @Param('customerId', new ZodValidationPipe(customerIdParam, 'customerId')) customerId: string,
    @CallerOf() caller: Caller,
  ): Promise<NotificationView[]> {
    ensureOwnData(caller, customerId, `customer ${customerId} is unknown`);
    const notifications = await this.notifications.ofCustomer(customerId);
    if (notifications.length === 0 && !(await this.notifications.customerIsKnown(customerId))) {
      throw new HttpFieldError(404, undefined, `customer ${customerId} is unknown`);
    }
    return notifications;
  }
}
