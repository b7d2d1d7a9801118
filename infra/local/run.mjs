// Small process helpers shared by start.mjs and test.mjs.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Runs `infra.mjs up` and returns its result line ({kafkaBrokers, databaseUrl, startedKafka}). */
export function infraUp() {
  const r = spawnSync(process.execPath, [path.join(root, 'infra/local/infra.mjs'), 'up'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

export function infraDown() {
  spawnSync(process.execPath, [path.join(root, 'infra/local/infra.mjs'), 'down'], { cwd: root, stdio: 'inherit' });
}

/** Runs a command to completion with inherited output; resolves with its exit code. */
export function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

export const nx = path.join(root, 'node_modules/.bin/nx');
export const nxEnv = { NX_NO_CLOUD: 'true', NX_DAEMON: 'false', NX_TUI: 'false' };

export function databaseUrlFor(serverUrl, database) {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}
