import { describe, expect, it } from '@jest/globals';
import { formatHumanDate, renderMessage, sameCustomerDate } from './render-message.js';

describe('formatHumanDate', () => {
  it('writes the weekday, day, month and year', () => {
    expect(formatHumanDate('2026-12-08T10:00:00.000Z')).toBe('Tuesday, 8 December 2026');
    expect(formatHumanDate('2027-01-01T00:00:00.000Z')).toBe('Friday, 1 January 2027');
  });

  it('reads the calendar day in the given time zone', () => {
    expect(formatHumanDate('2026-12-08T23:30:00.000Z', 'UTC')).toBe('Tuesday, 8 December 2026');
    expect(formatHumanDate('2026-12-08T23:30:00.000Z', 'Europe/Berlin')).toBe('Wednesday, 9 December 2026');
    expect(formatHumanDate('2026-12-08T03:00:00.000Z', 'America/New_York')).toBe('Monday, 7 December 2026');
  });

  it('refuses what is not a date rather than printing "Invalid Date" to a customer', () => {
    expect(() => formatHumanDate('next week')).toThrow(new RangeError('Not an ISO-8601 date: "next week"'));
  });

  it('refuses an unknown time zone', () => {
    expect(() => formatHumanDate('2026-12-08T10:00:00.000Z', 'Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('sameCustomerDate', () => {
  it('compares calendar days, not instants', () => {
    expect(sameCustomerDate('2026-12-08T01:00:00.000Z', '2026-12-08T22:00:00.000Z', 'UTC')).toBe(true);
    expect(sameCustomerDate('2026-12-08T22:00:00.000Z', '2026-12-09T01:00:00.000Z', 'UTC')).toBe(false);
  });

  it('treats "no date" as a date of its own', () => {
    expect(sameCustomerDate(null, null, 'UTC')).toBe(true);
    expect(sameCustomerDate(null, '2026-12-08T01:00:00.000Z', 'UTC')).toBe(false);
    expect(sameCustomerDate('2026-12-08T01:00:00.000Z', null, 'UTC')).toBe(false);
  });
});

describe('renderMessage', () => {
  it('order-confirmed lists what is set aside', () => {
    expect(
      renderMessage('order-confirmed', {
        orderId: 'O-1',
        items: [
          { sku: 'SKU-A', quantity: 1 },
          { sku: 'SKU-B', quantity: 2 },
          { sku: 'SKU-C', quantity: 5 },
        ],
      }),
    ).toEqual({
      subject: 'Your order O-1 is confirmed',
      body: 'Good news: your order O-1 is confirmed. We have set aside 1 unit of SKU-A, 2 units of SKU-B and 5 units of SKU-C for you.',
    });
  });

  it('backordered gives the place in line, the promised date and the way out', () => {
    expect(
      renderMessage('backordered', { orderId: 'O-1', sku: 'SKU-A', quantity: 1, position: 1, expectedAt: '2026-12-08T10:00:00.000Z' }),
    ).toEqual({
      subject: 'SKU-A is on backorder for order O-1',
      body:
        '1 unit of SKU-A on your order O-1 is on backorder: you are first in line for the next delivery. ' +
        'We expect it by Tuesday, 8 December 2026. If you would rather not wait, you can cancel the order.',
    });
  });

  it('backordered without a promised date says so', () => {
    expect(
      renderMessage('backordered', { orderId: 'O-1', sku: 'SKU-A', quantity: 4, position: 7, expectedAt: null }).body,
    ).toBe(
      '4 units of SKU-A on your order O-1 are on backorder: you are number 7 in line for the next delivery. ' +
        'We have no delivery date yet; we will tell you as soon as we do. If you would rather not wait, you can cancel the order.',
    );
  });

  describe('backorder-eta-changed', () => {
    const eta = (previousExpectedAt: string | null, expectedAt: string | null) =>
      renderMessage('backorder-eta-changed', { orderId: 'O-1', sku: 'SKU-A', previousExpectedAt, expectedAt });

    it('a later date is a delay, with the way out', () => {
      expect(eta('2026-12-08T10:00:00.000Z', '2026-12-15T10:00:00.000Z')).toEqual({
        subject: 'New expected date for SKU-A on order O-1',
        body:
          'Sorry: the backordered SKU-A on your order O-1 is delayed. We now expect it by Tuesday, 15 December 2026 ' +
          'instead of Tuesday, 8 December 2026. If you would rather not wait, you can cancel the order.',
      });
    });

    it('an earlier date is good news', () => {
      expect(eta('2026-12-15T10:00:00.000Z', '2026-12-08T10:00:00.000Z').body).toBe(
        'Good news: the backordered SKU-A on your order O-1 is coming sooner. We now expect it by Tuesday, 8 December 2026 ' +
          'instead of Tuesday, 15 December 2026.',
      );
    });

    it('a first date is announced', () => {
      expect(eta(null, '2026-12-08T10:00:00.000Z').body).toBe(
        'We now have a date for the backordered SKU-A on your order O-1: we expect it by Tuesday, 8 December 2026.',
      );
    });

    it('a lost date is admitted, with the way out', () => {
      expect(eta('2026-12-08T10:00:00.000Z', null).body).toBe(
        'We no longer have an expected date for the backordered SKU-A on your order O-1 (it was Tuesday, 8 December 2026). ' +
          'We will tell you as soon as we have a new one. If you would rather not wait, you can cancel the order.',
      );
    });
  });

  it('backorder-allocated says how many arrived and how many still wait', () => {
    expect(renderMessage('backorder-allocated', { orderId: 'O-1', sku: 'SKU-A', quantity: 3, remaining: 2 })).toEqual({
      subject: '3 units of SKU-A arrived for order O-1',
      body: '3 units of SKU-A for your order O-1 have arrived and are set aside for you. 2 more are still on backorder; we will tell you when they arrive.',
    });
    expect(renderMessage('backorder-allocated', { orderId: 'O-1', sku: 'SKU-A', quantity: 1, remaining: 0 }).body).toBe(
      '1 unit of SKU-A for your order O-1 has arrived and is set aside for you. That completes SKU-A on this order.',
    );
  });

  it('out-of-stock says the line will not be filled and offers the substitutes', () => {
    expect(renderMessage('out-of-stock', { orderId: 'O-1', sku: 'SKU-A', quantity: 1, substitutes: ['SKU-B'] })).toEqual({
      subject: 'SKU-A is out of stock for order O-1',
      body:
        'Sorry: SKU-A is out of stock and no restock is planned, so 1 unit of SKU-A on your order O-1 will not be filled. ' +
        'You could order SKU-B instead. We will let you know when SKU-A is back in stock.',
    });
  });

  it('out-of-stock without substitutes suggests none', () => {
    expect(renderMessage('out-of-stock', { orderId: 'O-1', sku: 'SKU-A', quantity: 3, substitutes: [] }).body).toBe(
      'Sorry: SKU-A is out of stock and no restock is planned, so 3 units of SKU-A on your order O-1 will not be filled. ' +
        'We will let you know when SKU-A is back in stock.',
    );
  });

  it('order-cancelled gives the reason when there is one', () => {
    expect(renderMessage('order-cancelled', { orderId: 'O-1', reason: 'requested by you' })).toEqual({
      subject: 'Your order O-1 is cancelled',
      body: 'Your order O-1 has been cancelled. Reason: requested by you. Nothing more from this order will be sent to you.',
    });
    expect(renderMessage('order-cancelled', { orderId: 'O-1', reason: '  ' }).body).toBe(
      'Your order O-1 has been cancelled. Nothing more from this order will be sent to you.',
    );
  });

  it('back-in-stock names the order it was missing from', () => {
    expect(renderMessage('back-in-stock', { sku: 'SKU-A', available: 12, orderId: 'O-1' })).toEqual({
      subject: 'SKU-A is back in stock',
      body: 'Good news: SKU-A is back in stock (12 available right now). It was missing from your order O-1; if you still want it, you can order it again.',
    });
  });

  it('writes dates in the requested time zone', () => {
    const facts = { orderId: 'O-1', sku: 'SKU-A', quantity: 2, position: 2, expectedAt: '2026-12-08T23:30:00.000Z' };
    expect(renderMessage('backordered', facts, { timeZone: 'Asia/Tokyo' }).body).toContain('by Wednesday, 9 December 2026.');
  });
});
