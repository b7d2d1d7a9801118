// inventory-service keeps the promises its consumers recorded in pacts/*-inventory-service.json. Every message is
// produced the way the service produces it: the inventory domain decides a short history of commands on one SKU, and
// each event goes through the service's mapper (inventory-events.mapper.ts) into its envelope.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import type { AnyEnvelope, Envelope } from '@fulfillment/contracts';
import { decide, evolveAll, initialState, type SkuCommand } from '@fulfillment/inventory-domain';
import { PACT_EXAMPLE as X, pactMismatches, verifyMessageProvider, type EnvelopeProducer } from '@fulfillment/testing';
import { toInventoryEnvelope } from '../../src/sku/inventory-events.mapper.js';

const NOW = '2026-11-27T10:00:00.000Z';
const cause = { causationId: randomUUID(), correlationId: 'pact-verification' };
const line = { orderId: X.orderId, lineId: X.lineId, customerId: X.customerId };

const stock = (delta: number): SkuCommand => ({ type: 'AdjustStock', data: { delta, reason: 'count', now: NOW } });
const order = (quantity: number): SkuCommand => ({ type: 'AllocateOrderLine', data: { ...line, quantity, now: NOW } });
const cancel: SkuCommand = { type: 'CancelOrderLine', data: { orderId: X.orderId, lineId: X.lineId, reason: 'order-cancelled', now: NOW } };
const purchaseOrder: SkuCommand = {
  type: 'RegisterPurchaseOrder',
  data: { purchaseOrderId: X.purchaseOrderId, quantity: 10, expectedAt: X.expectedAt, now: NOW },
};
const configure = (data: Omit<Extract<SkuCommand, { type: 'ConfigureSku' }>['data'], 'now'>): SkuCommand => ({
  type: 'ConfigureSku',
  data: { ...data, now: NOW },
});

/**
 * The last `type` message inventory publishes after deciding `history` on one SKU, as the SKU pipeline does it:
 * each command decided on the state so far, each event given its id and mapped, the state evolved.
 */
function lastPublished(type: AnyEnvelope['type'], history: readonly SkuCommand[]): Envelope {
  let state = initialState();
  const published: AnyEnvelope[] = [];
  for (const command of history) {
    const events = decide(command, state);
    const after = evolveAll(state, events);
    const decision = { id: X.sku, streamId: `sku-${X.sku}`, command, cause, at: undefined, events, eventIds: events.map(() => randomUUID()), before: state, after, output: undefined };
    events.forEach((event, index) => {
      const envelope = toInventoryEnvelope(decision, index, event);
      if (envelope) published.push(envelope);
    });
    state = after;
  }
  const found = published.filter((envelope) => envelope.type === type).at(-1);
  if (!found) throw new Error(`no ${type} after ${history.map((c) => c.type).join(', ')}`);
  return found;
}

const messages: Record<string, EnvelopeProducer> = {
  'a StockReserved event': () => lastPublished('StockReserved', [stock(5), order(2)]),
  'a BackorderQueued event with a promised date': () => lastPublished('BackorderQueued', [purchaseOrder, order(2)]),
  'a BackorderAllocated event': () =>
    lastPublished('BackorderAllocated', [
      purchaseOrder,
      order(2),
      { type: 'ReceiveRestock', data: { purchaseOrderId: X.purchaseOrderId, quantity: 1, now: NOW } },
    ]),
  'a BackorderEtaChanged event': () =>
    lastPublished('BackorderEtaChanged', [
      purchaseOrder,
      order(2),
      { type: 'ChangePurchaseOrderEta', data: { purchaseOrderId: X.purchaseOrderId, expectedAt: X.laterExpectedAt, now: NOW } },
    ]),
  // The purchase order arrives short and closes: without a lead time nothing else backs the rest of the line.
  'a BackorderEtaChanged event that withdraws the promised date': () =>
    lastPublished('BackorderEtaChanged', [
      purchaseOrder,
      order(2),
      { type: 'ReceiveRestock', data: { purchaseOrderId: X.purchaseOrderId, quantity: 1, remainingOnOrder: 0, now: NOW } },
    ]),
  'a BackorderReleased event': () => lastPublished('BackorderReleased', [purchaseOrder, order(2), cancel]),
  'a StockReleased event': () => lastPublished('StockReleased', [stock(5), order(1), cancel]),
  'a StockUnavailable event naming substitutes': () =>
    lastPublished('StockUnavailable', [configure({ backorderable: false, substitutes: [X.substitute] }), order(3)]),
  "a ReplenishmentRequested event with the SKU's lead time": () =>
    lastPublished('ReplenishmentRequested', [configure({ leadTimeDays: 7 }), order(2)]),
  'a BackorderQueued event naming substitutes': () =>
    lastPublished('BackorderQueued', [configure({ substitutes: [X.substitute] }), purchaseOrder, order(2)]),
  'a StockShipped event': () =>
    lastPublished('StockShipped', [stock(5), order(2), { type: 'ShipOrderLine', data: { orderId: X.orderId, lineId: X.lineId, quantity: 2, now: NOW } }]),
  'a BackInStock event': () => lastPublished('BackInStock', [configure({ backorderable: false }), order(1), stock(12)]),
};

describe('inventory-service as a message provider', () => {
  it('produces every message its consumers expect', () => verifyMessageProvider({ provider: 'inventory-service', messages }), 60_000);
});

describe('a breaking change in the mapper is caught', () => {
  /** The real producer of `description`, with `edit` applied to the envelope it returns. */
  const breaking = (description: string, edit: (data: Record<string, unknown>) => void): Record<string, EnvelopeProducer> => ({
    ...messages,
    [description]: async () => {
      const envelope = structuredClone(await messages[description]!());
      edit(envelope.data as Record<string, unknown>);
      return envelope;
    },
  });

  async function mismatchesOf(broken: Record<string, EnvelopeProducer>) {
    const failure = await verifyMessageProvider({ provider: 'inventory-service', messages: broken }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeDefined();
    return pactMismatches(failure);
  }

  it('a BackorderQueued without expectedAt fails every consumer that reads the promised date', async () => {
    const mismatches = await mismatchesOf(breaking('a BackorderQueued event with a promised date', (data) => delete data.expectedAt));
    expect(mismatches.length).toBeGreaterThan(0);
    for (const { interaction, path, mismatch } of mismatches) {
      expect(interaction).toMatch(/ and inventory-service - a BackorderQueued event with a promised date$/);
      expect(path).toBe('$.data');
      expect(mismatch).toMatch(/missing the following keys: expectedAt/);
    }
    const consumers = new Set(mismatches.map((m) => /between (\S+) and/.exec(m.interaction)?.[1]));
    expect([...consumers].sort()).toEqual(['notification-service', 'order-service']);
  }, 60_000);

  it('a StockReserved whose orderId was renamed fails its consumers', async () => {
    const mismatches = await mismatchesOf(
      breaking('a StockReserved event', (data) => {
        data.order_id = data.orderId;
        delete data.orderId;
      }),
    );
    expect(mismatches).toContainEqual({
      interaction: expect.stringMatching(/between order-service and inventory-service - a StockReserved event$/),
      path: '$.data',
      mismatch: expect.stringMatching(/missing the following keys: orderId/),
    });
    expect(mismatches.every((m) => m.interaction.endsWith(' - a StockReserved event'))).toBe(true);
  }, 60_000);

  it('a message a consumer relies on that the provider stopped producing fails', async () => {
    const { 'a BackInStock event': _dropped, ...rest } = messages;
    const mismatches = await mismatchesOf(rest);
    expect(mismatches.length).toBeGreaterThan(0);
    for (const { interaction } of mismatches) {
      expect(interaction).toBe('Verifying a pact between notification-service and inventory-service - a BackInStock event');
    }
    expect(mismatches).toContainEqual({ interaction: expect.any(String), path: '$', mismatch: expect.stringMatching(/missing the following keys: .*data/) });
  }, 60_000);
});
