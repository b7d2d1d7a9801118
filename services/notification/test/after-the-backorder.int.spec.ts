// SPEC 9 and 10 notices on the notification service running as a process: shipped, line-cancelled,
// substitute-accepted, backorder-expired and preordered, each told once per change and channel however often its
// event is delivered, in the order the changes happened even when inventory.events overtakes order.events.
import { describe, expect, it } from '@jest/globals';
import { TOPICS, type AnyEnvelope } from '@fulfillment/contracts';
import { NO_UNITS, type OrderLineView } from '@fulfillment/kernel';
import { kinds, notificationWithSmtp } from './support/harness.js';

const { h } = notificationWithSmtp();

const at = (minute: number, second = 0) => new Date(Date.UTC(2026, 11, 2, 9, minute, second)).toISOString();
const DEC_10 = '2026-12-10T09:00:00.000Z';

/** A line of the order view: the buckets not given are zero, and no date is promised. */
type LineView = Pick<OrderLineView, 'lineId' | 'sku' | 'quantity'> & Partial<OrderLineView>;

function placed(customerId: string, orderId: string, lines: { lineId: string; sku: string; quantity: number }[], time: string) {
  return h.envelope('OrderPlaced', { orderId, customerId, email: `${customerId}@example.com`, lines, placedAt: time }, { time });
}

function view(customerId: string, orderId: string, status: string, lines: LineView[], time: string) {
  const full = lines.map((line): OrderLineView => ({ ...NO_UNITS, expectedAt: null, ...line }));
  return h.envelope('OrderStatusChanged', { orderId, customerId, status: status as 'confirmed', lines: full }, { time });
}

/** Every change told once on each channel: in-app and email (each customer gave an address). */
async function toldOnce(customerId: string, expected: string[]): Promise<void> {
  const list = await h.waitForList(customerId, (l) => l.length >= expected.length * 2, `${expected.join(', ')} for ${customerId}`);
  await h.waitUntilConsumed();
  const settled = await h.listOf(customerId);
  expect(kinds(settled)).toEqual(expected);
  expect(kinds(settled, 'email')).toEqual(expected);
  expect(settled).toHaveLength(list.length);
}

describe('shipped', () => {
  it('is told once per shipment, naming what left, the carrier and the tracking id; redeliveries tell nothing more', async () => {
    const [customer, order] = ['cust-shipped', 'order-shipped'];
    const lines = [{ lineId: 'order-shipped-1', sku: 'SKU-MUG', quantity: 2 }];
    const firstShipment = h.envelope(
      'OrderShipped',
      { orderId: order, customerId: customer, shipmentId: 'shp-1', lines: [{ ...lines[0]!, quantity: 1 }], carrier: 'DHL', trackingId: 'JD0146' },
      { time: at(2) },
    );
    await h.produce(
      placed(customer, order, lines, at(0)),
      view(customer, order, 'confirmed', [{ ...lines[0]!, reserved: 2 }], at(1)),
      firstShipment,
      view(customer, order, 'partially-shipped', [{ ...lines[0]!, reserved: 1, shipped: 1 }], at(2)),
      firstShipment,
      h.envelope(
        'OrderShipped',
        { orderId: order, customerId: customer, shipmentId: 'shp-2', lines: [{ ...lines[0]!, quantity: 1 }], carrier: null, trackingId: null },
        { time: at(3) },
      ),
      view(customer, order, 'shipped', [{ ...lines[0]!, shipped: 2 }], at(3)),
    );
    await toldOnce(customer, ['order-confirmed', 'shipped', 'shipped']);
    const [first, second] = (await h.listOf(customer)).filter((n) => n.kind === 'shipped' && n.channel === 'in-app');
    expect(first!.message).toContain('DHL');
    expect(first!.message).toContain('JD0146');
    expect(second!.message).not.toContain('tracking');
    const shippedOf = () => h.customerNotified(customer).filter((e) => (e.data as { kind: string }).kind === 'shipped');
    await h.eventually(() => (shippedOf().length >= 4 ? true : undefined), 'CustomerNotified for both shipments on both channels');
    expect(shippedOf()).toHaveLength(4);
  }, 90_000);
});

describe('line-cancelled', () => {
  it('is told once per line cancel; a later whole-order cancellation is told as order-cancelled only', async () => {
    const [customer, order] = ['cust-line', 'order-line'];
    const lines = [
      { lineId: 'order-line-1', sku: 'SKU-MUG', quantity: 3 },
      { lineId: 'order-line-2', sku: 'SKU-KETTLE', quantity: 1 },
    ];
    const lineCancelled = h.envelope(
      'OrderLineCancelled',
      { orderId: order, customerId: customer, lineId: 'order-line-1', sku: 'SKU-MUG', quantity: 2, reason: 'ordered too many' },
      { time: at(12) },
    );
    await h.produce(
      placed(customer, order, lines, at(10)),
      view(customer, order, 'confirmed', [{ ...lines[0]!, reserved: 3 }, { ...lines[1]!, reserved: 1 }], at(11)),
      lineCancelled,
      lineCancelled,
      view(customer, order, 'confirmed', [{ ...lines[0]!, reserved: 1, released: 2 }, { ...lines[1]!, reserved: 1 }], at(12)),
      h.envelope('OrderCancelled', { orderId: order, customerId: customer, reason: 'changed my mind' }, { time: at(13) }),
      view(customer, order, 'cancelled', [{ ...lines[0]!, released: 3 }, { ...lines[1]!, released: 1 }], at(13)),
    );
    await toldOnce(customer, ['order-confirmed', 'line-cancelled', 'order-cancelled']);
    const cancelled = (await h.listOf(customer)).find((n) => n.kind === 'line-cancelled')!;
    expect(cancelled).toMatchObject({ sku: 'SKU-MUG', orderId: order });
    expect(cancelled.message).toContain('2 units of SKU-MUG');
  }, 90_000);
});

describe('substitute-accepted', () => {
  it('says the substitute is set aside when inventory reserved it at once, and nothing more is sent for it', async () => {
    const [customer, order] = ['cust-sub-reserved', 'order-sub-reserved'];
    const line = { lineId: 'order-sub-reserved-1', sku: 'SKU-LAMP', quantity: 1 };
    const newLine = { lineId: 'order-sub-reserved-2', sku: 'SKU-LAMP-XL', quantity: 1 };
    await h.produce(
      placed(customer, order, [line], at(20)),
      h.envelope('StockUnavailable', { ...line, orderId: order, customerId: customer, substitutes: ['SKU-LAMP-XL'] }, { time: at(21) }),
      view(customer, order, 'rejected', [{ ...line, unavailable: 1 }], at(21)),
      h.envelope(
        'OrderLineSubstituted',
        { orderId: order, customerId: customer, lineId: line.lineId, newLineId: newLine.lineId, sku: 'SKU-LAMP', substituteSku: 'SKU-LAMP-XL', quantity: 1, waiting: 0 },
        { time: at(22) },
      ),
      view(customer, order, 'confirmed', [{ ...line, released: 1 }, { ...newLine, reserved: 1 }], at(23)),
    );
    await toldOnce(customer, ['out-of-stock', 'substitute-accepted']);
    const accepted = (await h.listOf(customer)).find((n) => n.kind === 'substitute-accepted')!;
    expect(accepted.message).toContain('set aside');
  }, 90_000);

  it('comes before the new line’s backordered notice even when inventory’s answer is read first', async () => {
    const [customer, order] = ['cust-sub-queued', 'order-sub-queued'];
    const line = { lineId: 'order-sub-queued-1', sku: 'SKU-CHAIR', quantity: 2 };
    const newLine = { lineId: 'order-sub-queued-2', sku: 'SKU-CHAIR-OAK', quantity: 2 };
    const substituted = h.envelope(
      'OrderLineSubstituted',
      { orderId: order, customerId: customer, lineId: line.lineId, newLineId: newLine.lineId, sku: 'SKU-CHAIR', substituteSku: 'SKU-CHAIR-OAK', quantity: 2, waiting: 2 },
      { time: at(32) },
    );
    const queuedNewLine = h.envelope(
      'BackorderQueued',
      { ...newLine, orderId: order, customerId: customer, position: 1, expectedAt: DEC_10, preorder: false, substitutes: [] },
      { time: at(33) },
    );
    await h.produce(
      placed(customer, order, [line], at(30)),
      h.envelope(
        'BackorderQueued',
        { ...line, orderId: order, customerId: customer, position: 3, expectedAt: '2026-12-20T09:00:00.000Z', preorder: false, substitutes: ['SKU-CHAIR-OAK'] },
        { time: at(31) },
      ),
      view(customer, order, 'backordered', [{ ...line, backordered: 2, expectedAt: '2026-12-20T09:00:00.000Z' }], at(31)),
    );
    await toldOnce(customer, ['backordered']);
    // inventory.events overtakes order.events: the new line's answer is read before the substitution itself.
    await h.produce(queuedNewLine);
    await h.waitUntilConsumed();
    await h.produce(
      substituted,
      substituted,
      view(customer, order, 'backordered', [{ ...line, released: 2 }, { ...newLine, backordered: 2, expectedAt: DEC_10 }], at(33)),
    );
    await toldOnce(customer, ['backordered', 'substitute-accepted', 'backordered']);
    const list = (await h.listOf(customer)).filter((n) => n.channel === 'in-app');
    expect(list.map((n) => n.sku)).toEqual(['SKU-CHAIR', 'SKU-CHAIR-OAK', 'SKU-CHAIR-OAK']);
    expect(list[1]!.message).toContain('We will tell you');
  }, 90_000);
});

describe('backorder-expired and preordered', () => {
  it('tell an expired wait once, and a preorder as preordered instead of backordered', async () => {
    const [customer, order] = ['cust-policies', 'order-policies'];
    const waiting = { lineId: 'order-policies-1', sku: 'SKU-SLOW', quantity: 1 };
    const preorder = { lineId: 'order-policies-2', sku: 'SKU-GAME', quantity: 1 };
    const expired: AnyEnvelope = h.envelope(
      'BackorderReleased',
      { ...waiting, orderId: order, customerId: customer, reason: 'expired' },
      { time: at(43) },
    );
    await h.produce(
      placed(customer, order, [waiting, preorder], at(40)),
      h.envelope('BackorderQueued', { ...waiting, orderId: order, customerId: customer, position: 1, expectedAt: null, preorder: false, substitutes: [] }, { time: at(41) }),
      h.envelope('BackorderQueued', { ...preorder, orderId: order, customerId: customer, position: 1, expectedAt: DEC_10, preorder: true, substitutes: [] }, { time: at(42) }),
      expired,
      expired,
    );
    await toldOnce(customer, ['backordered', 'preordered', 'backorder-expired']);
    const told = (await h.listOf(customer)).filter((n) => n.channel === 'in-app');
    expect(told.map((n) => n.sku)).toEqual(['SKU-SLOW', 'SKU-GAME', 'SKU-SLOW']);
    expect(h.deadLetters(TOPICS.inventoryEvents)).toEqual([]);
  }, 90_000);
});
