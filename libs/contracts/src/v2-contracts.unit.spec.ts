import { describe, expect, it } from '@jest/globals';
import { CONTRACT_REGISTRY, decodeMessage, schemas } from './index.js';
import { rawEnvelope } from './raw-envelope.spec-helper.js';

// What producers of the released code wrote, decoded by today's consumers (SPEC 9/10 changed these messages).

const ORDER_ID = 'c0a8e0f2-5b7d-4e1a-9f3c-6d2b8a4e7f01';
const line = { sku: 'SKU-MUG-350-BLUE', orderId: ORDER_ID, lineId: 'line-1', customerId: 'cust-4821' };

function decoded(topic: string, type: string, data: unknown, dataversion = 1): { dataversion: number; data: unknown } {
  const result = decodeMessage(topic, rawEnvelope(type, data, { dataversion }));
  if (!result.ok) throw new Error(result.reason);
  return { dataversion: result.envelope.dataversion, data: result.envelope.data };
}

describe('OrderStatusChanged v1, written before anything could ship', () => {
  const v1 = {
    orderId: ORDER_ID,
    customerId: 'cust-4821',
    status: 'backordered',
    lines: [
      { lineId: 'line-1', sku: 'SKU-A', quantity: 3, reserved: 1, allocated: 0, backordered: 2, unavailable: 0, released: 0, expectedAt: null },
      { lineId: 'line-2', sku: 'SKU-B', quantity: 1, reserved: 0, allocated: 0, backordered: 0, unavailable: 0, released: 1, expectedAt: null },
    ],
  };

  it('reaches consumers as v2 with nothing shipped on any line', () => {
    const { dataversion, data } = decoded('order.events', 'OrderStatusChanged', v1);
    expect(dataversion).toBe(2);
    expect(data).toEqual({ ...v1, lines: v1.lines.map((l) => ({ ...l, shipped: 0 })) });
  });

  it('is still checked against v1 rules: a v1 line without its buckets adding up is refused', () => {
    const broken = structuredClone(v1);
    broken.lines[0].reserved = 2;
    const result = decodeMessage('order.events', rawEnvelope('OrderStatusChanged', broken));
    expect(result).toEqual({
      ok: false,
      reason: expect.stringContaining('data.lines[0].quantity: must equal reserved + allocated + backordered + unavailable + released'),
    });
  });

  it('cannot carry a v2 status', () => {
    const result = decodeMessage('order.events', rawEnvelope('OrderStatusChanged', { ...v1, status: 'shipped' }));
    expect(result.ok).toBe(false);
  });
});

describe('OrderStatusChanged v2', () => {
  it('counts shipped units in the line identity', () => {
    const example = CONTRACT_REGISTRY.OrderStatusChanged.example;
    expect(schemas.OrderStatusChanged.v2.safeParse(example).success).toBe(true);
    const lost = structuredClone(example);
    lost.lines[0].shipped = 0;
    expect(schemas.OrderStatusChanged.v2.safeParse(lost).error?.issues.map((issue) => issue.message)).toEqual([
      'must equal reserved + allocated + backordered + unavailable + released + shipped',
    ]);
  });
});

describe('BackorderQueued v1, written before preorders and substitutes on queued lines', () => {
  it('reaches consumers as v2: no preorder, no substitute known', () => {
    const v1 = { ...line, quantity: 2, position: 1, expectedAt: '2026-12-04T08:00:00.000Z' };
    const { dataversion, data } = decoded('inventory.events', 'BackorderQueued', v1);
    expect(dataversion).toBe(2);
    expect(data).toEqual({ ...v1, preorder: false, substitutes: [] });
  });

  it('v2 requires both new fields of a producer', () => {
    const v2 = { ...line, quantity: 2, position: 1, expectedAt: null, preorder: true, substitutes: [] };
    expect(decoded('inventory.events', 'BackorderQueued', v2, 2).data).toEqual(v2);
    const { preorder: _preorder, ...withoutPreorder } = v2;
    const result = decodeMessage('inventory.events', rawEnvelope('BackorderQueued', withoutPreorder, { dataversion: 2 }));
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('data.preorder') });
  });
});

describe('additive fields', () => {
  it('OrderPlaced without a shipping policy is still valid (consumers read it as as-available)', () => {
    const { shipping: _shipping, ...released } = CONTRACT_REGISTRY.OrderPlaced.example;
    expect(decoded('order.events', 'OrderPlaced', released).data).toEqual(released);
  });

  it('PlaceOrder refuses an unknown shipping policy', () => {
    const result = decodeMessage(
      'order.commands',
      rawEnvelope('PlaceOrder', { ...CONTRACT_REGISTRY.PlaceOrder.example, shipping: 'whenever' }),
    );
    expect(result).toEqual({ ok: false, reason: expect.stringContaining('data.shipping: must be one of "as-available", "when-complete"') });
  });

  it('ShipOrder needs at least one line and positive quantities', () => {
    const example = CONTRACT_REGISTRY.ShipOrder.example;
    expect(schemas.ShipOrder.v1.safeParse({ ...example, lines: [] }).success).toBe(false);
    expect(schemas.ShipOrder.v1.safeParse({ ...example, lines: [{ lineId: 'line-1', quantity: 0 }] }).success).toBe(false);
    const { carrier: _carrier, trackingId: _trackingId, ...bare } = example;
    expect(schemas.ShipOrder.v1.safeParse(bare).success).toBe(true);
  });

  it('OrderShipped names carrier and tracking id, null when unknown', () => {
    const example = CONTRACT_REGISTRY.OrderShipped.example;
    expect(schemas.OrderShipped.v1.safeParse({ ...example, carrier: null, trackingId: null }).success).toBe(true);
    const { carrier: _carrier, ...withoutCarrier } = example;
    expect(schemas.OrderShipped.v1.safeParse(withoutCarrier).success).toBe(false);
  });
});
