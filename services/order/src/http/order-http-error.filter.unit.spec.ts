import { BadRequestException } from '@nestjs/common';
import { ConcurrencyError } from '@fulfillment/eventstore';
import { describe, expect, it } from '@jest/globals';
import { decide, initialState, OrderDomainError } from '@fulfillment/order-domain';
import { IdempotencyKeyReusedError } from '../place-order/place-order.handler.js';
import { correlationIdOf } from './correlation-id.js';
import { httpErrorOf } from './order-http-error.filter.js';

const refusalOf = (fn: () => unknown): OrderDomainError => {
  try {
    fn();
  } catch (error) {
    if (error instanceof OrderDomainError) return error;
  }
  throw new Error('no OrderDomainError');
};

describe('httpErrorOf', () => {
  it('answers an invalid command with 400 naming the field the domain named', () => {
    const error = refusalOf(() =>
      decide({ type: 'PlaceOrder', data: { orderId: 'o', customerId: 'c', email: null, lines: [{ lineId: 'l', sku: ' ', quantity: 1 }], now: '2026-11-27T10:00:00Z' } }, initialState()),
    );
    expect(httpErrorOf(error)).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'lines[0].sku: must be a non-empty string',
      field: 'lines[0].sku',
      code: 'invalid-command',
    });
  });

  it('answers an unknown order with 404 and a refusal with 409', () => {
    const notFound = refusalOf(() => decide({ type: 'CancelOrder', data: { orderId: 'o', reason: 'r', now: '2026-11-27T10:00:00Z' } }, initialState()));
    expect(httpErrorOf(notFound)).toMatchObject({ statusCode: 404, code: 'order-not-found' });
    expect(httpErrorOf(new OrderDomainError('order-not-cancellable', 'order o was rejected'))).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'order o was rejected',
      code: 'order-not-cancellable',
    });
  });

  it('answers a concurrent write with 412, so the client retries', () => {
    expect(httpErrorOf(new ConcurrencyError('order-o', 3, 4))).toMatchObject({ statusCode: 412, error: 'Precondition Failed' });
  });

  it('answers a reused idempotency key with 422 naming the header', () => {
    expect(httpErrorOf(new IdempotencyKeyReusedError())).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'Idempotency-Key: was already used for a different request',
      field: 'Idempotency-Key',
    });
  });
});

describe('correlationIdOf', () => {
  it("keeps the caller's id and makes one up when there is none", () => {
    expect(correlationIdOf('req-123')).toBe('req-123');
    expect(correlationIdOf(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([['blank', ' '], ['over 500 characters', 'x'.repeat(501)]])('refuses a %s header with 400 naming it', (_case, header) => {
    expect(() => correlationIdOf(header)).toThrow(BadRequestException);
    try {
      correlationIdOf(header);
    } catch (error) {
      expect((error as BadRequestException).getResponse()).toMatchObject({ field: 'X-Correlation-Id' });
    }
  });
});
