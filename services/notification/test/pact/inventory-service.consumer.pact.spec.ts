// What the notification service needs from inventory.events: the changes a customer is told about (backordered,
// allocated, new date, out of stock) and free stock reappearing (back in stock). Each message is checked against the
// service's own path before the pact records it: the published decoder on the raw bytes, then the handler's type
// filter and notification-input.mapper.ts, which must give the notification domain the input below.
// Written to pacts/notification-service-inventory-service.json.
import { describe, it } from '@jest/globals';
import type { MessageType } from '@fulfillment/contracts';
import {
  ANSWERED_LINE as LINE,
  INVENTORY_MESSAGES as INVENTORY,
  MessageConsumerContract,
  PACT_EXAMPLE as X,
  type MessageExpectation,
} from '@fulfillment/testing';
import { expectInput } from './support/notification-input.js';

const inventory = MessageConsumerContract.of('notification-service', 'inventory-service');

/** Each message, and the data of the input the domain must be handed for it. */
const CASES: [title: string, message: MessageExpectation<MessageType>, data: unknown][] = [
  [
    'BackorderQueued: the line waits in the queue with a promised date',
    INVENTORY.backorderQueued,
    { ...LINE, quantity: 2, position: 4, expectedAt: X.expectedAt, preorder: false, substitutes: [] },
  ],
  ['BackorderAllocated: units were allocated and some may still wait', INVENTORY.backorderAllocated, { ...LINE, quantity: 1, remaining: 1 }],
  [
    'BackorderEtaChanged: the promised date moved, and from when',
    INVENTORY.backorderEtaChanged,
    { ...LINE, previousExpectedAt: X.expectedAt, expectedAt: X.laterExpectedAt },
  ],
  [
    'BackorderEtaChanged without a new date: the customer is told the date is withdrawn',
    INVENTORY.backorderEtaWithdrawn,
    { ...LINE, previousExpectedAt: X.expectedAt, expectedAt: null },
  ],
  [
    'StockUnavailable: the units are out of stock, and the substitutes to suggest',
    INVENTORY.stockUnavailable,
    { ...LINE, quantity: 3, substitutes: [X.substitute] },
  ],
  [
    'BackInStock: the SKU has free stock again',
    {
      description: 'a BackInStock event',
      type: 'BackInStock',
      subject: X.sku,
      data: (m) => ({ sku: m.like(X.sku), available: m.integer(12) }),
    } satisfies MessageExpectation<'BackInStock'>,
    { sku: X.sku, available: 12 },
  ],
];

describe('notification-service reads inventory-service changes customers are told about', () => {
  it.each(CASES)('%s', (_title, message, data) => inventory.expect(message, (envelope) => expectInput(envelope, data)));
});
