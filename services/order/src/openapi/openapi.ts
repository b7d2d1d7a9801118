import type { OpenApiInfo } from '@fulfillment/platform';

/** What /docs says about this service; `serveOpenApi` from the platform serves it with the controllers' decorators. */
export const orderApi: OpenApiInfo = {
  title: 'order service',
  description:
    'Places orders, records their shipments, cancels orders, lines or part of a line, takes substitutes for waiting or ' +
    'unavailable units, and shows each order as inventory answers for its lines. Every response carries ' +
    "X-Correlation-Id (the request's, or a new one), which the events the request causes carry as correlationid.",
  version: '1',
};
