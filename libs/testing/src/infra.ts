import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface TestInfra {
  kafkaBrokers: string[];
  databaseUrl: string;
  /** how it was found: the environment, testcontainers, or the project's own local infra */
  source: 'env' | 'testcontainers' | 'local';
}

let cached: Promise<TestInfra> | undefined;

/** The repository root, found from this file or the working directory (tests run from a project folder). */
export function repoRoot(): string {
  let dir = process.cwd();
  while (!fs.existsSync(path.join(dir, 'nx.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${process.cwd()}`);
    dir = parent;
  }
  return dir;
}

function dockerReachable(): boolean {
  if (process.env.DOCKER_HOST) return true;
  return fs.existsSync('/var/run/docker.sock');
}

async function fromTestcontainers(): Promise<TestInfra | undefined> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    await getContainerRuntimeClient();
  } catch {
    return undefined; // a socket without a working engine: fall back to local infra
  }
  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
  const [kafka, pg] = await Promise.all([
    new KafkaContainer('apache/kafka:4.1.1').withKraft().start(),
    new PostgreSqlContainer('postgres:15-alpine').withUsername('postgres').withPassword('postgres').start(),
  ]);
  return {
    kafkaBrokers: [`${kafka.getHost()}:${kafka.getMappedPort(9093)}`],
    databaseUrl: pg.getConnectionUri(),
    source: 'testcontainers',
  };
}

function fromLocalInfra(): TestInfra {
  const out = execFileSync(process.execPath, [path.join(repoRoot(), 'infra/local/infra.mjs'), 'up'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 5 * 60_000,
  });
  const last = out.trim().split('\n').pop() ?? '';
  const { kafkaBrokers, databaseUrl } = JSON.parse(last) as { kafkaBrokers: string[]; databaseUrl: string };
  return { kafkaBrokers, databaseUrl, source: 'local' };
}

/**
 * Kafka and PostgreSQL for integration tests: KAFKA_BROKERS / DATABASE_URL when set; else testcontainers when a
 * Docker engine is reachable; else the project's own local infra (`npm run infra:up`), started on demand.
 * The result is exported to the environment so child processes (services under test) find the same infra.
 */
export function testInfra(): Promise<TestInfra> {
  cached ??= (async () => {
    let infra: TestInfra | undefined;
    if (process.env.KAFKA_BROKERS && process.env.DATABASE_URL) {
      infra = {
        kafkaBrokers: process.env.KAFKA_BROKERS.split(',').map((s) => s.trim()),
        databaseUrl: process.env.DATABASE_URL,
        source: 'env',
      };
    } else if (dockerReachable()) {
      infra = await fromTestcontainers();
    }
    infra ??= fromLocalInfra();
    process.env.KAFKA_BROKERS = infra.kafkaBrokers.join(',');
    process.env.DATABASE_URL = infra.databaseUrl;
    return infra;
  })();
  return cached;
}
