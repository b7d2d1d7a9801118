// PostgreSQL for local runs and tests: DATABASE_URL when set, else the server on 127.0.0.1:5432, else a throwaway
// cluster made with the machine's own PostgreSQL binaries under .local/ (never touching the system's clusters).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { InfraError, localDir, portOpen } from './kafka.mjs';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const throwawayPort = 55432;
export const throwawayDir = path.join(localDir, 'postgres');

/** Connects and runs `select 1`; returns null when it works, else the error message. */
export async function probe(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (e) {
    return e.message || String(e);
  } finally {
    await client.end().catch(() => {});
  }
}

function postgresBinDir() {
  const base = '/usr/lib/postgresql';
  if (!fs.existsSync(base)) return null;
  const versions = fs
    .readdirSync(base)
    .filter((v) => fs.existsSync(path.join(base, v, 'bin/initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(base, versions[0], 'bin') : null;
}

/** Starts (creating once) a private cluster on 127.0.0.1:55432 owned by the current user. Returns its URL. */
export async function startThrowawayCluster(log = () => {}) {
  return startCluster({ dir: throwawayDir, port: throwawayPort, log });
}

export function stopThrowawayCluster() {
  return stopCluster({ dir: throwawayDir });
}

function pgTool(bin, cmd, args, opts = {}) {
  // PostgreSQL refuses to run as root; a root run hands the cluster to the postgres system user.
  const asUser = process.getuid?.() === 0 ? ['runuser', '-u', 'postgres', '--'] : [];
  const full = [...asUser, path.join(bin, cmd), ...args];
  const r = spawnSync(full[0], full.slice(1), { encoding: 'utf8', ...opts });
  if (r.status !== 0 && !opts.allowFailure) throw new InfraError(`${cmd} failed: ${r.stderr || r.stdout}`);
  return r.status === 0;
}

/**
 * A PostgreSQL cluster of our own in `dir` on `port` (created once). Tests that stop the database use one of these,
 * never the shared server.
 */
export async function startCluster({ dir, port, log = () => {} }) {
  const bin = postgresBinDir();
  if (!bin) {
    throw new InfraError('PostgreSQL is missing: no server answers on 127.0.0.1:5432 and no local binaries were found. Install it (apt-get install postgresql) or set DATABASE_URL.');
  }
  const dataDir = path.join(dir, 'data');
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`creating a PostgreSQL cluster in ${dataDir}`);
    fs.mkdirSync(dataDir, { recursive: true });
    if (process.getuid?.() === 0) spawnSync('chown', ['-R', 'postgres:postgres', dir]);
    pgTool(bin, 'initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
  }
  if (!(await portOpen(port))) {
    log(`starting PostgreSQL on 127.0.0.1:${port}`);
    pgTool(bin, 'pg_ctl', ['-D', dataDir, '-l', path.join(dir, 'postgres.log'), '-w', '-o', `-p ${port} -c listen_addresses=127.0.0.1 -k /tmp -c max_connections=300`, 'start']);
  }
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

export function stopCluster({ dir }) {
  const bin = postgresBinDir();
  const dataDir = path.join(dir, 'data');
  if (!bin || !fs.existsSync(path.join(dataDir, 'postmaster.pid'))) return false;
  return pgTool(bin, 'pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop'], { allowFailure: true });
}
