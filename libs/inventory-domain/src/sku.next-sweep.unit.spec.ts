import { describe, expect, it } from '@jest/globals';
import { decide } from './sku.decide.js';
import { evolve, initialState, type SkuEvent } from './sku.js';
import { nextSweepAt } from './sku.views.js';
import { at, command, dec, event, L1, L2, T0 } from './test-support/sku-fixtures.js';

const stateOf = (...history: SkuEvent[]) => history.reduce(evolve, initialState());
const minus1ms = (instant: string) => new Date(Date.parse(instant) - 1).toISOString();

/**
 * The instant is exact: a sweep 1 ms before it decides nothing, a sweep at it decides something. A sweep timed at or
 * before the SKU's latest event takes effect a millisecond after it, so "before" exists only when due is later than that.
 */
const expectExact = (...history: SkuEvent[]) => {
  const state = stateOf(...history);
  const due = nextSweepAt(state);
  expect(due).not.toBeNull();
  if (Date.parse(minus1ms(due!)) > Date.parse(state.lastEventAt!)) expect(decide(command.sweep(minus1ms(due!)), state)).toEqual([]);
  expect(decide(command.sweep(due!), state).length).toBeGreaterThan(0);
  return due;
};

describe('nextSweepAt: when the expiry sweep has something to do', () => {
  it('is null for a SKU without an expiry policy or a preorder hold, whatever waits', () => {
    expect(nextSweepAt(initialState())).toBeNull();
    expect(nextSweepAt(stateOf(event.configured(), event.poRegistered('po-1', 3, dec(10)), event.queued(L1, 2, 1, dec(10))))).toBeNull();
  });

  it('is null with an expiry policy while nothing waits', () => {
    expect(nextSweepAt(stateOf(event.configured({ autoCancelAfterDays: 0 }), event.adjusted(5)))).toBeNull();
  });

  it('is the first moment the oldest line has waited longer than autoCancelAfterDays', () => {
    const due = expectExact(
      event.configured({ autoCancelAfterDays: 3 }),
      event.poRegistered('po-1', 10, dec(10)),
      event.queued(L1, 2, 1, dec(10), T0),
      event.queued(L2, 3, 2, dec(10), at(48)),
    );
    expect(due).toBe(new Date(Date.parse(T0) + 72 * 3_600_000 + 1).toISOString());
  });

  it('is 1 ms after queuing with 0 days: the next sweep expires the line', () => {
    const history = [event.configured({ autoCancelAfterDays: 0 }), event.poRegistered('po-1', 3, dec(10)), event.queued(L1, 2, 1, dec(10), T0)];
    expect(expectExact(...history)).toBe(new Date(Date.parse(T0) + 1).toISOString());
    // Even a sweep timed at the queuing itself: it takes effect a millisecond later, when the line is due.
    expect(decide(command.sweep(T0), stateOf(...history))).toEqual([event.backorderReleased(L1, 2, 'expired', new Date(Date.parse(T0) + 1).toISOString())]);
  });

  it('takes the earliest deadline even when a later line was queued a moment before an earlier one', () => {
    // Two instances' clocks: the second line's queuedAt is earlier than the first's.
    const due = expectExact(
      event.configured({ autoCancelAfterDays: 1 }),
      event.poRegistered('po-1', 10, dec(10)),
      event.queued(L1, 2, 1, dec(10), at(2)),
      event.queued(L2, 3, 2, dec(10), at(1)),
    );
    expect(due).toBe(new Date(Date.parse(at(25)) + 1).toISOString());
  });

  it('is the release date while preorders are held, and no line held for it counts toward expiry', () => {
    const history = [event.configured({ releaseAt: dec(15), autoCancelAfterDays: 0 }), event.adjusted(4), event.queued(L1, 2, 1, dec(15), T0, { preorder: true })];
    expect(expectExact(...history)).toBe(dec(15));
  });

  it('counts a released preorder from its release, not from when it was queued', () => {
    const history = [
      event.configured({ releaseAt: dec(15), autoCancelAfterDays: 2 }),
      event.poRegistered('po-1', 5, dec(20)),
      event.queued(L1, 2, 1, dec(20), T0, { preorder: true }),
      event.released(dec(15), dec(16)),
    ];
    expect(expectExact(...history)).toBe(new Date(Date.parse(dec(18)) + 1).toISOString());
  });

  it('follows a changed policy: turning expiry off leaves nothing to sweep', () => {
    const queued = [event.configured({ autoCancelAfterDays: 1 }), event.poRegistered('po-1', 3, dec(10)), event.queued(L1, 2, 1, dec(10))];
    expect(nextSweepAt(stateOf(...queued))).not.toBeNull();
    expect(nextSweepAt(stateOf(...queued, event.configured({}, at(1))))).toBeNull();
  });
});
