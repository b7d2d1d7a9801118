import { describe, expect, it } from '@jest/globals';
import { PeriodicTask } from './periodic-task.js';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PeriodicTask', () => {
  it('runs again after the delay a run answers, and after the interval when a run fails', async () => {
    const runs: number[] = [];
    const errors: unknown[] = [];
    const task = new PeriodicTask({
      run: async () => {
        runs.push(runs.length);
        if (runs.length === 2) throw new Error('boom');
        return 0;
      },
      intervalMs: 60_000,
      firstDelayMs: 0,
      onError: (error) => errors.push(error),
    });
    task.start();
    await tick(50);
    await task.stop();
    // The first run asks for the next at once; the failed second is followed by the interval (a minute).
    expect(runs).toEqual([0, 1]);
    expect(errors).toEqual([new Error('boom')]);
  });

  it('waits in stop for the run in progress, and plans none after it', async () => {
    let finish!: () => void;
    let runs = 0;
    const task = new PeriodicTask({
      run: () => {
        runs++;
        return new Promise<void>((resolve) => (finish = resolve));
      },
      intervalMs: 1,
      firstDelayMs: 0,
    });
    expect(task.stopped).toBe(false);
    task.start();
    await tick(10);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await tick(10);
    expect({ stopped, flag: task.stopped }).toEqual({ stopped: false, flag: true });
    finish();
    await stopping;
    await tick(10);
    expect(runs).toBe(1);
  });

  it('wakes sooner than planned once started', async () => {
    let runs = 0;
    const task = new PeriodicTask({ run: async () => void runs++, intervalMs: 60_000 });
    task.wake(0); // not started: nothing
    await tick(10);
    expect(runs).toBe(0);
    task.start();
    task.wake(0);
    await tick(10);
    expect(runs).toBe(1);
    await task.stop();
  });
});
