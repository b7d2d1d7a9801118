import type { StoredEvent } from '@fulfillment/eventstore';
import { describe, expect, it } from '@jest/globals';
import { historyEntryOf } from './order-history.mapper.js';

const stored = (type: string, data: unknown, metadata: Record<string, unknown> = {}): StoredEvent => ({
  streamId: 'order-o-1',
  streamVersion: 3,
  globalPosition: 42n,
  id: '7d1c7a8e-2b9f-4a53-8d3e-0b8f1c2d3e4f',
  type,
  schemaVersion: 1,
  data,
  metadata,
  createdAt: new Date('2026-11-27T10:00:01.000Z'),
});

describe('order history entries', () => {
  it('show OrderPlaced without the email address', () => {
    const entry = historyEntryOf(
      stored(
        'OrderPlaced',
        { orderId: 'o-1', customerId: 'c-1', email: 'ada@example.com', lines: [{ lineId: 'o-1-1', sku: 'A', quantity: 1 }], placedAt: '2026-11-27T10:00:00.000Z' },
        { occurredAt: '2026-11-27T10:00:00.000Z', correlationId: 'corr-1', causationId: null },
      ),
    );
    expect(entry).toEqual({
      version: 3,
      id: '7d1c7a8e-2b9f-4a53-8d3e-0b8f1c2d3e4f',
      type: 'OrderPlaced',
      occurredAt: '2026-11-27T10:00:00.000Z',
      correlationId: 'corr-1',
      causationId: null,
      data: { orderId: 'o-1', customerId: 'c-1', lines: [{ lineId: 'o-1-1', sku: 'A', quantity: 1 }], placedAt: '2026-11-27T10:00:00.000Z' },
    });
    expect(JSON.stringify(entry)).not.toContain('ada@');
  });

  it('name the inventory event a line change came from', () => {
    const entry = historyEntryOf(
      stored('LineBackordered', { orderId: 'o-1', lineId: 'o-1-1', quantity: 2, expectedAt: null, eventId: 'inv-1' }, { causationId: 'inv-1' }),
    );
    expect(entry.data).toEqual({ lineId: 'o-1-1', quantity: 2, expectedAt: null, inventoryEventId: 'inv-1' });
    expect(entry.causationId).toBe('inv-1');
  });

  it('fall back to the storage time for an event recorded without one', () => {
    expect(historyEntryOf(stored('OrderStatusChanged', { orderId: 'o-1', status: 'confirmed', previous: 'pending' })).occurredAt).toBe(
      '2026-11-27T10:00:01.000Z',
    );
  });

  it('refuse an event type the order stream cannot hold', () => {
    expect(() => historyEntryOf(stored('SkuRestocked', {}))).toThrow(/event SkuRestocked at version 3 of stream order-o-1: unknown event type/);
  });
});
