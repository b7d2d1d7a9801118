import { z } from 'zod';
import { email, freeText, identifier, positiveInt, sku } from './fields.js';
import { defineMessage } from './message.js';
import { shippingPolicySchema } from './order.events.js';
import { TOPICS } from './topics.js';
import { EXAMPLE_ORDER, EXAMPLE_ORDER_ID } from './examples.js';

export const PlaceOrder = defineMessage({
  type: 'PlaceOrder',
  kind: 'command',
  topic: TOPICS.orderCommands,
  description:
    'Place an order. Without `orderId` the order service assigns one; the envelope id makes a retry harmless. ' +
    '`shipping` defaults to `as-available`.',
  schema: z.object({
    orderId: identifier.optional(),
    customerId: identifier,
    email: email.optional(),
    lines: z.array(z.object({ sku, quantity: positiveInt })).min(1),
    shipping: shippingPolicySchema.optional(),
  }),
  // Without an orderId, keying by customer still keeps one customer's commands in order.
  key: (data) => data.orderId ?? data.customerId,
  example: {
    ...EXAMPLE_ORDER,
    email: 'ada.lovelace@example.com',
    lines: [
      { sku: 'SKU-MUG-350-BLUE', quantity: 3 },
      { sku: 'SKU-KETTLE-17-STEEL', quantity: 1 },
    ],
    shipping: 'when-complete',
  },
});

export const CancelOrder = defineMessage({
  type: 'CancelOrder',
  kind: 'command',
  topic: TOPICS.orderCommands,
  description:
    'Cancel every unit of the order not shipped yet. Refused when nothing is left to cancel (every unit shipped, ' +
    'released or unavailable); a repeat on a cancelled order changes nothing.',
  schema: z.object({ orderId: identifier, reason: freeText.optional() }),
  key: (data) => data.orderId,
  example: { orderId: EXAMPLE_ORDER_ID, reason: 'found it cheaper elsewhere' },
});

export const ShipOrder = defineMessage({
  type: 'ShipOrder',
  kind: 'command',
  topic: TOPICS.orderCommands,
  description:
    'Record a shipment of reserved or allocated units (`OrderShipped`). Refused, naming the line, when a line has ' +
    'fewer such units than asked. Idempotent on `shipmentId`: a shipment id already recorded changes nothing, ' +
    'whatever lines the repeat names.',
  schema: z.object({
    orderId: identifier,
    shipmentId: identifier,
    lines: z.array(z.object({ lineId: identifier, quantity: positiveInt })).min(1),
    carrier: identifier.optional(),
    trackingId: identifier.optional(),
  }),
  key: (data) => data.orderId,
  example: {
    orderId: EXAMPLE_ORDER_ID,
    shipmentId: 'shp-2026-004417',
    lines: [
      { lineId: 'line-1', quantity: 1 },
      { lineId: 'line-2', quantity: 1 },
    ],
    carrier: 'DHL',
    trackingId: 'JD014600006281234567',
  },
});

export const CancelOrderLine = defineMessage({
  type: 'CancelOrderLine',
  kind: 'command',
  topic: TOPICS.orderCommands,
  description:
    'Give up units of one line (`OrderLineCancelled`): without `quantity` every unit not shipped, released or ' +
    'unavailable; with it that many, taken first from the units still waiting, then from reserved or allocated ones. ' +
    'Refused when the line has fewer such units (shipped units cannot be cancelled).',
  schema: z.object({ orderId: identifier, lineId: identifier, quantity: positiveInt.optional(), reason: freeText.optional() }),
  key: (data) => data.orderId,
  example: { orderId: EXAMPLE_ORDER_ID, lineId: 'line-1', quantity: 2, reason: 'customer-request' },
});

export const SubstituteOrderLine = defineMessage({
  type: 'SubstituteOrderLine',
  kind: 'command',
  topic: TOPICS.orderCommands,
  description:
    "Take `sku` instead of a line's waiting and unavailable units (`OrderLineSubstituted`): allowed only while the " +
    "line has such units and only for a SKU among the substitutes inventory named for the line's SKU.",
  schema: z.object({ orderId: identifier, lineId: identifier, sku }),
  key: (data) => data.orderId,
  example: { orderId: EXAMPLE_ORDER_ID, lineId: 'line-1', sku: 'SKU-MUG-350-GREEN' },
});

export const orderCommandContracts = [PlaceOrder, CancelOrder, ShipOrder, CancelOrderLine, SubstituteOrderLine] as const;
