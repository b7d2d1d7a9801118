import { describe, expect, it } from '@jest/globals';
import { decodeMessage } from '@fulfillment/contracts';
import { initialState, type SkuEvent } from '@fulfillment/inventory-domain';
import { toInventoryEnvelope, type SkuDecision } from './inventory-events.mapper.js';

const at = '2026-11-27T10:00:00.000Z';
const line = { orderId: 'order-1', lineId: 'line-1', customerId: 'cust-1' };
const id = '7d3f0a52-6f1e-4c1b-9a7e-2d7c8f1e0b11';
const cause = { causationId: '5b0c3c1e-0d43-4a55-8f53-3f1f2f0a9e77', correlationId: 'corr-1' };

const decision = (event: SkuEvent): SkuDecision => ({
  id: 'SKU-1',
  streamId: 'sku-SKU-1',
  command: { type: 'AdjustStock', data: { delta: 1, reason: 'count', now: at } },
  cause,
  at: undefined,
  events: [event],
  eventIds: [id],
  before: initialState(),
  after: initialState(),
  output: undefined,
});
const map = (event: SkuEvent) => toInventoryEnvelope(decision(event), 0, event);

describe('toInventoryEnvelope', () => {
  it.each<[SkuEvent, string, Record<string, unknown>]>([
    [
      { type: 'StockReserved', data: { ...line, quantity: 2, at } },
      'StockReserved',
      { sku: 'SKU-1', ...line, quantity: 2 },
    ],
    [
      {
        type: 'BackorderQueued',
        data: { ...line, quantity: 3, position: 4, expectedAt: '2026-12-01T00:00:00.000Z', preorder: false, substitutes: [], at },
      },
      'BackorderQueued',
      { sku: 'SKU-1', ...line, quantity: 3, position: 4, expectedAt: '2026-12-01T00:00:00.000Z', preorder: false, substitutes: [] },
    ],
    [
      {
        type: 'BackorderQueued',
        data: { ...line, quantity: 1, position: 1, expectedAt: '2026-12-24T09:00:00.000Z', preorder: true, substitutes: ['SKU-2'], at },
      },
      'BackorderQueued',
      { sku: 'SKU-1', ...line, quantity: 1, position: 1, expectedAt: '2026-12-24T09:00:00.000Z', preorder: true, substitutes: ['SKU-2'] },
    ],
    [
      { type: 'BackorderAllocated', data: { ...line, quantity: 1, remaining: 2, at } },
      'BackorderAllocated',
      { sku: 'SKU-1', ...line, quantity: 1, remaining: 2 },
    ],
    [
      {
        type: 'BackorderEtaChanged',
        data: { ...line, previousExpectedAt: null, expectedAt: '2026-12-02T00:00:00.000Z', at },
      },
      'BackorderEtaChanged',
      { sku: 'SKU-1', ...line, previousExpectedAt: null, expectedAt: '2026-12-02T00:00:00.000Z' },
    ],
    [
      { type: 'BackorderReleased', data: { ...line, quantity: 2, reason: 'customer-request', at } },
      'BackorderReleased',
      { sku: 'SKU-1', ...line, quantity: 2, reason: 'customer-request' },
    ],
    [
      { type: 'ReservationReleased', data: { ...line, quantity: 2, reason: 'customer-request', at } },
      'StockReleased',
      { sku: 'SKU-1', ...line, quantity: 2, reason: 'customer-request' },
    ],
    [
      { type: 'StockShipped', data: { ...line, quantity: 3, at } },
      'StockShipped',
      { sku: 'SKU-1', ...line, quantity: 3 },
    ],
    [
      {
        type: 'StockUnavailable',
        data: { ...line, quantity: 5, reason: 'not-backorderable', substitutes: ['SKU-2', 'SKU-3'], at },
      },
      'StockUnavailable',
      { sku: 'SKU-1', ...line, quantity: 5, substitutes: ['SKU-2', 'SKU-3'] },
    ],
    [
      { type: 'ReplenishmentRequested', data: { quantity: 12, reason: 'backorder', leadTimeDays: 7, at } },
      'ReplenishmentRequested',
      { sku: 'SKU-1', quantity: 12, reason: 'backorder', leadTimeDays: 7 },
    ],
    [{ type: 'BackInStock', data: { available: 4, at } }, 'BackInStock', { sku: 'SKU-1', available: 4 }],
  ])('publishes %j as %s with exactly the contract fields', (event, type, data) => {
    const envelope = map(event);
    expect(envelope).toMatchObject({ type, subject: 'SKU-1', data });
    expect(envelope!.data).toEqual(data);
    // What a consumer reads back is what was meant: the envelope passes the contract's own decoder.
    const decoded = decodeMessage('inventory.events', JSON.stringify(envelope));
    expect(decoded).toMatchObject({ ok: true, envelope: { type, data } });
  });

  it("carries the domain event's id and time, and the cause's correlation and causation", () => {
    expect(map({ type: 'BackInStock', data: { available: 1, at: '2026-11-28T08:30:00.000Z' } })).toMatchObject({
      id,
      source: 'inventory',
      time: '2026-11-28T08:30:00.000Z',
      correlationid: 'corr-1',
      causationid: cause.causationId,
    });
    const event: SkuEvent = { type: 'BackInStock', data: { available: 1, at } };
    const fromHttp = toInventoryEnvelope({ ...decision(event), cause: { correlationId: 'http-1', causationId: null } }, 0, event);
    expect(fromHttp).toMatchObject({ correlationid: 'http-1', causationid: null });
  });

  it.each<SkuEvent>([
    {
      type: 'SkuConfigured',
      data: { backorderable: true, leadTimeDays: null, reorderPoint: 0, safetyStock: 0, substitutes: [], maxBackorder: null, maxWaitDays: null, autoCancelAfterDays: null, releaseAt: null, at },
    },
    { type: 'StockAdjusted', data: { delta: 3, reason: 'count', at } },
    { type: 'PurchaseOrderRegistered', data: { purchaseOrderId: 'po-1', quantity: 5, expectedAt: at, at } },
    {
      type: 'PurchaseOrderEtaChanged',
      data: { purchaseOrderId: 'po-1', previousExpectedAt: at, expectedAt: at, at },
    },
    { type: 'RestockReceived', data: { purchaseOrderId: 'po-1', quantity: 5, remainingOnOrder: 0, at } },
  ])('keeps the domain-only $type inside inventory', (event) => {
    expect(map(event)).toBeNull();
  });
});
