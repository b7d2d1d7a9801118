/** Polls `probe` until it returns a value other than undefined, or fails with the last observation. */
export async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, { timeoutMs = 30_000, intervalMs = 100, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message ?? last}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
