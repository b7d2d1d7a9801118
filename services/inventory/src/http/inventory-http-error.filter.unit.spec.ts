import { describe, expect, it } from '@jest/globals';
import type { ArgumentsHost } from '@nestjs/common';
import { ConcurrencyError } from '@fulfillment/eventstore';
import { InventoryDomainError } from '@fulfillment/inventory-domain';
import { InventoryHttpErrorFilter } from './inventory-http-error.filter.js';

const answer = (error: InventoryDomainError | ConcurrencyError) => {
  const sent: { status?: number; body?: unknown } = {};
  const response = {
    status(code: number) {
      sent.status = code;
      return { json: (body: unknown) => void (sent.body = body) };
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response }) } as unknown as ArgumentsHost;
  new InventoryHttpErrorFilter().catch(error, host);
  return sent;
};

describe('InventoryHttpErrorFilter', () => {
  it('answers a refusal of the decider with 409 and its code', () => {
    expect(answer(new InventoryDomainError('insufficient-stock', 'only 2 are free'))).toEqual({
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message: 'only 2 are free', code: 'insufficient-stock' },
    });
  });

  it('answers input the decider finds invalid with 400', () => {
    expect(answer(new InventoryDomainError('invalid-command', 'now must be an ISO-8601 instant'))).toMatchObject({
      status: 400,
      body: { statusCode: 400, code: 'invalid-command' },
    });
  });

  it('answers a concurrency conflict with 412 without naming streams or versions', () => {
    const sent = answer(new ConcurrencyError('sku-SKU-1', 4, 5));
    expect(sent).toMatchObject({ status: 412, body: { statusCode: 412, error: 'Precondition Failed' } });
    expect(JSON.stringify(sent.body)).not.toMatch(/sku-SKU-1|version/);
  });
});
