import { startTracing } from '@fulfillment/platform/tracing';

// Before the service itself is loaded: the HTTP and PostgreSQL instrumentations must see http and pg being loaded.
startTracing('supplier');
await import('./supplier.app.js');
