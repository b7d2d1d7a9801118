// The admin registry's rebuilds on projections whose rebuild the test finishes by hand: one at a time, progress
// followed, a failure kept with its reason.
import { describe, expect, it } from '@jest/globals';
import { AdminRegistry, type RebuildProgress } from './admin-registry.js';

/** A projection whose rebuild reports what the test says and ends when the test says. */
function handCranked(name: string) {
  const runs: { report: (p: RebuildProgress) => void; finish: (p: RebuildProgress) => void; fail: (e: Error) => void }[] = [];
  return {
    runs,
    projection: {
      name,
      rebuild: (onProgress: (p: RebuildProgress) => void) =>
        new Promise<RebuildProgress>((finish, fail) => runs.push({ report: onProgress, finish, fail })),
    },
  };
}
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('AdminRegistry', () => {
  it('runs one rebuild of a projection at a time and follows its progress to the end', async () => {
    const admin = new AdminRegistry();
    const planning = handCranked('planning');
    admin.register(planning.projection);
    const first = admin.startRebuild('planning', () => new Date('2026-12-02T10:00:00Z'));
    expect(first).toEqual({ started: true, status: expect.objectContaining({ name: 'planning', state: 'running', processed: 0, startedAt: '2026-12-02T10:00:00.000Z' }) });
    planning.runs[0]!.report({ processed: 500, total: 1200 });
    expect(admin.status('planning')).toMatchObject({ state: 'running', processed: 500, total: 1200 });
    // Asked again while it runs: the running one is answered, nothing new starts.
    expect(admin.startRebuild('planning')).toMatchObject({ started: false, status: { processed: 500 } });
    expect(planning.runs).toHaveLength(1);
    planning.runs[0]!.finish({ processed: 1300, total: 1200 });
    await settle();
    expect(admin.status('planning')).toMatchObject({ state: 'done', processed: 1300, total: 1300, error: null, finishedAt: expect.any(String) });
    // Done: a new rebuild may start.
    expect(admin.startRebuild('planning')?.started).toBe(true);
    expect(planning.runs).toHaveLength(2);
  });

  it('keeps a failed rebuild with its reason, knows no unknown projection, and refuses a name registered twice', async () => {
    const admin = new AdminRegistry();
    const failing = handCranked('views');
    admin.register(failing.projection);
    admin.startRebuild('views');
    failing.runs[0]!.fail(new Error('database gone'));
    await settle();
    expect(admin.status('views')).toMatchObject({ state: 'failed', error: 'database gone' });
    expect(admin.startRebuild('nope')).toBeUndefined();
    expect(admin.projectionNames()).toEqual(['views']);
    expect(() => admin.register(handCranked('views').projection)).toThrow('projection views is registered twice');
  });
});
