import { describe, expect, it } from '@jest/globals';
import { snapshotDue } from './postgres-event-store.js';

describe('snapshotDue', () => {
  it('is due every `every` events without a size', () => {
    expect(snapshotDue({ every: 10 }, 0, null, undefined)).toBe(false);
    expect(snapshotDue({ every: 10 }, 9, null, undefined)).toBe(false);
    expect(snapshotDue({ every: 10 }, 10, null, undefined)).toBe(true);
    expect(snapshotDue({ every: 10 }, 19, 10, undefined)).toBe(false);
    expect(snapshotDue({ every: 10 }, 20, 10, undefined)).toBe(true);
  });

  it('waits for half the size of a large state, and for `every` events of a small one', () => {
    const policy = { every: 10, size: (entries: number) => entries };
    expect(snapshotDue(policy, 10, null, 3)).toBe(true);
    expect(snapshotDue(policy, 110, 100, 20)).toBe(true);
    expect(snapshotDue(policy, 149, 100, 100)).toBe(false);
    expect(snapshotDue(policy, 150, 100, 100)).toBe(true);
  });

  it('writes a state growing by one entry per event at doubling versions: about two entries written per event', () => {
    /** The versions snapshotted over 100,000 events of a state holding one entry per event, and the entries written. */
    const run = (policy: Parameters<typeof snapshotDue<number>>[0]) => {
      let snapshotVersion: number | null = null;
      let written = 0;
      const versions: number[] = [];
      for (let version = 1; version <= 100_000; version++) {
        if (!snapshotDue(policy, version, snapshotVersion, version)) continue;
        versions.push(version);
        written += version;
        snapshotVersion = version;
      }
      return { versions, perEvent: written / 100_000 };
    };
    const sized = run({ every: 200, size: (entries) => entries });
    expect(sized.versions).toEqual([200, 400, 800, 1600, 3200, 6400, 12_800, 25_600, 51_200]);
    expect(sized.perEvent).toBeLessThan(2);
    expect(run({ every: 200 }).perEvent).toBeCloseTo(250.5, 1);
  });
});
