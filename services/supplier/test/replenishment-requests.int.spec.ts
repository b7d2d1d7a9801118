// Inventory's replenishment requests in the supplier service as a process, on the real broker and PostgreSQL: a
// request no supplier terms can plan stays open, is published as ReplenishmentUnplanned and listed; purchase orders
// placed by hand or planned later answer the open requests as the domain says.
import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { TOPICS, type Envelope } from '@fulfillment/contracts';
import { eventually, fileFixture } from '@fulfillment/testing';
import { envelope, inDays, SupplierUnderTest } from './supplier-under-test.js';

const sut = fileFixture(() => SupplierUnderTest.start(), (service) => service.stop(), { startTimeoutMs: 90_000 });

interface RequestView {
  requestId: string;
  sku: string;
  quantity: number;
  status: string;
  unplannedReason: string | null;
  answer: string | null;
  purchaseOrderId: string | null;
}

const newSku = () => `SKU-${randomUUID().slice(0, 8)}`;
const requested = (sku: string, quantity: number, leadTimeDays: number | null = null) =>
  envelope('ReplenishmentRequested', { sku, quantity, reason: 'backorder', leadTimeDays }, 'inventory');
const requestsOf = async (sku: string, status?: string) => {
  const { status: code, body } = await sut.http<RequestView[]>('GET', `/replenishment-requests?sku=${sku}${status ? `&status=${status}` : ''}`);
  expect(code).toBe(200);
  return body;
};
const waitForRequests = (sku: string, count: number, status?: string) =>
  eventually(async () => {
    const listed = await requestsOf(sku, status);
    return listed.length === count ? listed : undefined;
  }, { timeoutMs: 30_000, what: `${count} ${status ?? ''} replenishment request(s) of ${sku}` });
const unplannedFor = (request: Envelope) =>
  sut.published().filter((r) => r.envelope?.type === 'ReplenishmentUnplanned' && r.envelope.causationid === request.id);
const placeByHand = async (sku: string, quantity: number) => {
  const res = await sut.http<{ purchaseOrderId: string }>('POST', '/purchase-orders', { sku, quantity, expectedAt: inDays(5) });
  expect(res.status).toBe(201);
  return res.body.purchaseOrderId;
};

describe('replenishment requests', () => {
  it('without a lead time stay open, are published once as ReplenishmentUnplanned and listed as open', async () => {
    const sku = newSku();
    const request = requested(sku, 24);
    await sut.send(TOPICS.inventoryEvents, request, request);

    const unplanned = await sut.waitFor((r) => r.envelope?.type === 'ReplenishmentUnplanned' && r.envelope.causationid === request.id, 'ReplenishmentUnplanned');
    expect(unplanned.key).toBe(sku);
    expect(unplanned.envelope).toMatchObject({
      source: 'supplier',
      correlationid: request.correlationid,
      data: { requestId: request.id, sku, quantity: 24, reason: 'no-lead-time' },
    });
    const [open] = await waitForRequests(sku, 1, 'open');
    expect(open).toMatchObject({ requestId: request.id, sku, quantity: 24, status: 'open', unplannedReason: 'no-lead-time', answer: null, purchaseOrderId: null });
    expect(await requestsOf(sku, 'answered')).toEqual([]);
    // Delivered twice, recorded and reported once (a later marker shows everything before it was handled).
    const marker = requested(sku, 1);
    await sut.send(TOPICS.inventoryEvents, request, marker);
    await sut.waitFor((r) => r.envelope?.type === 'ReplenishmentUnplanned' && r.envelope.causationid === marker.id, 'the marker');
    expect(unplannedFor(request)).toHaveLength(1);
    expect((await requestsOf(sku)).map((listed) => listed.requestId)).toEqual([request.id, marker.id]);
  });

  it('are answered by a purchase order placed by hand that covers them in full, oldest first, without overtaking', async () => {
    const sku = newSku();
    const [older, younger] = [requested(sku, 5), requested(sku, 10)];
    await sut.send(TOPICS.inventoryEvents, older, younger);
    await waitForRequests(sku, 2, 'open');

    const purchaseOrderId = await placeByHand(sku, 7);
    const [answered] = await waitForRequests(sku, 1, 'answered');
    expect(answered).toMatchObject({ requestId: older.id, status: 'answered', answer: 'manual', purchaseOrderId });
    expect(await requestsOf(sku, 'open')).toEqual([expect.objectContaining({ requestId: younger.id, quantity: 10 })]);
    // A purchase order too small for the oldest open request answers nothing (the younger ones do not overtake it).
    await placeByHand(sku, 9);
    expect(await requestsOf(sku, 'open')).toEqual([expect.objectContaining({ requestId: younger.id })]);
  });

  it('are superseded by a later request that could be planned: its purchase order answers them all', async () => {
    const sku = newSku();
    const unplannable = requested(sku, 6);
    await sut.send(TOPICS.inventoryEvents, unplannable);
    await waitForRequests(sku, 1, 'open');
    const planned = requested(sku, 6, 3);
    await sut.send(TOPICS.inventoryEvents, planned);

    const answered = await waitForRequests(sku, 2, 'answered');
    const placed = await sut.waitFor((r) => r.envelope?.type === 'PurchaseOrderPlaced' && r.envelope.causationid === planned.id, 'the planned purchase order');
    const purchaseOrderId = placed.envelope!.data.purchaseOrderId;
    expect(answered).toEqual([
      expect.objectContaining({ requestId: unplannable.id, answer: 'superseded', purchaseOrderId, unplannedReason: 'no-lead-time' }),
      expect.objectContaining({ requestId: planned.id, answer: 'planned', purchaseOrderId, unplannedReason: null }),
    ]);
    expect(unplannedFor(planned)).toEqual([]);
  });

  it('are listed with 400 naming a bad query parameter', async () => {
    for (const [query, field] of [
      ['status=closed', 'status'],
      ['limit=0', 'limit'],
      ['sku=%20', 'sku'],
    ]) {
      const { status, body } = await sut.http<{ field: string }>('GET', `/replenishment-requests?${query}`);
      expect({ status, field: body.field }).toEqual({ status: 400, field });
    }
  });
});
