import type { OpenApiInfo } from '@fulfillment/platform';

/** What /docs says about this service; `serveOpenApi` from the platform serves it with the controllers' decorators. */
export const notificationApi: OpenApiInfo = {
  title: 'notification service',
  description:
    'Tells customers about changes to their orders: in-app (listed here), by email and by webhook, exactly one ' +
    'notification per change and channel. It learns of the changes from order.events, inventory.events and ' +
    'supplier.events, and publishes each notification as CustomerNotified on notification.events.',
  version: '1',
};
