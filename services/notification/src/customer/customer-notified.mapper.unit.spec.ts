import { describe, expect, it } from '@jest/globals';
import { decodeMessage } from '@fulfillment/contracts';
import type { Notification } from '@fulfillment/notification-domain';
import { clipMessage, MAX_PUBLISHED_MESSAGE_LENGTH, toCustomerNotified } from './customer-notified.mapper.js';

const email: Notification = {
  notificationId: '6f1d0c2a-9d6e-5b7f-8a31-2c4e6f8a0b1c',
  customerId: 'cust-1',
  orderId: 'order-1',
  sku: 'SKU-1',
  kind: 'backordered',
  channel: 'email',
  subject: 'SKU-1 is on backorder',
  message: '2 units of SKU-1 are on backorder.',
  occurredAt: '2026-11-27T10:00:00.000Z',
  sourceEventId: '0b8e7a52-7c1e-4a55-9d0e-3f2b1c4d5e6f',
  emailTo: 'ada@example.com',
};

describe('toCustomerNotified', () => {
  it('publishes the contract fields on the given topic, keyed by customer, with the notification id as envelope id', () => {
    const row = toCustomerNotified(email, { eventId: email.sourceEventId, correlationId: 'corr-7' }, new Date('2026-11-27T10:00:01.000Z'), 'p.notification.events');
    expect(row.topic).toBe('p.notification.events');
    expect(row.key).toBe('cust-1');
    const decoded = decodeMessage('notification.events', row.value);
    expect(decoded).toEqual({
      ok: true,
      envelope: expect.objectContaining({
        id: email.notificationId,
        type: 'CustomerNotified',
        source: 'notification',
        subject: 'cust-1',
        correlationid: 'corr-7',
        causationid: email.sourceEventId,
        time: '2026-11-27T10:00:01.000Z',
        data: {
          notificationId: email.notificationId,
          customerId: 'cust-1',
          orderId: 'order-1',
          sku: 'SKU-1',
          kind: 'backordered',
          channel: 'email',
          message: email.message,
        },
      }),
    });
  });

  it('never carries the address an email went to', () => {
    const row = toCustomerNotified(email, { eventId: email.sourceEventId, correlationId: 'c' }, new Date(), 't');
    expect(row.value).not.toContain('ada@example.com');
  });

  it('publishes a whole-order notification with a null sku', () => {
    const confirmed: Notification = { ...email, kind: 'order-confirmed', sku: null, channel: 'in-app' } as Notification;
    const row = toCustomerNotified(confirmed, { eventId: email.sourceEventId, correlationId: 'c' }, new Date(), 't');
    expect(JSON.parse(row.value).data).toMatchObject({ sku: null, kind: 'order-confirmed', channel: 'in-app' });
  });

  it('clips a message longer than the contract allows instead of refusing it', () => {
    const long = { ...email, message: 'x'.repeat(MAX_PUBLISHED_MESSAGE_LENGTH + 50) };
    const row = toCustomerNotified(long, { eventId: email.sourceEventId, correlationId: 'c' }, new Date(), 't');
    const message = JSON.parse(row.value).data.message as string;
    expect(message).toHaveLength(MAX_PUBLISHED_MESSAGE_LENGTH);
    expect(message.endsWith('…')).toBe(true);
  });
});

describe('clipMessage', () => {
  it('leaves a message at the limit alone', () => {
    expect(clipMessage('abcd', 4)).toBe('abcd');
    expect(clipMessage('abcde', 4)).toBe('abc…');
  });
});
