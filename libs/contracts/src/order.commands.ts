import { z } from 'zod';
import { email, freeText, identifier, positiveInt, sku } from './fields.js';
import { defineMessage } from './message.js';
import { TOPICS } from './topics.js';

export const PlaceOrder = defineMessage({
  type: 'PlaceOrder',
  kind: 'command',
  topic: TOPICS.orderCommands,
  description:
    'Place an order. Without `orderId` the order service assigns one; the envelope id makes a retry harmless.',
  schema: z.object({
    orderId: identifier.optional(),
    customerId: identifier,
    email: email.optional(),
    lines: z.array(z.object({ sku, quantity: positiveInt })).min(1),
  }),
  // Without an orderId, keying by customer still keeps one customer's commands in order.
  key: (data) => data.orderId ?? data.customerId,
  example: {
    orderId: 'c0a8e0f2-5b7d-4e1a-9f3c-6d2b8a4e7f01',
    customerId: 'cust-4821',
    email: 'ada.lovelace@example.com',
    lines: [
      { sku: 'SKU-MUG-350-BLUE', quantity: 3 },
      { sku: 'SKU-KETTLE-17-STEEL', quantity: 1 },
    ],
  },
});

export const CancelOrder = defineMessage({
  type: 'CancelOrder',
  kind: 'command',
  topic: TOPICS.orderCommands,
  description: 'Cancel an order that is not cancelled yet.',
  schema: z.object({ orderId: identifier, reason: freeText.optional() }),
  key: (data) => data.orderId,
  example: { orderId: 'c0a8e0f2-5b7d-4e1a-9f3c-6d2b8a4e7f01', reason: 'found it cheaper elsewhere' },
});

export const orderCommandContracts = [PlaceOrder, CancelOrder] as const;
