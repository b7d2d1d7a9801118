import { z } from 'zod';
import { freeText, identifier, nonNegativeInt, nullableTimestamp, positiveInt, sku, timestamp } from './fields.js';
import { defineMessage } from './message.js';
import { TOPICS } from './topics.js';

export const PURCHASE_ORDER_REASONS = ['replenishment', 'manual'] as const;

const PURCHASE_ORDER_ID = 'po-2026-000317';

export const PurchaseOrderPlaced = defineMessage({
  type: 'PurchaseOrderPlaced',
  kind: 'event',
  topic: TOPICS.supplierEvents,
  description:
    'A purchase order was placed with the supplier; `reason` says whether inventory asked for it or a person did.',
  schema: z.object({
    purchaseOrderId: identifier,
    sku,
    quantity: positiveInt,
    expectedAt: nullableTimestamp,
    reason: z.enum(PURCHASE_ORDER_REASONS).optional(),
  }),
  key: (data) => data.sku,
  example: {
    purchaseOrderId: PURCHASE_ORDER_ID,
    sku: 'SKU-MUG-350-BLUE',
    quantity: 24,
    expectedAt: '2026-12-04T08:00:00.000Z',
    reason: 'replenishment',
  },
});

export const PurchaseOrderEtaChanged = defineMessage({
  type: 'PurchaseOrderEtaChanged',
  kind: 'event',
  topic: TOPICS.supplierEvents,
  description: 'The supplier moved the expected arrival of a purchase order.',
  schema: z.object({
    purchaseOrderId: identifier,
    sku,
    previousExpectedAt: nullableTimestamp,
    expectedAt: nullableTimestamp,
  }),
  key: (data) => data.sku,
  example: {
    purchaseOrderId: PURCHASE_ORDER_ID,
    sku: 'SKU-MUG-350-BLUE',
    previousExpectedAt: '2026-12-04T08:00:00.000Z',
    expectedAt: '2026-12-09T08:00:00.000Z',
  },
});

export const RestockReceived = defineMessage({
  type: 'RestockReceived',
  kind: 'event',
  topic: TOPICS.supplierEvents,
  description:
    'Goods arrived, against a purchase order or not (`purchaseOrderId` null). `remainingOnOrder` is what the ' +
    'supplier still expects on that purchase order after this receipt; 0 after a receipt smaller than ordered ' +
    'means the order arrived short and is closed. Absent when there is no purchase order.',
  schema: z.object({
    purchaseOrderId: identifier.nullable(),
    sku,
    quantity: positiveInt,
    receivedAt: timestamp,
    remainingOnOrder: nonNegativeInt.optional(),
  }),
  key: (data) => data.sku,
  example: {
    purchaseOrderId: PURCHASE_ORDER_ID,
    sku: 'SKU-MUG-350-BLUE',
    quantity: 20,
    receivedAt: '2026-12-04T07:41:09.000Z',
    remainingOnOrder: 4,
  },
});

export const ReplenishmentUnplanned = defineMessage({
  type: 'ReplenishmentUnplanned',
  kind: 'event',
  topic: TOPICS.supplierEvents,
  description:
    'The supplier could not turn a `ReplenishmentRequested` into a purchase order (`reason` `no-lead-time`: no ' +
    'supplier terms for the SKU). Inventory stops counting those units as supply; the request stays open and is ' +
    'listed by the supplier (`GET /replenishment-requests?status=open`). `requestId` is the envelope id of the ' +
    'ReplenishmentRequested.',
  schema: z.object({ requestId: identifier, sku, quantity: positiveInt, reason: freeText }),
  key: (data) => data.sku,
  example: {
    requestId: '6f0c2b9e-3d4a-4b8f-a1e7-52c9d0e4f813',
    sku: 'SKU-MUG-350-BLUE',
    quantity: 24,
    reason: 'no-lead-time',
  },
});

export const supplierEventContracts = [
  PurchaseOrderPlaced,
  PurchaseOrderEtaChanged,
  RestockReceived,
  ReplenishmentUnplanned,
] as const;
