import { beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import path from 'node:path';
import { ALL_TOPICS } from '@fulfillment/contracts';
import { spawnSync } from 'node:child_process';
import { composeInfraProblems, composeProblems } from './compose.js';
import { repoRoot } from './infra.js';

describe('docker-compose.yml', () => {
  it('pins every image, runs the pinned Kafka in KRaft mode and creates every topic with its .dlq twin', () => {
    expect(composeInfraProblems([...ALL_TOPICS])).toEqual([]);
  });

  it("reports a service entry that does not match the service's configuration", () => {
    const load = (env: NodeJS.ProcessEnv) => ({ port: Number(env.PORT), kafka: { brokers: ['broker:9092'] }, databaseUrl: 'postgres://db/other' });
    expect(composeProblems('order', 3099, load)).toEqual([
      'PORT 3001 is not the service\'s port 3099',
      'KAFKA_BROKERS names "broker", which is not a compose service',
      'DATABASE_URL names host "db", which is not a compose service',
      'DATABASE_URL does not use a database of its own',
      'port 3099 is not published as "3099:3099"',
    ]);
    expect(composeProblems('warehouse', 3005, load)).toEqual(['no service "warehouse" in docker-compose.yml']);
    const refusing = () => {
      throw new Error('order-service: invalid configuration: KAFKA_BROKERS is missing');
    };
    expect(composeProblems('order', 3001, refusing)).toEqual(['its environment is refused by the service: order-service: invalid configuration: KAFKA_BROKERS is missing']);
  });

  it('catches a compose file that drifts (the check can fail)', () => {
    expect(composeInfraProblems([...ALL_TOPICS, 'warehouse.events'])).toEqual(['topic warehouse.events is not created by kafka-topics']);
  });
});

describe('infra:up', () => {
  it('creates exactly the topics of libs/contracts', () => {
    const script = fs.readFileSync(path.join(repoRoot(), 'infra/local/infra.mjs'), 'utf8');
    const list = /export const TOPICS = \[([^\]]+)\]/.exec(script)?.[1] ?? '';
    const topics = [...list.matchAll(/'([^']+)'/g)].map((m) => m[1]);
    expect(topics.sort()).toEqual([...ALL_TOPICS].sort());
  });
});

describe('module boundaries (nx enforce-module-boundaries in eslint.config.mjs)', () => {
  // The rule reads Nx's cached project graph: make sure it is current.
  beforeAll(() => {
    spawnSync(path.join(repoRoot(), 'node_modules/.bin/nx'), ['show', 'projects'], { cwd: repoRoot(), env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } });
  }, 120_000);

  // The ESLint CLI, as `npm run lint` runs it (its config loader needs real ESM, which Jest's CommonJS lacks).
  const lint = async (file: string, code: string) => {
    const r = spawnSync(process.execPath, [path.join(repoRoot(), 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', file, '-f', 'json'], {
      cwd: repoRoot(),
      input: code,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    });
    const [result] = JSON.parse(r.stdout) as { messages: { ruleId: string; message: string }[] }[];
    return result.messages.map((m) => `${m.ruleId}: ${m.message}`);
  };

  it('lets a domain lib use the contracts', async () => {
    expect(await lint('libs/inventory-domain/src/probe.ts', "import { TOPICS } from '@fulfillment/contracts';\nexport const t = TOPICS;\n")).toEqual([]);
  });

  it('refuses Nest in a domain lib', async () => {
    const messages = await lint('libs/inventory-domain/src/probe.ts', "import { Injectable } from '@nestjs/common';\nexport const i = Injectable;\n");
    expect(messages.join('\n')).toMatch(/no-restricted-imports: .*Domain code is pure/);
  });

  it("refuses a service importing another service's domain", async () => {
    const messages = await lint('services/order/src/probe.ts', "import * as inv from '@fulfillment/inventory-domain';\nexport const x = inv;\n");
    expect(messages.join('\n')).toMatch(/@nx\/enforce-module-boundaries/);
  });

  it('refuses a domain lib importing the platform', async () => {
    const messages = await lint('libs/order-domain/src/probe.ts', "import * as p from '@fulfillment/platform';\nexport const x = p;\n");
    expect(messages.join('\n')).toMatch(/@nx\/enforce-module-boundaries/);
  });
});
