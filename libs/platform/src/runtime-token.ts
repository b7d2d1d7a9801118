/** The Nest token of the service's `ServiceRuntime` (in a file of its own so that controllers of this library can
 * inject it without importing service.ts, which imports them). */
export const RUNTIME = Symbol('RUNTIME');

/** The Nest token of the app's pino logger (here for the same reason: http-app.ts and service.ts both provide it). */
export const LOGGER = Symbol('LOGGER');
