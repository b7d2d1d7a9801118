import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from './infra.js';

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] | string };
  command?: string[] | string;
}
export interface ComposeFile {
  services: Record<string, ComposeService>;
}

export function readCompose(): ComposeFile {
  return parse(fs.readFileSync(path.join(repoRoot(), 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
}

export function pinnedKafkaVersion(): string {
  const pom = fs.readFileSync(path.join(repoRoot(), 'infra/kafka/pom.xml'), 'utf8');
  const m = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pom);
  if (!m) throw new Error('infra/kafka/pom.xml has no kafka.version');
  return m[1];
}

/**
 * Problems with one service's entry in docker-compose.yml, measured against that service's real configuration:
 * `load` is the service's own config loader, which throws on a setting it would refuse at start.
 */
export function composeProblems(name: string, port: number, load: (env: NodeJS.ProcessEnv) => { port: number; kafka: { brokers: string[] }; databaseUrl: string }): string[] {
  const compose = readCompose();
  const problems: string[] = [];
  const svc = compose.services[name];
  if (!svc) return [`no service "${name}" in docker-compose.yml`];
  const env = svc.environment ?? {};
  let config: ReturnType<typeof load> | undefined;
  try {
    config = load(env);
  } catch (e) {
    problems.push(`its environment is refused by the service: ${(e as Error).message}`);
  }
  if (config) {
    if (config.port !== port) problems.push(`PORT ${config.port} is not the service's port ${port}`);
    for (const broker of config.kafka.brokers) {
      const [host] = broker.split(':');
      if (!compose.services[host]) problems.push(`KAFKA_BROKERS names "${host}", which is not a compose service`);
    }
    const dbHost = new URL(config.databaseUrl).hostname;
    if (!compose.services[dbHost]) problems.push(`DATABASE_URL names host "${dbHost}", which is not a compose service`);
    if (!new URL(config.databaseUrl).pathname.includes(name)) problems.push(`DATABASE_URL does not use a database of its own`);
  }
  if (!(svc.ports ?? []).some((p) => p === `${port}:${port}`)) problems.push(`port ${port} is not published as "${port}:${port}"`);
  if (svc.build?.args?.SERVICE !== name) problems.push(`build arg SERVICE is not "${name}"`);
  const dockerfile = svc.build && path.join(repoRoot(), svc.build.context, svc.build.dockerfile);
  if (!dockerfile || !fs.existsSync(dockerfile)) problems.push('its Dockerfile does not exist');
  else if (!/^HEALTHCHECK /m.test(fs.readFileSync(dockerfile, 'utf8')) && !svc.healthcheck) problems.push('no healthcheck');
  for (const dep of Object.keys(svc.depends_on ?? {})) {
    if (!compose.services[dep]) problems.push(`depends_on names unknown service "${dep}"`);
  }
  const conditions = svc.depends_on ?? {};
  if (conditions.postgres?.condition !== 'service_healthy') problems.push('does not wait for postgres to be healthy');
  if (!Object.values(conditions).some((c) => c.condition === 'service_completed_successfully')) problems.push('does not wait for the topics to exist');
  return problems;
}

/** Problems with the shared parts: pinned images, the Kafka version, healthchecks, the topics created. */
export function composeInfraProblems(topics: string[]): string[] {
  const compose = readCompose();
  const problems: string[] = [];
  for (const [name, svc] of Object.entries(compose.services)) {
    if (svc.image && (!/:[^:/]+$/.test(svc.image) || svc.image.endsWith(':latest'))) problems.push(`${name}: image "${svc.image}" is not pinned`);
    if (svc.image && !svc.healthcheck && name !== 'kafka-topics') problems.push(`${name}: no healthcheck`);
  }
  const kafka = compose.services.kafka;
  if (kafka?.image !== `apache/kafka:${pinnedKafkaVersion()}`) problems.push(`kafka image ${kafka?.image} is not apache/kafka:${pinnedKafkaVersion()} (infra/kafka/pom.xml)`);
  if (kafka?.environment?.KAFKA_AUTO_CREATE_TOPICS_ENABLE !== 'false') problems.push('kafka creates topics on first use');
  if (!kafka?.environment?.KAFKA_PROCESS_ROLES?.includes('controller')) problems.push('kafka is not in KRaft mode');
  const script = [compose.services['kafka-topics']?.command ?? ''].flat().join('\n');
  for (const t of topics) if (!new RegExp(`(^|\\s)${t.replace('.', '\\.')}(\\s|;|$)`, 'm').test(script)) problems.push(`topic ${t} is not created by kafka-topics`);
  if (!/\.dlq/.test(script)) problems.push('kafka-topics does not create the .dlq topics');
  return problems;
}
