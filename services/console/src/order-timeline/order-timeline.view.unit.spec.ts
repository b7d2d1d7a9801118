import { describe, expect, it } from '@jest/globals';
import { summarize, timelineOf, type NotificationEntry, type OrderEventEntry } from './order-timeline.view.js';

const order = { orderId: 'o-1', customerId: 'c-1', status: 'backordered', lines: [] };
const event = (version: number, type: string, occurredAt: string, data: Record<string, unknown>): OrderEventEntry => ({
  version,
  id: `e-${version}`,
  type,
  occurredAt,
  correlationId: null,
  causationId: null,
  data,
});
const told = (id: string, kind: string, createdAt: string, orderId = 'o-1'): NotificationEntry => ({
  notificationId: id,
  kind,
  orderId,
  sku: 'SKU-1',
  channel: 'in-app',
  message: `${kind} message`,
  createdAt,
});

describe('timelineOf', () => {
  it("merges the order's events and what its customer was told about it, in time order, an event first at the same instant", () => {
    const timeline = timelineOf(
      order,
      [
        event(1, 'OrderPlaced', '2026-12-01T10:00:00.000Z', { orderId: 'o-1', customerId: 'c-1', lines: [{ lineId: 'o-1-1', sku: 'SKU-1', quantity: 3 }], placedAt: '2026-12-01T10:00:00.000Z' }),
        event(2, 'LineBackordered', '2026-12-01T10:00:01.000Z', { lineId: 'o-1-1', quantity: 3, expectedAt: null, inventoryEventId: 'x' }),
        event(3, 'LineAllocated', '2026-12-01T10:05:00.000Z', { lineId: 'o-1-1', quantity: 3, inventoryEventId: 'y' }),
      ],
      [told('n-1', 'backordered', '2026-12-01T10:00:01.000Z'), told('n-other', 'order-confirmed', '2026-12-01T10:01:00.000Z', 'o-2'), told('n-2', 'backorder-allocated', '2026-12-01T10:05:02.000Z')],
    );
    expect(timeline.entries.map((e) => `${e.source}:${e.what}`)).toEqual([
      'order:OrderPlaced',
      'order:LineBackordered',
      'notification:backordered',
      'order:LineAllocated',
      'notification:backorder-allocated',
    ]);
    expect(timeline.entries[0]!.detail).toBe('lines: o-1-1 SKU-1 × 3, placedAt: 2026-12-01T10:00:00.000Z');
    expect(timeline.entries[2]).toMatchObject({ channel: 'in-app', detail: 'backordered message', ref: 'n-1' });
    expect(timeline.notificationsError).toBeNull();
  });

  it('shows the events alone, with the reason, when the notifications could not be read', () => {
    const timeline = timelineOf(order, [event(1, 'OrderCancelled', '2026-12-01T10:00:00.000Z', { reason: 'customer asked', cancelledAt: '2026-12-01T10:00:00.000Z' })], null, 'notification does not answer');
    expect(timeline.entries.map((e) => e.what)).toEqual(['OrderCancelled']);
    expect(timeline.notificationsError).toBe('notification does not answer');
  });
});

describe('summarize', () => {
  it('puts an event in one line without the ids every entry repeats, and cuts a long one', () => {
    expect(summarize({ orderId: 'o-1', lineId: 'o-1-2', quantity: 1, substitutes: [], from: null })).toBe('lineId: o-1-2, quantity: 1, substitutes: none, from: none');
    expect(summarize({ lines: [{ lineId: 'l-1', quantity: 2 }] })).toBe('lines: l-1 × 2');
    expect(summarize({ note: 'x'.repeat(400) }, 50)).toHaveLength(50);
  });
});
