import { describe, expect, it } from '@jest/globals';
import { backoffMs } from './outbox-relay.js';

describe('relay back-off', () => {
  it('doubles from 100 ms with each consecutive failure', () => {
    expect([1, 2, 3, 4, 5].map((failures) => backoffMs(failures, 60_000))).toEqual([100, 200, 400, 800, 1600]);
  });

  it('never exceeds its cap, however long the outage', () => {
    expect(backoffMs(8, 10_000)).toBe(10_000);
    expect(backoffMs(10_000, 10_000)).toBe(10_000);
  });
});
