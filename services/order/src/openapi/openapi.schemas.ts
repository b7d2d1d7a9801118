import { orderLineViewSchema, orderStatusSchema, SCOPES } from '@fulfillment/contracts';
import { z } from 'zod';

export const orderViewSchema = z.object({
  orderId: z.string(),
  customerId: z.string(),
  status: orderStatusSchema,
  lines: z.array(orderLineViewSchema),
});

export const acceptedOrderSchema = z.object({ orderId: z.string(), status: orderStatusSchema });

export const historyEntrySchema = z.object({
  version: z.int().describe('1-based position in the order history'),
  id: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  correlationId: z.string().nullable(),
  causationId: z.string().nullable().describe('the message that caused the event; null for an HTTP request'),
  data: z.record(z.string(), z.unknown()),
});

const lineUnitsSchema = z.object({ lineId: z.string(), sku: z.string(), quantity: z.int() });

export const shipmentSchema = z.object({
  orderId: z.string(),
  shipmentId: z.string(),
  lines: z.array(lineUnitsSchema),
  carrier: z.string().nullable(),
  trackingId: z.string().nullable(),
  shippedAt: z.string().describe('when the service recorded the shipment'),
});
export type ShipmentResponse = z.infer<typeof shipmentSchema>;

/** What every answer about one line of an order starts with. */
const lineChangeSchema = z.object({ orderId: z.string(), lineId: z.string() });

export const lineCancelledSchema = lineChangeSchema.extend({
  quantity: z.int().describe('units cancelled by this request'),
  reason: z.string(),
  status: orderStatusSchema,
  line: orderLineViewSchema.describe('the line afterwards, as GET /orders/:orderId shows it'),
});
export type LineCancelledResponse = z.infer<typeof lineCancelledSchema>;

export const lineSubstitutedSchema = lineChangeSchema.extend({
  newLineId: z.string().describe('the line added for the substitute, answered by inventory like a new line'),
  sku: z.string(),
  substituteSku: z.string(),
  quantity: z.int().describe('units moved from the line to the new one'),
  status: orderStatusSchema,
});
export type LineSubstitutedResponse = z.infer<typeof lineSubstitutedSchema>;

/** What every command on an order shares: staff with orders:write call it, and it answers 202 once applied. */
export const ORDER_COMMAND = { scope: SCOPES.ordersWrite, method: 'POST', status: 202 } as const;

/** The refusals every command on an order documents in the same words. */
export const ORDER_REFUSALS = {
  400: 'invalid body or header; `field` names it',
  412: 'the order changed while the request was applied; retry',
} as const;
