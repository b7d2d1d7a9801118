#!/usr/bin/env node
// npm run docs:openapi — writes docs/openapi/<service>.json, the OpenAPI document each service serves at
// /docs/openapi.json, as pretty JSON with sorted keys (stable diffs). The documents come from the running services, not
// from a copy of their decorators: each built service is started as a process under a fresh topic prefix and a fresh
// database, so a running `npm start` is not disturbed; what this script starts it stops, and it drops its databases and
// topics (and stops Kafka/PostgreSQL again if it had to start them). Build first (the npm script does).
import fs from 'node:fs';
import path from 'node:path';
import { startIsolatedServices } from './isolated-services.mjs';
import { root } from './run.mjs';

const SERVICES = ['order', 'inventory', 'supplier', 'notification'];
const OUT_DIR = path.join(root, 'docs/openapi');

const say = (msg) => process.stderr.write(`[openapi] ${msg}\n`);

/** Objects with their keys in code-point order, recursively; arrays keep their order (it means something). */
function sortedKeys(value) {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortedKeys(value[key])]),
  );
}

async function documentOf(service) {
  const response = await fetch(`${service.url}/docs/openapi.json`);
  if (response.status !== 200) throw new Error(`${service.name}-service answered ${response.status} to GET /docs/openapi.json`);
  return response.json();
}

let system;
try {
  system = await startIsolatedServices({ label: 'openapi', services: SERVICES, say });
  fs.mkdirSync(OUT_DIR, { recursive: true });
  for (const service of system.services.values()) {
    const file = path.join(OUT_DIR, `${service.name}.json`);
    fs.writeFileSync(file, `${JSON.stringify(sortedKeys(await documentOf(service)), null, 2)}\n`);
    say(`wrote ${path.relative(root, file)}`);
  }
} catch (error) {
  say(error.message);
  process.exitCode = 1;
} finally {
  await system?.stop();
}
