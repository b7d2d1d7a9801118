import { describe, expect, it } from '@jest/globals';
import { ConcurrencyError, isConcurrencyError } from './errors.js';

describe('ConcurrencyError', () => {
  it('carries the stream, the expected and the actual version for the caller to decide on a retry', () => {
    const error = new ConcurrencyError('order-1', 'no_stream', 3);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: 'ConcurrencyError', streamId: 'order-1', expected: 'no_stream', actual: 3 });
    expect(error.message).toBe('Stream order-1 is at version 3, expected no_stream');
    expect(isConcurrencyError(error)).toBe(true);
    expect(isConcurrencyError(new Error('other'))).toBe(false);
  });
});
