import { describe, expect, it } from '@jest/globals';
import { ContractViolationError } from '@fulfillment/contracts';
import { ConcurrencyError } from '@fulfillment/eventstore';
import { DomainError } from '@fulfillment/kernel';
import { InboxPruner, refusalOf } from './consume-once.js';
import { defaultClassifyError, NonRetryableError } from './errors.js';

class Refused extends DomainError<'line-not-found'> {
  constructor() {
    super('line-not-found', 'order o-1 has no line o-1-9', { 'line-not-found': 'not-found' });
  }
}

describe('refusalOf', () => {
  it("dead-letters a domain refusal with '<code>: <message>' and a message the contract will not carry", () => {
    const refusal = refusalOf(new Refused());
    expect(refusal).toBeInstanceOf(NonRetryableError);
    expect((refusal as Error).message).toBe('line-not-found: order o-1 has no line o-1-9');
    expect(defaultClassifyError(refusalOf(new ContractViolationError('OrderPlaced', ['data.orderId: is required'])))).toBe('dead-letter');
  });

  it('leaves anything else to the consumer: a version conflict is retried', () => {
    const conflict = new ConcurrencyError('sku-S', 3, 4);
    expect(refusalOf(conflict)).toBe(conflict);
    expect(defaultClassifyError(refusalOf(conflict))).toBe('retry');
  });
});

describe('InboxPruner', () => {
  it('prunes what is older than the retention, and survives a failed pass', async () => {
    const cutoffs: Date[] = [];
    let fail = true;
    const pruner = new InboxPruner(
      async (before) => {
        cutoffs.push(before);
        if (fail) throw new Error('database away');
        return 3;
      },
      { retentionDays: 14, now: () => new Date('2026-12-15T00:00:00.000Z') },
    );
    await pruner.runOnce();
    fail = false;
    await pruner.runOnce();
    expect(cutoffs.map((cutoff) => cutoff.toISOString())).toEqual(['2026-12-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z']);
  });
});
