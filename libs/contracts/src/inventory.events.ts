import { z } from 'zod';
import { freeText, identifier, nonNegativeInt, nullableTimestamp, positiveInt, sku } from './fields.js';
import { defineMessage, evolveMessage } from './message.js';
import { TOPICS } from './topics.js';
import { EXAMPLE_ORDER_ID } from './examples.js';

/** Which order line an inventory decision is about. */
const orderLine = { sku, orderId: identifier, lineId: identifier, customerId: identifier };

const LINE = { sku: 'SKU-MUG-350-BLUE', orderId: EXAMPLE_ORDER_ID, lineId: 'line-1', customerId: 'cust-4821' };

export const StockReserved = defineMessage({
  type: 'StockReserved',
  kind: 'event',
  topic: TOPICS.inventoryEvents,
  description: 'Free stock was reserved for an order line.',
  schema: z.object({ ...orderLine, quantity: positiveInt }),
  key: (data) => data.sku,
  example: { ...LINE, quantity: 1 },
});

const BackorderQueuedV1 = defineMessage({
  type: 'BackorderQueued',
  kind: 'event',
  topic: TOPICS.inventoryEvents,
  description:
    "Units of an order line joined the SKU's FIFO backorder queue at `position` (1 = head), with the promised " +
    'date, or null when no date can be promised.',
  schema: z.object({ ...orderLine, quantity: positiveInt, position: positiveInt, expectedAt: nullableTimestamp }),
  key: (data) => data.sku,
  example: { ...LINE, quantity: 2, position: 4, expectedAt: '2026-12-04T08:00:00.000Z' },
});

// v2 (SPEC 9, 10): `preorder` marks a line queued for a SKU not released yet, and `substitutes` (the SKU's, as in
// StockUnavailable) lets the order offer a substitute for a waiting line. v1 was written before preorders and
// without the substitutes: neither a preorder nor any substitute known.
export const BackorderQueued = evolveMessage(BackorderQueuedV1, {
  version: 2,
  description:
    "Units of an order line joined the SKU's FIFO backorder queue at `position` (1 = head), with the promised " +
    'date, or null when no date can be promised. `preorder` is true for a SKU before its release date (the units ' +
    'wait for the release even if stock is on hand); `substitutes` lists SKUs the customer may take instead.',
  schema: z.object({
    ...orderLine,
    quantity: positiveInt,
    position: positiveInt,
    expectedAt: nullableTimestamp,
    preorder: z.boolean(),
    substitutes: z.array(sku),
  }),
  upcast: (v1) => ({ ...v1, preorder: false, substitutes: [] }),
  key: (data) => data.sku,
  example: {
    ...LINE,
    quantity: 2,
    position: 4,
    expectedAt: '2026-12-04T08:00:00.000Z',
    preorder: false,
    substitutes: ['SKU-MUG-350-GREEN'],
  },
});

export const BackorderAllocated = defineMessage({
  type: 'BackorderAllocated',
  kind: 'event',
  topic: TOPICS.inventoryEvents,
  description: 'New stock was allocated to a queued line; `remaining` units of that line are still waiting.',
  schema: z.object({ ...orderLine, quantity: positiveInt, remaining: nonNegativeInt }),
  key: (data) => data.sku,
  example: { ...LINE, quantity: 1, remaining: 1 },
});

export const BackorderEtaChanged = defineMessage({
  type: 'BackorderEtaChanged',
  kind: 'event',
  topic: TOPICS.inventoryEvents,
  description: "A queued line's promised date moved.",
  schema: z.object({ ...orderLine, previousExpectedAt: nullableTimestamp, expectedAt: nullableTimestamp }),
  key: (data) => data.sku,
  example: { ...LINE, previousExpectedAt: '2026-12-04T08:00:00.000Z', expectedAt: '2026-12-09T08:00:00.000Z' },
});

export const BackorderReleased = defineMessage({
  type: 'BackorderReleased',
  kind: 'event',
  topic: TOPICS.inventoryEvents,
  description:
    'Queued units of a line left the queue without being served. `reason`: `order-cancelled`, `line-cancelled`, ' +
    '`substituted` (the order gave them up), or `expired` (the line waited longer than the SKU allows).',
  schema: z.object({ ...orderLine, quantity: positiveInt, reason: freeText }),
  key: (data) => data.sku,
  example: { ...LINE, quantity: 1, reason: 'order-cancelled' },
});

export const StockReleased = defineMessage({
  type: 'StockReleased',
  kind: 'event',
  topic: TOPICS.inventoryEvents,
  description:
    'Units reserved or allocated to a line went back to stock because the order gave them up (`reason` ' +
    '`order-cancelled`, `line-cancelled`); they serve the backorder queue first.',
  schema: z.object({ ...orderLine, quantity: positiveInt, reason: freeText }),
  key: (data) => data.sku,
  example: { ...LINE, quantity: 2, reason: 'order-cancelled' },
});

export const StockShipped = defineMessage({
  type: 'StockShipped',
  kind: 'event',
  topic: TOPICS.inventoryEvents,
  description:
    'Units reserved or allocated to a line left with a shipment (the answer to `OrderShipped`): on hand and ' +
    'reserved both fell by `quantity`.',
  schema: z.object({ ...orderLine, quantity: positiveInt }),
  key: (data) => data.sku,
  example: { ...LINE, quantity: 1 },
});

export const StockUnavailable = defineMessage({
  type: 'StockUnavailable',
  kind: 'event',
  topic: TOPICS.inventoryEvents,
  description:
    'Units of a line can be neither reserved nor backordered; `substitutes` lists SKUs the customer may take instead.',
  schema: z.object({ ...orderLine, quantity: positiveInt, substitutes: z.array(sku) }),
  key: (data) => data.sku,
  example: { ...LINE, quantity: 3, substitutes: ['SKU-MUG-350-GREEN', 'SKU-MUG-400-BLUE'] },
});

export const ReplenishmentRequested = defineMessage({
  type: 'ReplenishmentRequested',
  kind: 'event',
  topic: TOPICS.inventoryEvents,
  description:
    'Inventory needs more of a SKU (a backorder relies on the lead time, or stock fell below the reorder point). ' +
    "`leadTimeDays` is the SKU's supplier lead time when known, so the supplier can date the purchase order.",
  schema: z.object({ sku, quantity: positiveInt, reason: freeText, leadTimeDays: nonNegativeInt.nullable().optional() }),
  key: (data) => data.sku,
  example: { sku: 'SKU-MUG-350-BLUE', quantity: 24, reason: 'reorder-point', leadTimeDays: 7 },
});

export const BackInStock = defineMessage({
  type: 'BackInStock',
  kind: 'event',
  topic: TOPICS.inventoryEvents,
  description: 'A SKU has free stock again (its backorder queue is empty).',
  schema: z.object({ sku, available: positiveInt }),
  key: (data) => data.sku,
  example: { sku: 'SKU-MUG-350-BLUE', available: 12 },
});

export const inventoryEventContracts = [
  StockReserved,
  BackorderQueued,
  BackorderAllocated,
  BackorderEtaChanged,
  BackorderReleased,
  StockReleased,
  StockShipped,
  StockUnavailable,
  ReplenishmentRequested,
  BackInStock,
] as const;
