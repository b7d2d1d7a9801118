import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const libDir = path.resolve(__dirname, '..', '..');

/** The child scripts run the compiled library, as a service would: build it (and the contracts it imports) first. */
export function buildCompiledLibraries(): void {
  const tsc = path.resolve(libDir, '../../node_modules/typescript/bin/tsc');
  for (const dir of [path.resolve(libDir, '../contracts'), libDir]) {
    execFileSync(process.execPath, [tsc, '-p', 'tsconfig.lib.json'], { cwd: dir, stdio: 'pipe' });
  }
}

/** A child script of test-support, and what it has said so far. */
export interface ScriptChild {
  process: ChildProcess;
  exited: Promise<number | null>;
  stderr(): string;
  /**
   * The first line of its stdout that matches `pattern`, printed already or later. Rejects when the child has ended
   * (its stdout read to the end) without printing one, or after `timeoutMs`; both say what it wrote on stderr.
   */
  waitForLine(pattern: RegExp, options?: { timeoutMs?: number; what?: string }): Promise<string>;
}

/** Runs test-support/`script` with `env` added to this process's, handing each line of its stdout to `onLine`. */
export function startScript(script: string, env: Record<string, string>, onLine: (line: string) => void = () => undefined): ScriptChild {
  const child = spawn(process.execPath, [path.join(__dirname, script)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  let stderr = '';
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop()!;
    for (const line of complete) {
      lines.push(line);
      onLine(line);
      for (const waiter of waiters.filter((w) => w.pattern.test(line))) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // 'close' comes after the last of stdout: a line printed just before exiting has been seen by then.
  const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    process: child,
    exited,
    stderr: () => stderr,
    waitForLine: (pattern, { timeoutMs, what = `the child to print ${pattern}` } = {}) => {
      const seen = lines.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      let timer: NodeJS.Timeout | undefined;
      const outcomes = [
        new Promise<string>((resolve) => waiters.push({ pattern, resolve })),
        closed.then((code) => {
          throw new Error(`child exited (${code}) before printing ${pattern}; stderr:\n${stderr}`);
        }),
      ];
      if (timeoutMs !== undefined) {
        outcomes.push(
          new Promise<string>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; stderr:\n${stderr}`)), timeoutMs);
          }),
        );
      }
      return Promise.race(outcomes).finally(() => clearTimeout(timer));
    },
  };
}
