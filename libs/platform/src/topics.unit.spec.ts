import { describe, expect, it } from '@jest/globals';
import { TopicNames } from './topics.js';

const minimal = JSON.stringify({
  specversion: '1.0',
  id: 'shop-order-1',
  source: 'shop',
  type: 'PlaceOrder',
  data: { customerId: 'cust-1', lines: [{ sku: 'SKU-1', quantity: 1 }] },
});

describe('TopicNames.decode', () => {
  const names = new TopicNames('staging.');

  it('decodes against the contract topic and hands the record context on (key as subject, time of receipt)', () => {
    const receivedAt = new Date('2026-12-01T10:00:00.000Z');
    const result = names.decode('staging.order.commands', minimal, { key: 'order-key', receivedAt });
    expect(result.ok === true && result.envelope).toMatchObject({ subject: 'order-key', time: receivedAt.toISOString(), type: 'PlaceOrder' });
  });

  it('reads binary mode from the headers it is given', () => {
    const headers = { ce_specversion: '1.0', ce_id: 'b-1', ce_source: 'shop', ce_type: 'PlaceOrder' };
    const result = names.decode('staging.order.commands', JSON.stringify({ customerId: 'cust-2', lines: [{ sku: 'S', quantity: 1 }] }), { headers });
    expect(result.ok === true && result.envelope).toMatchObject({ id: 'b-1', subject: 'cust-2' });
  });

  it('skips a type of the contract topic the consumer does not want, unread', () => {
    expect(names.decode('staging.order.commands', minimal, {}, new Set(['CancelOrder']))).toEqual({ ok: 'skipped', type: 'PlaceOrder' });
  });

  it('refuses a topic outside its prefix', () => {
    expect(names.decode('order.commands', minimal)).toEqual({ ok: false, reason: 'topic order.commands is outside prefix "staging."' });
  });
});
