import type { ApiHeaderOptions, ApiResponseOptions } from '@nestjs/swagger';
import { errorBodySchema, openApiSchemaOf } from '@fulfillment/platform';
import { z } from 'zod';

// Visible ASCII without spaces, 1-200 characters: the platform's rule for correlation ids.
const HEADER_TOKEN = /^[\x21-\x7e]{1,200}$/;

const instant = z.string().describe('ISO-8601 instant, UTC');

export const purchaseOrderViewSchema = z.object({
  purchaseOrderId: z.string(),
  sku: z.string(),
  quantity: z.int().describe('units ordered'),
  received: z.int().describe('units received so far'),
  expectedAt: instant.describe('when the supplier promised the units'),
  status: z.enum(['open', 'received', 'closed']).describe('received: every unit arrived; closed: the supplier sends no more, short'),
});

export const receiptSchema = z.object({
  receiptId: z.string(),
  purchaseOrderId: z.string(),
  sku: z.string(),
  quantity: z.int(),
  receivedAt: instant,
  remainingOnOrder: z.int().describe('units the supplier still owes; 0 once received or closed'),
  purchaseOrder: purchaseOrderViewSchema.describe('the purchase order after the receipt'),
});

export const historyEntrySchema = z.object({
  eventId: z.string(),
  type: z.string().describe('PurchaseOrderPlaced, PurchaseOrderEtaChanged or PurchaseOrderReceived'),
  version: z.int().describe('1-based position in the purchase order history'),
  data: z.record(z.string(), z.unknown()),
  recordedAt: instant,
});

const headerTokenSchema = openApiSchemaOf(z.string().regex(HEADER_TOKEN));

export const correlationIdHeader: ApiHeaderOptions = {
  name: 'X-Correlation-Id',
  required: false,
  description: 'the flow this request belongs to; echoed back, a new UUID when absent; 400 when malformed',
  schema: headerTokenSchema,
};

const correlationIdEcho = { 'X-Correlation-Id': { description: "the request's correlation id, or the one made up", schema: { type: 'string' } } };

/** A response to a command: it echoes X-Correlation-Id. */
export const commandResponse = (options: { description: string; schema: z.ZodType; headers?: Record<string, { description: string }> }): ApiResponseOptions => ({
  description: options.description,
  schema: openApiSchemaOf(options.schema),
  headers: {
    ...correlationIdEcho,
    ...Object.fromEntries(Object.entries(options.headers ?? {}).map(([name, header]) => [name, { ...header, schema: { type: 'string' } }])),
  },
});

export const errorResponse = (description: string): ApiResponseOptions => ({ description, schema: openApiSchemaOf(errorBodySchema) });

export const replenishmentRequestViewSchema = z.object({
  requestId: z.string().describe('the envelope id of the ReplenishmentRequested'),
  sku: z.string(),
  quantity: z.int(),
  reason: z.string().describe("inventory's reason: backorder or reorder-point"),
  requestedAt: instant,
  status: z.enum(['open', 'answered']),
  unplannedReason: z.string().nullable().describe('why no purchase order could be planned (no-lead-time); null when one was'),
  answer: z
    .enum(['planned', 'superseded', 'manual'])
    .nullable()
    .describe('planned: its own purchase order; superseded: a later planned request; manual: a purchase order placed by hand'),
  purchaseOrderId: z.string().nullable().describe('the purchase order that answered it'),
  answeredAt: instant.nullable(),
});
