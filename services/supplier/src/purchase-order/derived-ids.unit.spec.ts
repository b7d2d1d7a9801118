import { describe, expect, it } from '@jest/globals';
import { derivedId, keyedPurchaseOrderId, messageEventIds } from './derived-ids.js';

describe('derived ids', () => {
  it('are the same UUID (version 5) for the same name, and another for another name', () => {
    const id = derivedId('replenishment/4f6a');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(derivedId('replenishment/4f6a')).toBe(id);
    expect(derivedId('replenishment/4f6b')).not.toBe(id);
  });

  it('are the ids the release before derived, so what it placed is found again after the upgrade', () => {
    expect(keyedPurchaseOrderId('key-1')).toBe('eb2af64a-e6d9-54db-b370-4852e86a31d6');
    expect(messageEventIds({ id: 'm-1' }, 'purchase-order-p')(0)).toBe(derivedId('m-1/purchase-order-p/0'));
  });
});
