import { describe, expect, it } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import { ConcurrencyError } from '@fulfillment/eventstore';
import { SupplierDomainError } from '@fulfillment/supplier-domain';
import { SupplierHttpErrorFilter } from './supplier-http-error.filter.js';

function answer(error: SupplierDomainError | ConcurrencyError): { status: number; body: Record<string, unknown> } {
  const sent: { status: number; body: Record<string, unknown> } = { status: 0, body: {} };
  const response = {
    status(code: number) {
      sent.status = code;
      return response;
    },
    json(body: Record<string, unknown>) {
      sent.body = body;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new SupplierHttpErrorFilter().catch(error, host);
  return sent;
}

describe('SupplierHttpErrorFilter', () => {
  it('answers a refusal with 409, the reason and its code', () => {
    const message = 'purchase order po-1: ordered 10, received 4, attempted 7';
    expect(answer(new SupplierDomainError('over-receipt', message))).toEqual({
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message, code: 'over-receipt' },
    });
  });

  it('answers an invalid command with 400 naming the field its message starts with', () => {
    const { status, body } = answer(new SupplierDomainError('invalid-command', 'close: must be a boolean'));
    expect(status).toBe(400);
    expect(body).toMatchObject({ field: 'close', code: 'invalid-command' });
  });

  it('answers an unknown purchase order with 404', () => {
    expect(answer(new SupplierDomainError('unknown-purchase-order', 'no purchase order')).status).toBe(404);
  });

  it('answers a lost race with 412', () => {
    const { status, body } = answer(new ConcurrencyError('purchase-order-po-1', 3, 4));
    expect(status).toBe(412);
    expect(body).toMatchObject({ statusCode: 412, error: 'Precondition Failed' });
  });
});
