import type { OpenApiInfo } from '@fulfillment/platform';

/** What /docs says about this service; `serveOpenApi` from the platform serves it with the controllers' decorators. */
export const inventoryApi: OpenApiInfo = {
  title: 'inventory service',
  description:
    'Stock per SKU: configuration, stock adjustments, and the SKU view with its FIFO backorder queue. Orders and ' +
    'restocks arrive over Kafka (order.events, supplier.events); decisions are published on inventory.events. ' +
    "Every response to a command carries X-Correlation-Id (the request's, or a new one), which the events the " +
    'request causes carry as correlationid.',
  version: '1',
};
