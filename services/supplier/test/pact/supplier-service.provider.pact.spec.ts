// supplier-service keeps the promises its consumers recorded in pacts/*-supplier-service.json. Every message is
// produced the way the service produces it: the supplier domain decides on a purchase order (or an unplanned receipt
// is taken, or a replenishment request recorded), and each event goes through the service's mapper into its envelope.
import { randomUUID } from 'node:crypto';
import { describe, it } from '@jest/globals';
import type { Envelope } from '@fulfillment/contracts';
import {
  decide,
  decideReplenishment,
  evolve,
  initialReplenishmentState,
  initialState,
  receiveUnplanned,
  type PurchaseOrderCommand,
} from '@fulfillment/supplier-domain';
import { PACT_EXAMPLE as X, verifyMessageProvider, type EnvelopeProducer } from '@fulfillment/testing';
import { toSupplierEnvelope, type SupplierDomainEvent } from '../../src/purchase-order/supplier-events.mapper.js';
import { toReplenishmentEnvelope } from '../../src/replenishment-request/replenishment-events.mapper.js';

const NOW = '2026-11-27T10:00:00.000Z';

const published = (event: SupplierDomainEvent): Envelope =>
  toSupplierEnvelope({ id: randomUUID(), event, correlationId: 'pact-verification', causationId: null });

const place: PurchaseOrderCommand = {
  type: 'PlacePurchaseOrder',
  data: { purchaseOrderId: X.purchaseOrderId, sku: X.sku, quantity: 24, expectedAt: X.expectedAt, reason: 'manual', now: NOW },
};

/** The last event the supplier domain decides after `history` on one purchase order, as its envelope. */
function lastPublished(history: readonly PurchaseOrderCommand[]): Envelope {
  let state = initialState();
  let last: SupplierDomainEvent | undefined;
  for (const command of history) {
    const events = decide(command, state);
    state = events.reduce(evolve, state);
    last = events.at(-1) ?? last;
  }
  if (!last) throw new Error(`no event after ${history.map((c) => c.type).join(', ')}`);
  return published(last);
}

const messages: Record<string, EnvelopeProducer> = {
  'a PurchaseOrderPlaced event': () => lastPublished([place]),
  'a PurchaseOrderEtaChanged event': () =>
    lastPublished([place, { type: 'ChangePurchaseOrderEta', data: { expectedAt: X.laterExpectedAt, now: NOW } }]),
  'a RestockReceived event against a purchase order': () =>
    lastPublished([place, { type: 'ReceivePurchaseOrder', data: { quantity: 20, now: NOW } }]),
  'a RestockReceived event without a purchase order': () => published(receiveUnplanned(X.sku, 5, NOW)),
  'a ReplenishmentUnplanned event': () => {
    const events = decideReplenishment(
      {
        type: 'RecordReplenishmentRequest',
        data: { requestId: randomUUID(), sku: X.sku, quantity: 24, reason: 'backorder', plannedPurchaseOrderId: null, now: NOW },
      },
      initialReplenishmentState(),
    );
    const unplanned = events.find((event) => event.type === 'ReplenishmentUnplanned')!;
    return toReplenishmentEnvelope(unplanned, { id: randomUUID(), correlationId: 'pact-verification', causationId: null })!;
  },
};

describe('supplier-service as a message provider', () => {
  it('produces every message its consumers expect', () => verifyMessageProvider({ provider: 'supplier-service', messages }), 60_000);
});
