import { describe, expect, it } from '@jest/globals';
import { skuQueueOf, type SkuAnswer } from './sku-queue.view.js';

const line = (n: number, quantity: number, expectedAt: string | null) => ({
  orderId: `o-${n}`,
  lineId: `o-${n}-1`,
  customerId: `c-${n}`,
  quantity,
  queuedAt: `2026-12-01T10:0${n}:00.000Z`,
  expectedAt,
});

describe('skuQueueOf', () => {
  it("keeps inventory's FIFO order and says, per line, the units ahead of it and which purchase order reaches it", () => {
    const answer: SkuAnswer = {
      sku: 'SKU-1',
      onHand: 0,
      reserved: 0,
      available: 0,
      backordered: 9,
      queue: [line(1, 2, '2026-12-05T00:00:00.000Z'), line(2, 3, '2026-12-09T00:00:00.000Z'), line(3, 4, null)],
      incoming: [
        { purchaseOrderId: 'po-early', quantity: 2, expectedAt: '2026-12-05T00:00:00.000Z' },
        { purchaseOrderId: 'po-late', quantity: 4, expectedAt: '2026-12-09T00:00:00.000Z' },
      ],
    };
    const view = skuQueueOf(answer, new Date('2026-12-01T11:00:00.000Z'));
    expect(view.queue.map((r) => [r.position, r.orderId, r.unitsAhead, r.expectedAt, r.coveredBy, r.waitedSeconds])).toEqual([
      [1, 'o-1', 0, '2026-12-05T00:00:00.000Z', 'po-early', 3540],
      [2, 'o-2', 2, '2026-12-09T00:00:00.000Z', 'po-late', 3480],
      // 9 units queued, 6 coming: the last line is reached by none.
      [3, 'o-3', 5, null, null, 3420],
    ]);
    expect(view).toMatchObject({ sku: 'SKU-1', backordered: 9, pendingReplenishment: 0, preordersUntil: null });
  });

  it('marks preorder lines and passes on the release they wait for', () => {
    const view = skuQueueOf(
      { sku: 'P', onHand: 5, reserved: 0, available: 5, backordered: 1, queue: [{ ...line(1, 1, '2027-01-01T00:00:00.000Z'), preorder: true }], incoming: [], preordersUntil: '2027-01-01T00:00:00.000Z', pendingReplenishment: 3 },
      new Date('2026-12-01T10:01:00.000Z'),
    );
    expect(view.queue[0]).toMatchObject({ preorder: true, coveredBy: null, waitedSeconds: 0 });
    expect(view).toMatchObject({ preordersUntil: '2027-01-01T00:00:00.000Z', pendingReplenishment: 3 });
  });
});
