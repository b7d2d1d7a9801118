import { ContractViolationError } from '@fulfillment/contracts';
import { ConcurrencyError } from '@fulfillment/eventstore';
import { describe, expect, it } from '@jest/globals';
import { defaultClassifyError } from '@fulfillment/messaging';
import { OrderDomainError } from '@fulfillment/order-domain';
import { refusalOf } from './order-batch.handler.js';

// What the consumer then does with a failed message: dead-letter it, retry it, or wait out an outage.
const fate = (error: unknown) => defaultClassifyError(refusalOf(error));

describe('a failed batch', () => {
  it('dead-letters a domain refusal with its code and message as the reason', () => {
    const refusal = refusalOf(new OrderDomainError('order-not-found', 'CancelOrder: no order has been placed in this stream'));
    expect(defaultClassifyError(refusal)).toBe('dead-letter');
    expect((refusal as Error).message).toBe('order-not-found: CancelOrder: no order has been placed in this stream');
  });

  it('dead-letters an event the contract refuses to carry', () => {
    expect(fate(new ContractViolationError('OrderPlaced', ['data.lines[0].lineId: must have at most 200 characters']))).toBe('dead-letter');
  });

  it('retries a concurrent append, and waits out a database that is away', () => {
    expect(fate(new ConcurrencyError('order-o-1', 3, 4))).toBe('retry');
    expect(fate(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe('infrastructure');
  });
});
