// What inventory needs from supplier.events: dated purchase orders (they back promised dates), their date changes,
// receipts, with what is still on order, and replenishment the supplier could not plan. Each message is checked against the service's own path before the pact
// records it: the published decoder on the raw bytes, then the real SupplierEventsHandler on a database of its own,
// which must hand the SKU commands below to the SKU handler. Written to pacts/inventory-service-supplier-service.json.
import { describe, expect, it } from '@jest/globals';
import type { MessageType } from '@fulfillment/contracts';
import { ISO_INSTANT, PACT_EXAMPLE as X, type MessageExpectation } from '@fulfillment/testing';
import { InventoryPact } from './support/inventory-consumer.js';

const pact = new InventoryPact('supplier-service');

const now = expect.any(String);
const RECEIVED_AT = '2026-12-04T07:41:09.000Z';

/** A supplier-service message about the SKU: `description`, of `type`, with `data`. */
const aboutSku = <T extends MessageType>(description: string, type: T, data: MessageExpectation<T>['data']): MessageExpectation<T> => ({
  description,
  type,
  subject: X.sku,
  data,
});

/** Each message, and the one command it must give the SKU pipeline for the SKU. */
const CASES: [title: string, message: MessageExpectation<MessageType>, command: unknown][] = [
  [
    'PurchaseOrderPlaced: the dated purchase order is registered on its SKU',
    aboutSku('a PurchaseOrderPlaced event', 'PurchaseOrderPlaced', (m) => ({
      purchaseOrderId: m.like(X.purchaseOrderId),
      sku: m.like(X.sku),
      quantity: m.integer(24),
      // Nullable in the contract, but an undated purchase order backs no promise: inventory dead-letters it.
      expectedAt: m.datetime(ISO_INSTANT, X.expectedAt),
    })),
    { type: 'RegisterPurchaseOrder', data: { purchaseOrderId: X.purchaseOrderId, quantity: 24, expectedAt: X.expectedAt, now } },
  ],
  [
    'PurchaseOrderEtaChanged: the purchase order takes its new date',
    aboutSku('a PurchaseOrderEtaChanged event', 'PurchaseOrderEtaChanged', (m) => ({
      purchaseOrderId: m.like(X.purchaseOrderId),
      sku: m.like(X.sku),
      previousExpectedAt: m.datetime(ISO_INSTANT, X.expectedAt),
      expectedAt: m.datetime(ISO_INSTANT, X.laterExpectedAt),
    })),
    { type: 'ChangePurchaseOrderEta', data: { purchaseOrderId: X.purchaseOrderId, expectedAt: X.laterExpectedAt, now } },
  ],
  [
    'RestockReceived against a purchase order: stock arrives and the purchase order keeps what is still on order',
    aboutSku('a RestockReceived event against a purchase order', 'RestockReceived', (m) => ({
      purchaseOrderId: m.like(X.purchaseOrderId),
      sku: m.like(X.sku),
      quantity: m.integer(20),
      receivedAt: m.datetime(ISO_INSTANT, RECEIVED_AT),
      // Optional in the contract; inventory needs it to close a purchase order that arrived short.
      remainingOnOrder: m.integer(4),
    })),
    { type: 'ReceiveRestock', data: { purchaseOrderId: X.purchaseOrderId, quantity: 20, remainingOnOrder: 4, now } },
  ],
  [
    'RestockReceived without a purchase order: the goods only add stock',
    aboutSku('a RestockReceived event without a purchase order', 'RestockReceived', (m) => ({
      purchaseOrderId: null,
      sku: m.like(X.sku),
      quantity: m.integer(5),
      receivedAt: m.datetime(ISO_INSTANT, RECEIVED_AT),
    })),
    { type: 'ReceiveRestock', data: { purchaseOrderId: null, quantity: 5, now } },
  ],
  [
    'ReplenishmentUnplanned: the requested units stop counting as pending supply',
    aboutSku('a ReplenishmentUnplanned event', 'ReplenishmentUnplanned', (m) => ({
      requestId: m.like('6f0c2b9e-3d4a-4b8f-a1e7-52c9d0e4f813'),
      sku: m.like(X.sku),
      quantity: m.integer(24),
      reason: m.like('no-lead-time'),
    })),
    { type: 'RecordReplenishmentUnplanned', data: { quantity: 24, now } },
  ],
];

describe('inventory-service reads supplier-service purchase orders, receipts and unplanned replenishment', () => {
  it.each(CASES)('%s', (_title, message, command) => pact.expectCommands(message, 'supplierEvents', [[X.sku, command]]));
});
