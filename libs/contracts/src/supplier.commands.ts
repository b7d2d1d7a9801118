import { z } from 'zod';
import { identifier, positiveInt, sku } from './fields.js';
import { defineMessage } from './message.js';
import { TOPICS } from './topics.js';

export const ReceiveRestock = defineMessage({
  type: 'ReceiveRestock',
  kind: 'command',
  topic: TOPICS.supplierCommands,
  description:
    'Record goods received, against a purchase order when `purchaseOrderId` is given. `closePurchaseOrder: true` ' +
    'closes that purchase order even if less than ordered arrived.',
  schema: z.object({
    purchaseOrderId: identifier.optional(),
    sku,
    quantity: positiveInt,
    closePurchaseOrder: z.boolean().optional(),
  }),
  key: (data) => data.sku,
  example: { purchaseOrderId: 'po-2026-000317', sku: 'SKU-MUG-350-BLUE', quantity: 20, closePurchaseOrder: false },
});

export const supplierCommandContracts = [ReceiveRestock] as const;
