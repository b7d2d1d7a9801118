import { z } from 'zod';
import { email, freeText, identifier, nonNegativeInt, nullableTimestamp, positiveInt, sku, timestamp } from './fields.js';
import { defineMessage } from './message.js';
import { TOPICS } from './topics.js';

export const ORDER_STATUSES = ['pending', 'confirmed', 'backordered', 'rejected', 'cancelled'] as const;
export const orderStatusSchema = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

/** A line as `GET /orders/:orderId` shows it; every unit of the line is in exactly one bucket. */
export const orderLineViewSchema = z
  .object({
    lineId: identifier,
    sku,
    quantity: positiveInt,
    reserved: nonNegativeInt,
    allocated: nonNegativeInt,
    backordered: nonNegativeInt,
    unavailable: nonNegativeInt,
    released: nonNegativeInt,
    expectedAt: nullableTimestamp,
  })
  .refine((line) => line.quantity === line.reserved + line.allocated + line.backordered + line.unavailable + line.released, {
    error: 'must equal reserved + allocated + backordered + unavailable + released',
    path: ['quantity'],
  });
export type OrderLineView = z.infer<typeof orderLineViewSchema>;

const ORDER_ID = 'c0a8e0f2-5b7d-4e1a-9f3c-6d2b8a4e7f01';

export const OrderPlaced = defineMessage({
  type: 'OrderPlaced',
  kind: 'event',
  topic: TOPICS.orderEvents,
  description:
    'An order was accepted. `email` is present when the customer gave one, so the notification service learns ' +
    'where to send mail without reading the order database.',
  schema: z.object({
    orderId: identifier,
    customerId: identifier,
    email: email.optional(),
    lines: z.array(z.object({ lineId: identifier, sku, quantity: positiveInt })).min(1),
    placedAt: timestamp,
  }),
  key: (data) => data.orderId,
  example: {
    orderId: ORDER_ID,
    customerId: 'cust-4821',
    email: 'ada.lovelace@example.com',
    lines: [
      { lineId: 'line-1', sku: 'SKU-MUG-350-BLUE', quantity: 3 },
      { lineId: 'line-2', sku: 'SKU-KETTLE-17-STEEL', quantity: 1 },
    ],
    placedAt: '2026-11-27T09:58:12.431Z',
  },
});

export const OrderStatusChanged = defineMessage({
  type: 'OrderStatusChanged',
  kind: 'event',
  topic: TOPICS.orderEvents,
  description: "The order's status or any of its line views changed; carries the whole new view.",
  schema: z.object({
    orderId: identifier,
    customerId: identifier,
    status: orderStatusSchema,
    lines: z.array(orderLineViewSchema).min(1),
  }),
  key: (data) => data.orderId,
  example: {
    orderId: ORDER_ID,
    customerId: 'cust-4821',
    status: 'backordered',
    lines: [
      {
        lineId: 'line-1',
        sku: 'SKU-MUG-350-BLUE',
        quantity: 3,
        reserved: 1,
        allocated: 0,
        backordered: 2,
        unavailable: 0,
        released: 0,
        expectedAt: '2026-12-04T08:00:00.000Z',
      },
      {
        lineId: 'line-2',
        sku: 'SKU-KETTLE-17-STEEL',
        quantity: 1,
        reserved: 1,
        allocated: 0,
        backordered: 0,
        unavailable: 0,
        released: 0,
        expectedAt: null,
      },
    ],
  },
});

export const OrderCancelled = defineMessage({
  type: 'OrderCancelled',
  kind: 'event',
  topic: TOPICS.orderEvents,
  description: 'The order was cancelled; inventory releases its reservations and backorders.',
  schema: z.object({ orderId: identifier, customerId: identifier, reason: freeText }),
  key: (data) => data.orderId,
  example: { orderId: ORDER_ID, customerId: 'cust-4821', reason: 'customer-request' },
});

export const orderEventContracts = [OrderPlaced, OrderStatusChanged, OrderCancelled] as const;
