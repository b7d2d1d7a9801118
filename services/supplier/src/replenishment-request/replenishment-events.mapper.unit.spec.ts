import { describe, expect, it } from '@jest/globals';
import { decodeMessage, TOPICS } from '@fulfillment/contracts';
import { toReplenishmentEnvelope } from './replenishment-events.mapper.js';

const meta = { id: '0b7c4f43-5d3e-4b8e-9a1c-2f6d8e0a1b2c', correlationId: 'flow-1', causationId: 'request-1' };
const at = '2026-11-27T10:00:00.000Z';

describe('toReplenishmentEnvelope', () => {
  it('publishes ReplenishmentUnplanned field by field, at the time it was decided, in the request flow', () => {
    const envelope = toReplenishmentEnvelope(
      { type: 'ReplenishmentUnplanned', data: { requestId: 'request-1', sku: 'SKU-1', quantity: 24, reason: 'no-lead-time', at } },
      meta,
    );
    expect(envelope).toMatchObject({
      id: meta.id,
      type: 'ReplenishmentUnplanned',
      source: 'supplier',
      subject: 'SKU-1',
      time: at,
      correlationid: 'flow-1',
      causationid: 'request-1',
      data: { requestId: 'request-1', sku: 'SKU-1', quantity: 24, reason: 'no-lead-time' },
    });
    expect(decodeMessage(TOPICS.supplierEvents, JSON.stringify(envelope))).toMatchObject({ ok: true, envelope: { data: envelope!.data } });
  });

  it('keeps the bookkeeping of requests recorded and answered inside the supplier', () => {
    expect(
      toReplenishmentEnvelope(
        { type: 'ReplenishmentRequestRecorded', data: { requestId: 'r', sku: 'SKU-1', quantity: 1, reason: 'backorder', requestedAt: at } },
        meta,
      ),
    ).toBeNull();
    expect(
      toReplenishmentEnvelope(
        { type: 'ReplenishmentRequestAnswered', data: { requestId: 'r', sku: 'SKU-1', purchaseOrderId: 'po-1', answer: 'manual', answeredAt: at } },
        meta,
      ),
    ).toBeNull();
  });
});
