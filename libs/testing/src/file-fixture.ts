import { afterAll, beforeAll } from '@jest/globals';

/**
 * What a whole test file works with (a service under test, say): `start` runs before the file's tests, `stop` after
 * them (when it started). The value returned stands for what `start` gave, so a file names it where it begins and
 * uses it inside its tests; read before `start` has finished, it throws.
 */
export function fileFixture<T extends object>(
  start: () => Promise<T>,
  stop: (started: T) => Promise<void>,
  { startTimeoutMs = 120_000, stopTimeoutMs = 60_000 } = {},
): T {
  let started: T | undefined;
  beforeAll(async () => {
    started = await start();
  }, startTimeoutMs);
  afterAll(async () => {
    if (started !== undefined) await stop(started);
  }, stopTimeoutMs);
  return new Proxy({} as T, {
    get(_target, key) {
      if (started === undefined) throw new Error(`the file's fixture is started in beforeAll: read ${String(key)} inside a test`);
      const value = Reflect.get(started, key, started) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(started) : value;
    },
  });
}
