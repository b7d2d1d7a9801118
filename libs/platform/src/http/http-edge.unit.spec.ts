import { BadRequestException, NotFoundException } from '@nestjs/common';
import { describe, expect, it } from '@jest/globals';
import { ConcurrencyError } from '@fulfillment/eventstore';
import { DomainError } from '@fulfillment/kernel';
import { correlationIdOf } from './correlation-id.js';
import { httpErrorOf } from './error.filter.js';
import { HttpFieldError } from './http-field-error.js';
import { findUnstorable } from '@fulfillment/contracts';
import { StorableStringsPipe } from './storable-strings.pipe.js';

type Code = 'invalid-command' | 'order-not-found' | 'order-not-cancellable';
class OrderRefused extends DomainError<Code> {
  constructor(code: Code, message: string) {
    super(code, message, { 'invalid-command': 'invalid', 'order-not-found': 'not-found', 'order-not-cancellable': 'refusal' });
  }
}

describe('httpErrorOf: one error body for every service', () => {
  it('answers an invalid command with 400 naming the field the domain named', () => {
    expect(httpErrorOf(new OrderRefused('invalid-command', 'lines[0].sku: must be a non-empty string'))).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'lines[0].sku: must be a non-empty string',
      field: 'lines[0].sku',
      code: 'invalid-command',
    });
  });

  it('answers not-found with 404, a refusal with 409 and its code, a surviving conflict with 412', () => {
    expect(httpErrorOf(new OrderRefused('order-not-found', 'CancelOrder: no order'))).toMatchObject({ statusCode: 404, code: 'order-not-found' });
    expect(httpErrorOf(new OrderRefused('order-not-cancellable', 'order o was rejected'))).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'order o was rejected',
      code: 'order-not-cancellable',
    });
    expect(httpErrorOf(new ConcurrencyError('order-o', 3, 4))).toMatchObject({ statusCode: 412, error: 'Precondition Failed' });
  });

  it("answers the edge's own refusals (validation, key reuse, auth) with their status and field", () => {
    expect(httpErrorOf(new HttpFieldError(422, 'Idempotency-Key', 'was already used for a different request'))).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      message: 'Idempotency-Key: was already used for a different request',
      field: 'Idempotency-Key',
    });
    expect(httpErrorOf(new HttpFieldError(401, 'Authorization', 'token has expired', 'expired'))).toMatchObject({ statusCode: 401, code: 'expired' });
  });

  it("reshapes Nest's exceptions and body-parser's errors, and never says more than 'internal error' of a bug", () => {
    expect(httpErrorOf(new NotFoundException('Cannot GET /nope'))).toMatchObject({ statusCode: 404, message: 'Cannot GET /nope' });
    expect(httpErrorOf(new BadRequestException({ message: 'x: bad', field: 'x' }))).toMatchObject({ statusCode: 400, field: 'x' });
    expect(httpErrorOf(Object.assign(new SyntaxError('Unexpected token } in JSON at position 3: {"email":"a@b.c"}'), { status: 400, type: 'entity.parse.failed' }))).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'body: is not valid JSON',
      field: 'body',
    });
    expect(httpErrorOf(Object.assign(new Error('request entity too large'), { status: 413, type: 'entity.too.large' }))).toMatchObject({ statusCode: 413 });
    expect(httpErrorOf(new URIError('URI malformed'))).toMatchObject({ statusCode: 400, field: 'path' });
    const bug = httpErrorOf(new TypeError("Cannot read properties of undefined (reading 'email')"));
    expect(bug).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'internal error; the request may be retried' });
  });
});

describe('correlationIdOf: the one correlation-id rule', () => {
  it("keeps the caller's id and makes one up when there is none", () => {
    expect(correlationIdOf('checkout-4711')).toBe('checkout-4711');
    expect(correlationIdOf(undefined)).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['blank', ' '],
    ['empty', ''],
    ['over 200 characters', 'x'.repeat(201)],
    ['with a space', 'a b'],
    ['with non-ASCII', 'ümlaut'],
    ['given twice', ['a', 'b']],
  ])('refuses a %s header with 400 naming it', (_case, header) => {
    expect(() => correlationIdOf(header)).toThrow(expect.objectContaining({ status: 400, field: 'X-Correlation-Id' }));
  });
});

describe('strings PostgreSQL cannot store', () => {
  const pipe = new StorableStringsPipe();

  it('are a 400 naming the path parameter, query parameter or body field', () => {
    expect(() => pipe.transform('a\u0000b', { type: 'param', data: 'orderId' })).toThrow(expect.objectContaining({ status: 400, field: 'orderId' }));
    expect(() => pipe.transform({ customerId: 'x\ud800' }, { type: 'query' })).toThrow(expect.objectContaining({ status: 400, field: 'customerId' }));
    expect(() => pipe.transform({ lines: [{ sku: 'ok' }, { sku: '\u0000' }] }, { type: 'body' })).toThrow(
      expect.objectContaining({ status: 400, field: 'lines[1].sku' }),
    );
    expect(findUnstorable({ ['bad\u0000key']: 1 }, '')).toEqual({ field: 'body', problem: 'field names must not contain a NUL character' });
  });

  it('let everything else through, surrogate pairs and emoji included', () => {
    const body = { customerId: 'cust-💥', note: 'naïve café', nested: { list: [1, null, true, 'ok'] } };
    expect(pipe.transform(body, { type: 'body' })).toBe(body);
    expect(pipe.transform('SKU-1', { type: 'param', data: 'sku' })).toBe('SKU-1');
  });
});
