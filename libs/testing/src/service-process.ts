import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { httpRequest, TEST_AUTH_SECRET, type HttpAnswer, type HttpOptions } from './auth.js';
import { repoRoot } from './infra.js';
import { eventually } from './wait.js';

/**
 * The warnings and errors (pino level 40 and up) and non-JSON lines of a service's output, the last `max` of them: what
 * a timed-out wait reports, so that a failure in CI says what the service was doing.
 */
export function troublesIn(output: string, max = 50): string[] {
  return output
    .split('\n')
    .filter((line) => {
      try {
        return (JSON.parse(line) as { level?: number }).level! >= 40;
      } catch {
        return line.trim() !== '' && !line.startsWith('{');
      }
    })
    .slice(-max);
}

export interface ServiceProcess {
  name: string;
  url: string;
  child: ChildProcess;
  /** everything the process wrote so far (stdout and stderr) */
  output(): string;
  /** resolves with the exit code when the process ends by itself */
  exited: Promise<number | null>;
  /** SIGTERM (or the given signal) and wait for the exit code */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  waitHealthy(timeoutMs?: number): Promise<void>;
  /** a JSON request with a staff bearer token (see httpRequest) */
  http<B = unknown>(method: string, path: string, options?: HttpOptions): Promise<HttpAnswer<B>>;
}

const authConfigured = (env: Record<string, string | undefined>) =>
  Boolean(env.AUTH_JWT_SECRET || env.AUTH_JWKS_URL || env.AUTH_DISABLED === 'true');

/**
 * Runs a built service (`services/<name>/dist/main.js`) as a separate process, as `npm start` does. Build first:
 * `npm test` builds every project before the tests run.
 */
export function spawnService(name: string, env: Record<string, string>): ServiceProcess {
  const main = path.join(repoRoot(), `services/${name}/dist/main.js`);
  const child = spawn(process.execPath, ['--enable-source-maps', main], {
    cwd: path.join(repoRoot(), `services/${name}`),
    // Tokens minted with TEST_AUTH_SECRET are accepted, unless the test configures authentication itself.
    env: { ...process.env, LOG_LEVEL: 'info', ...(authConfigured(env) ? {} : { AUTH_JWT_SECRET: TEST_AUTH_SECRET }), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${env.PORT}`;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    name,
    url,
    child,
    output: () => out,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    http: (method, path, options) => httpRequest(url, method, path, options),
    waitHealthy: async (timeoutMs = 60_000) => {
      await eventually(
        async () => {
          if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${out.slice(-3000)}`);
          const res = await fetch(`${url}/health`);
          return res.status === 200 ? true : undefined;
        },
        { timeoutMs, intervalMs: 250, what: `${name}-service health` },
      );
    },
  };
}
