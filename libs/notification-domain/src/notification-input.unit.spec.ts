import { describe, expect, it } from '@jest/globals';
import { isNotificationInputType, NOTIFICATION_INPUT_TYPES } from './notification-input.js';

describe('isNotificationInputType', () => {
  it('accepts the twelve event types the domain reacts to', () => {
    expect([...NOTIFICATION_INPUT_TYPES].sort()).toEqual([
      'BackInStock',
      'BackorderAllocated',
      'BackorderEtaChanged',
      'BackorderQueued',
      'BackorderReleased',
      'OrderCancelled',
      'OrderLineCancelled',
      'OrderLineSubstituted',
      'OrderPlaced',
      'OrderShipped',
      'OrderStatusChanged',
      'StockUnavailable',
    ]);
    for (const type of NOTIFICATION_INPUT_TYPES) expect(isNotificationInputType(type)).toBe(true);
  });

  it('rejects the other types on the consumed topics, and names inherited from Object', () => {
    const others = ['StockReserved', 'StockReleased', 'StockShipped', 'OrderReadyToShip', 'ReplenishmentRequested', 'PurchaseOrderPlaced', 'RestockReceived'];
    for (const type of others) {
      expect(isNotificationInputType(type)).toBe(false);
    }
    expect(isNotificationInputType('toString')).toBe(false);
    expect(isNotificationInputType('constructor')).toBe(false);
  });
});
