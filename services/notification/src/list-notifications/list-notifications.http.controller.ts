import { Controller, Get, Inject, NotFoundException, Param } from '@nestjs/common';
import { ZodValidationPipe } from '@fulfillment/platform';
import { ListNotificationsRepository, type NotificationView } from './list-notifications.repository.js';
import { customerIdParam } from './list-notifications.request.js';

@Controller('customers')
export class ListNotificationsHttpController {
  constructor(@Inject(ListNotificationsRepository) private readonly notifications: ListNotificationsRepository) {}

  /** Oldest first. 404 for a customer the service has never heard of; [] for one who was told nothing yet. */
  @Get(':customerId/notifications')
  async list(
    @Param('customerId', new ZodValidationPipe(customerIdParam, 'customerId')) customerId: string,
  ): Promise<NotificationView[]> {
    const notifications = await this.notifications.ofCustomer(customerId);
    if (notifications.length === 0 && !(await this.notifications.customerIsKnown(customerId))) {
      throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: `customer ${customerId} is unknown` });
    }
    return notifications;
  }
}
