import { describe, expect, it } from '@jest/globals';
import { NonRetryableError, defaultClassifyError, describeFailure, isInfrastructureError } from './errors.js';

function withCode(code: string, message = 'boom'): Error {
  return Object.assign(new Error(message), { code });
}

describe('defaultClassifyError', () => {
  it('dead-letters a NonRetryableError, also when wrapped as a cause', () => {
    expect(defaultClassifyError(new NonRetryableError('quantity must be positive'))).toBe('dead-letter');
    expect(defaultClassifyError(new Error('handler', { cause: new NonRetryableError('bad') }))).toBe('dead-letter');
  });

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001', '53300'])(
    'treats %s as an outage',
    (code) => {
      expect(defaultClassifyError(withCode(code))).toBe('infrastructure');
    },
  );

  it('finds the connection error behind TypeORM and AggregateError wrappers', () => {
    const typeormLike = Object.assign(new Error('Query failed'), { driverError: withCode('57P01') });
    expect(defaultClassifyError(typeormLike)).toBe('infrastructure');
    const dualStack = new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')], 'connect failed');
    expect(defaultClassifyError(dualStack)).toBe('infrastructure');
  });

  it('recognises node-postgres connection losses that carry no code', () => {
    expect(defaultClassifyError(new Error('Connection terminated unexpectedly'))).toBe('infrastructure');
    expect(defaultClassifyError(new Error('timeout exceeded when trying to connect'))).toBe('infrastructure');
  });

  it('retries everything else, including SQL errors that are not about connectivity', () => {
    expect(defaultClassifyError(new Error('something odd'))).toBe('retry');
    expect(defaultClassifyError(withCode('40001', 'could not serialize access'))).toBe('retry');
    expect(defaultClassifyError(withCode('23505', 'duplicate key'))).toBe('retry');
    expect(defaultClassifyError('a string')).toBe('retry');
    expect(defaultClassifyError(undefined)).toBe('retry');
  });

  it('does not loop on a cyclic cause chain', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.assign(a, { cause: b });
    expect(isInfrastructureError(a)).toBe(false);
  });
});

describe('describeFailure', () => {
  it('names the error class and message on one line', () => {
    expect(describeFailure(new NonRetryableError('bad\n  quantity'))).toBe('NonRetryableError: bad quantity');
  });

  it('bounds long messages', () => {
    const reason = describeFailure(new Error('x'.repeat(5_000)));
    expect(reason.length).toBe(1_000);
    expect(reason.endsWith('…')).toBe(true);
  });

  it('describes thrown non-errors', () => {
    expect(describeFailure({ status: 'error', message: 'Internal server error' })).toBe(
      '{"status":"error","message":"Internal server error"}',
    );
    expect(describeFailure('plain')).toBe('plain');
  });
});

describe('describeFailure across realms', () => {
  it('describes an error from another realm by its name and message', async () => {
    const { runInNewContext } = await import('node:vm');
    const foreign = runInNewContext('(() => { const e = new TypeError("from elsewhere"); e.code = "X"; return e; })()');
    expect(foreign instanceof Error).toBe(false);
    expect(describeFailure(foreign)).toBe('TypeError: from elsewhere');
  });

  it('recognises a NonRetryableError by name when it comes from another copy of this library', () => {
    class NonRetryableError extends Error {
      override name = 'NonRetryableError';
    }
    expect(defaultClassifyError(new NonRetryableError('copy'))).toBe('dead-letter');
  });
});
