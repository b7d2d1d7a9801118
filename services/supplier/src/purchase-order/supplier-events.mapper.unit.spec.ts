import { describe, expect, it } from '@jest/globals';
import { decodeMessage, TOPICS } from '@fulfillment/contracts';
import type { PurchaseOrderEvent } from '@fulfillment/supplier-domain';
import { toOutboxMessage, toSupplierEnvelope, type RecordedEvent } from './supplier-events.mapper.js';

const ID = '0b7c4f43-5d3e-4b8e-9a1c-2f6d8e0a1b2c';
const recorded = (event: RecordedEvent['event']): RecordedEvent => ({
  id: ID,
  event,
  correlationId: 'flow-1',
  causationId: 'cause-1',
});

const placed: PurchaseOrderEvent = {
  type: 'PurchaseOrderPlaced',
  data: {
    purchaseOrderId: 'po-1',
    sku: 'SKU-1',
    quantity: 12,
    expectedAt: '2026-12-04T00:00:00.000Z',
    reason: 'replenishment',
    placedAt: '2026-11-27T10:00:00.000Z',
  },
};

describe('toSupplierEnvelope', () => {
  it('maps PurchaseOrderPlaced field by field, leaving the placement time to the envelope', () => {
    const env = toSupplierEnvelope(recorded(placed));
    expect(env).toMatchObject({
      id: ID,
      type: 'PurchaseOrderPlaced',
      source: 'supplier',
      subject: 'SKU-1',
      time: '2026-11-27T10:00:00.000Z',
      correlationid: 'flow-1',
      causationid: 'cause-1',
    });
    expect(env.data).toEqual({
      purchaseOrderId: 'po-1',
      sku: 'SKU-1',
      quantity: 12,
      expectedAt: '2026-12-04T00:00:00.000Z',
      reason: 'replenishment',
    });
  });

  it('maps PurchaseOrderEtaChanged, timed when the date changed', () => {
    const env = toSupplierEnvelope(
      recorded({
        type: 'PurchaseOrderEtaChanged',
        data: {
          purchaseOrderId: 'po-1',
          sku: 'SKU-1',
          previousExpectedAt: '2026-12-04T00:00:00.000Z',
          expectedAt: '2026-12-09T00:00:00.000Z',
          changedAt: '2026-11-28T09:00:00.000Z',
        },
      }),
    );
    expect(env.type).toBe('PurchaseOrderEtaChanged');
    expect(env.time).toBe('2026-11-28T09:00:00.000Z');
    expect(env.data).toEqual({
      purchaseOrderId: 'po-1',
      sku: 'SKU-1',
      previousExpectedAt: '2026-12-04T00:00:00.000Z',
      expectedAt: '2026-12-09T00:00:00.000Z',
    });
  });

  it('publishes a purchase order receipt as RestockReceived with what remains on order', () => {
    const env = toSupplierEnvelope(
      recorded({
        type: 'PurchaseOrderReceived',
        data: { purchaseOrderId: 'po-1', sku: 'SKU-1', quantity: 5, receivedAt: '2026-12-04T07:00:00.000Z', remainingOnOrder: 7 },
      }),
    );
    expect(env.type).toBe('RestockReceived');
    expect(env.time).toBe('2026-12-04T07:00:00.000Z');
    expect(env.data).toEqual({
      purchaseOrderId: 'po-1',
      sku: 'SKU-1',
      quantity: 5,
      receivedAt: '2026-12-04T07:00:00.000Z',
      remainingOnOrder: 7,
    });
  });

  it('publishes a receipt outside any purchase order as RestockReceived with purchaseOrderId null', () => {
    const env = toSupplierEnvelope(
      recorded({ type: 'UnplannedRestockReceived', data: { sku: 'SKU-2', quantity: 3, receivedAt: '2026-12-01T12:00:00.000Z' } }),
    );
    expect(env).toMatchObject({ type: 'RestockReceived', subject: 'SKU-2', causationid: 'cause-1' });
    expect(env.data).toEqual({ purchaseOrderId: null, sku: 'SKU-2', quantity: 3, receivedAt: '2026-12-01T12:00:00.000Z' });
  });

  it('keeps a new domain field off the wire', () => {
    const withExtra = { ...placed, data: { ...placed.data, supplierNote: 'call before delivery' } } as PurchaseOrderEvent;
    expect(toSupplierEnvelope(recorded(withExtra)).data).not.toHaveProperty('supplierNote');
  });

  it('refuses an event the contract would reject instead of publishing it', () => {
    const negative = { ...placed, data: { ...placed.data, quantity: -1 } } as PurchaseOrderEvent;
    expect(() => toSupplierEnvelope(recorded(negative))).toThrow(/quantity/);
  });
});

describe('toOutboxMessage', () => {
  it('keys the message by sku and writes an envelope that decodes on supplier.events', () => {
    const message = toOutboxMessage(toSupplierEnvelope(recorded(placed)), 'test.supplier.events');
    expect(message.topic).toBe('test.supplier.events');
    expect(message.key).toBe('SKU-1');
    const decoded = decodeMessage(TOPICS.supplierEvents, message.value);
    expect(decoded.ok && decoded.envelope.id).toBe(ID);
  });
});
