import { describe, expect, it } from '@jest/globals';
import { backoffDelay, validateRetryPolicy } from './backoff.js';

describe('backoffDelay', () => {
  const policy = { initialDelayMs: 100, maxDelayMs: 5_000 };

  it('doubles from the initial delay', () => {
    expect([1, 2, 3, 4, 5].map((retry) => backoffDelay(retry, policy))).toEqual([100, 200, 400, 800, 1_600]);
  });

  it('never exceeds the maximum, even after thousands of retries', () => {
    expect(backoffDelay(7, policy)).toBe(5_000);
    expect(backoffDelay(10_000, policy)).toBe(5_000);
  });

  it('is zero before the first retry', () => {
    expect(backoffDelay(0, policy)).toBe(0);
  });
});

describe('validateRetryPolicy', () => {
  it('rejects fewer than one attempt and inverted delays', () => {
    expect(() => validateRetryPolicy({ attempts: 0, initialDelayMs: 1, maxDelayMs: 2 })).toThrow(/attempts/);
    expect(() => validateRetryPolicy({ attempts: 1.5, initialDelayMs: 1, maxDelayMs: 2 })).toThrow(/attempts/);
    expect(() => validateRetryPolicy({ attempts: 3, initialDelayMs: 10, maxDelayMs: 5 })).toThrow(/delays/);
    expect(() => validateRetryPolicy({ attempts: 3, initialDelayMs: -1, maxDelayMs: 5 })).toThrow(/delays/);
  });

  it('accepts a sane policy unchanged', () => {
    const policy = { attempts: 3, initialDelayMs: 10, maxDelayMs: 50 };
    expect(validateRetryPolicy(policy)).toBe(policy);
  });
});
