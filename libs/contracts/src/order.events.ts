import { z } from 'zod';
import { email, freeText, identifier, nonNegativeInt, nullableTimestamp, positiveInt, sku, timestamp } from './fields.js';
import { defineMessage, evolveMessage } from './message.js';
import { TOPICS } from './topics.js';
import { EXAMPLE_ORDER, EXAMPLE_ORDER_ID, exampleUnits } from './examples.js';

// What OrderStatusChanged v1 allowed; kept as published so v1 data still validates before it is upcast.
const ORDER_STATUSES_V1 = ['pending', 'confirmed', 'backordered', 'rejected', 'cancelled'] as const;

/** Every status an order can have (SPEC 9 added `partially-shipped` and `shipped`). */
export const ORDER_STATUSES = [...ORDER_STATUSES_V1, 'partially-shipped', 'shipped'] as const;
export const orderStatusSchema = z.enum(ORDER_STATUSES);
export type OrderStatus = z.infer<typeof orderStatusSchema>;

/** `as-available` (the default) ships what can ship as it comes; `when-complete` waits until nothing waits. */
export const SHIPPING_POLICIES = ['as-available', 'when-complete'] as const;
export const shippingPolicySchema = z.enum(SHIPPING_POLICIES);
export type ShippingPolicy = z.infer<typeof shippingPolicySchema>;

/** The fields of a line view both versions share, in the order they are published. */
const lineViewFields = {
  lineId: identifier,
  sku,
  quantity: positiveInt,
  reserved: nonNegativeInt,
  allocated: nonNegativeInt,
  backordered: nonNegativeInt,
  unavailable: nonNegativeInt,
  released: nonNegativeInt,
};

type Bucket = 'reserved' | 'allocated' | 'backordered' | 'unavailable' | 'released' | 'shipped';

/** The refinement of a line view whose every unit is in exactly one of `buckets`: their sum is the line's quantity. */
const unitsInOneOf = <B extends Bucket>(
  buckets: readonly B[],
): [check: (line: { quantity: number } & Record<B, number>) => boolean, params: { error: string; path: string[] }] => [
  (line) => line.quantity === buckets.reduce((sum, bucket) => sum + line[bucket], 0),
  { error: `must equal ${buckets.join(' + ')}`, path: ['quantity'] },
];

const orderLineViewV1Schema = z
  .object({ ...lineViewFields, expectedAt: nullableTimestamp })
  .refine(...unitsInOneOf(['reserved', 'allocated', 'backordered', 'unavailable', 'released']));

/**
 * A line as `GET /orders/:orderId` shows it; every unit of the line is in exactly one bucket. `released` counts every
 * unit given up (a cancellation, an expiry, a substitution), `shipped` every unit that left the warehouse.
 */
export const orderLineViewSchema = z
  .object({ ...lineViewFields, shipped: nonNegativeInt, expectedAt: nullableTimestamp })
  .refine(...unitsInOneOf(['reserved', 'allocated', 'backordered', 'unavailable', 'released', 'shipped']));
export type OrderLineView = z.infer<typeof orderLineViewSchema>;

/** A line of a message that names units of lines: what is ready to ship, what shipped. */
const lineUnits = z.object({ lineId: identifier, sku, quantity: positiveInt });

export const OrderPlaced = defineMessage({
  type: 'OrderPlaced',
  kind: 'event',
  topic: TOPICS.orderEvents,
  description:
    'An order was accepted. `email` is present when the customer gave one, so the notification service learns ' +
    'where to send mail without reading the order database. `shipping` is the shipping policy the customer chose; ' +
    'absent (orders placed before it existed) means `as-available`.',
  schema: z.object({
    orderId: identifier,
    customerId: identifier,
    email: email.optional(),
    lines: z.array(z.object({ lineId: identifier, sku, quantity: positiveInt })).min(1),
    placedAt: timestamp,
    shipping: shippingPolicySchema.optional(),
  }),
  key: (data) => data.orderId,
  example: {
    ...EXAMPLE_ORDER,
    email: 'ada.lovelace@example.com',
    lines: exampleUnits(3, 1),
    placedAt: '2026-11-27T09:58:12.431Z',
    shipping: 'as-available',
  },
});

const OrderStatusChangedV1 = defineMessage({
  type: 'OrderStatusChanged',
  kind: 'event',
  topic: TOPICS.orderEvents,
  description: "The order's status or any of its line views changed; carries the whole new view.",
  schema: z.object({
    orderId: identifier,
    customerId: identifier,
    status: z.enum(ORDER_STATUSES_V1),
    lines: z.array(orderLineViewV1Schema).min(1),
  }),
  key: (data) => data.orderId,
  example: {
    ...EXAMPLE_ORDER,
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
    ],
  },
});

// v2 (SPEC 9): every line view counts its shipped units, and the statuses gain partially-shipped and shipped. A v1
// view was written before anything could ship, so its lines had shipped nothing.
export const OrderStatusChanged = evolveMessage(OrderStatusChangedV1, {
  version: 2,
  description:
    "The order's status or any of its line views changed; carries the whole new view. Every line satisfies " +
    '`quantity = reserved + allocated + backordered + unavailable + released + shipped`.',
  schema: z.object({
    orderId: identifier,
    customerId: identifier,
    status: orderStatusSchema,
    lines: z.array(orderLineViewSchema).min(1),
  }),
  upcast: (v1) => ({ ...v1, lines: v1.lines.map((line) => ({ ...line, shipped: 0 })) }),
  key: (data) => data.orderId,
  example: {
    ...EXAMPLE_ORDER,
    status: 'partially-shipped',
    lines: [
      {
        lineId: 'line-1',
        sku: 'SKU-MUG-350-BLUE',
        quantity: 3,
        reserved: 0,
        allocated: 0,
        backordered: 2,
        unavailable: 0,
        released: 0,
        shipped: 1,
        expectedAt: '2026-12-04T08:00:00.000Z',
      },
      {
        lineId: 'line-2',
        sku: 'SKU-KETTLE-17-STEEL',
        quantity: 1,
        reserved: 0,
        allocated: 0,
        backordered: 0,
        unavailable: 0,
        released: 0,
        shipped: 1,
        expectedAt: null,
      },
    ],
  },
});

export const OrderCancelled = defineMessage({
  type: 'OrderCancelled',
  kind: 'event',
  topic: TOPICS.orderEvents,
  description:
    'The order was cancelled: every unit not shipped yet is given up, and inventory releases everything it still ' +
    'reserves or queues for the order. An order that had shipped some units keeps them (its status then follows ' +
    'from its lines, e.g. `shipped`). A whole-order cancellation is this event alone, never one `OrderLineCancelled` ' +
    'per line.',
  schema: z.object({ orderId: identifier, customerId: identifier, reason: freeText }),
  key: (data) => data.orderId,
  example: { ...EXAMPLE_ORDER, reason: 'customer-request' },
});

export const OrderReadyToShip = defineMessage({
  type: 'OrderReadyToShip',
  kind: 'event',
  topic: TOPICS.orderEvents,
  description:
    'Units of the order became shippable; warehouse systems act on it. With shipping `as-available` it names only ' +
    'the units not announced before, each time some become reserved or allocated; with `when-complete` it comes ' +
    'once, naming every shippable unit, when no unit of the order waits any more. Units announced and cancelled ' +
    'later are withdrawn by the `OrderLineCancelled` or `OrderCancelled` that follows (a `ShipOrder` for them is ' +
    'refused); no event re-announces them.',
  schema: z.object({ orderId: identifier, customerId: identifier, lines: z.array(lineUnits).min(1) }),
  key: (data) => data.orderId,
  example: {
    ...EXAMPLE_ORDER,
    lines: exampleUnits(1, 1),
  },
});

export const OrderShipped = defineMessage({
  type: 'OrderShipped',
  kind: 'event',
  topic: TOPICS.orderEvents,
  description:
    'A shipment left with reserved or allocated units of the order; inventory lowers on hand and reserved by the ' +
    'quantities (`StockShipped`). `carrier` and `trackingId` are null when the shipper gave none.',
  schema: z.object({
    orderId: identifier,
    customerId: identifier,
    shipmentId: identifier,
    lines: z.array(lineUnits).min(1),
    carrier: identifier.nullable(),
    trackingId: identifier.nullable(),
  }),
  key: (data) => data.orderId,
  example: {
    ...EXAMPLE_ORDER,
    shipmentId: 'shp-2026-004417',
    lines: exampleUnits(1, 1),
    carrier: 'DHL',
    trackingId: 'JD014600006281234567',
  },
});

export const OrderLineCancelled = defineMessage({
  type: 'OrderLineCancelled',
  kind: 'event',
  topic: TOPICS.orderEvents,
  description:
    '`quantity` units of one line were given up at the customer\'s or an operator\'s request (never shipped ones). ' +
    'Inventory releases that many units of the line, first from its backorder queue, then reserved or allocated ' +
    'ones, and releases what it has when it has fewer (units it found unavailable were never held).',
  schema: z.object({ orderId: identifier, customerId: identifier, lineId: identifier, sku, quantity: positiveInt, reason: freeText }),
  key: (data) => data.orderId,
  example: {
    ...EXAMPLE_ORDER,
    lineId: 'line-1',
    sku: 'SKU-MUG-350-BLUE',
    quantity: 2,
    reason: 'customer-request',
  },
});

export const OrderLineSubstituted = defineMessage({
  type: 'OrderLineSubstituted',
  kind: 'event',
  topic: TOPICS.orderEvents,
  description:
    'The customer took `substituteSku` instead of the waiting or unavailable units of a line: `quantity` units ' +
    'are released from line `lineId` (reason `substituted`) and line `newLineId` for `substituteSku` with that ' +
    'quantity is added to the order, for inventory to answer like any new line. `waiting` of those units were ' +
    'queued in inventory (it releases them from the queue); the rest were unavailable and held by nobody.',
  schema: z.object({
    orderId: identifier,
    customerId: identifier,
    lineId: identifier,
    newLineId: identifier,
    sku,
    substituteSku: sku,
    quantity: positiveInt,
    waiting: nonNegativeInt,
  }).refine((data) => data.waiting <= data.quantity, { error: 'must be at most quantity', path: ['waiting'] }),
  key: (data) => data.orderId,
  example: {
    ...EXAMPLE_ORDER,
    lineId: 'line-1',
    newLineId: `${EXAMPLE_ORDER_ID}-3`,
    sku: 'SKU-MUG-350-BLUE',
    substituteSku: 'SKU-MUG-350-GREEN',
    quantity: 2,
    waiting: 2,
  },
});

export const orderEventContracts = [
  OrderPlaced,
  OrderStatusChanged,
  OrderCancelled,
  OrderReadyToShip,
  OrderShipped,
  OrderLineCancelled,
  OrderLineSubstituted,
] as const;
