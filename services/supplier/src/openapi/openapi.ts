import type { OpenApiInfo } from '@fulfillment/platform';

/** What /docs says about this service; `serveOpenApi` from the platform serves it with the controllers' decorators. */
export const supplierApi: OpenApiInfo = {
  title: 'supplier service',
  description:
    'Purchase orders with the supplier: placing them, moving their expected date, and receiving what arrives, which ' +
    'inventory learns through RestockReceived on supplier.events. Purchase orders for replenishment are also placed ' +
    "from inventory's ReplenishmentRequested; a request no supplier terms can plan (no lead time) stays open, is " +
    'published as ReplenishmentUnplanned and listed by GET /replenishment-requests. Receipts may arrive as ' +
    'ReceiveRestock commands on supplier.commands. ' +
    "Every response to a command carries X-Correlation-Id (the request's, or a new one), which the events the request " +
    'causes carry as correlationid.',
  version: '1',
};
